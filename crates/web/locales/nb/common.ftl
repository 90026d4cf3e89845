# Det alle sidene har felles: rammen, inn- og utlogging, språkene, feil.

skip-to-content = Gå til innholdet
nav-main = Hovedmeny
nav-work-queues = Arbeidskøer
nav-queues = Køer
nav-statistics = Statistikk
nav-audit = Revisjon
nav-my-cases = Mine saker
signed-in-as = Logget inn som
sign-out = Logg ut
language-switch = Språk
language-unknown = Sidene finnes ikke på språket «{ $lang }».
training-clock = Opplæringsserver: klokken er stilt for hånd.
training-clock-time = Tiden er
training-not-real = Ingenting som gjøres her, er virkelig.

role-applicant = Søker
role-udi = Saksbehandler i UDI
role-une = Saksbehandler i UNE
role-iom = Saksbehandler i IOM
role-system = System
role-auditor = Revisor

sign-in = Logg inn
sign-in-token = Din nøkkel
sign-in-token-hint = Nøkkelen (token) etaten din har gitt deg (retur token issue); i en lokal demo skriver retur demo ut én for hver rolle.
sign-in-paste = Lim inn nøkkelen din her.
sign-in-refused = Denne nøkkelen kan ikke brukes: { $problem }.
signed-out = Du er logget ut.
session-ended = Økten din er avsluttet, eller nøkkelen er ikke lenger gyldig. Logg inn på nytt.

system-title = Ingenting å gjøre her
system-text = Systemets nøkkel utløser frister; den har ingen sider. Logg inn som saksbehandler eller revisor.

error-forbidden = Ikke ditt å se
error-not-found = Finnes ikke
error-bad-request = Det kan ikke gjøres
error-failed = Noe gikk galt
error-failed-text = Systemet kunne ikke gjøre jobben sin; ingenting ble endret. Prøv igjen, og si fra til driften hvis det fortsetter.
error-too-large = Det ble sendt for mye
nothing-changed = Ingenting ble endret.
back-to-start = Tilbake til start

or = eller

yes = ja
no = nei

none = ingen

error-forbidden-text = Rollen din ({ $role }) kan ikke se eller gjøre dette.
error-rejected = Saksbehandlingssystemet kunne ikke gjøre dette; ingenting ble endret.
case-none = Det finnes ingen sak { $case }.
error-control-characters = Siden du skal til ({ $field }), inneholder et kontrolltegn, for eksempel et linjeskift; ingenting ble gjort.
error-not-a-case = «{ $text }» er ikke en saks-id.
error-cross-site = Dette skjemaet ble sendt fra et annet nettsted. Åpne siden i retur og send det derfra; ingenting ble gjort.

# queues: arbeidskøene til en etat, der saksbehandlere tar saker og gir dem fra seg.

queue-title = Arbeidskøer i { $agency }
queue-filters = Filtrer køen
queue-agency = Etat
queue-queue = Kø
queue-all-queues = Alle køer
queue-due-by = Frist til og med
queue-held-by = Tildelt
queue-held-by-anyone = Alle
queue-held-by-me = Meg
queue-held-by-nobody = Ingen
queue-order = Rekkefølge
queue-order-waiting = Lengst ventetid først
queue-order-due = Nærmeste frist først
queue-show = Vis

queue-no-such-queue = { $agency } har ingen kø som heter «{ $queue }».
queue-not-a-date = «{ $text }» er ikke en dato. Skriv datoen som ÅÅÅÅ-MM-DD.
queue-not-a-choice = «{ $text }» er ikke et av valgene.
queue-not-a-page = Side: «{ $text }» er ikke et sidenummer.

queue-empty = Det er ingen saker her.
queue-caption = Saker som venter, side { $page }
queue-case = Sak
queue-state = Status
queue-deadline = Frist
queue-departs = Utreise
queue-nobody = ingen
queue-pages = Sider
queue-previous-page = ← Forrige side
queue-next-page = Neste side →

queue-claim = Ta sak
queue-claim-case = Ta sak { $case }
queue-release = Gi fra deg
queue-release-case = Gi fra deg sak { $case }
queue-claim-refused = Du kunne ikke ta saken, fordi { $holder } har hatt den siden { $since }.
queue-release-refused = Du kunne ikke gi fra deg saken, fordi { $holder } har hatt den siden { $since }.

# En frist: hvor nær den er (i ord, ikke bare med farge), deretter hva fristen gjelder og datoen.
queue-overdue = Fristen er passert
queue-due-today = Fristen er i dag
queue-due-soon = Fristen nærmer seg
queue-deadline-on = { $kind } { $date }

queue-principal = Hovedsøker
queue-household = Husstand
queue-nationality = Statsborgerskap
queue-waiting = Venter
queue-name-withheld = skjermet
queue-people = { $count ->
        [one] én person
       *[other] { $count } personer
    }
queue-days-waiting = { $days ->
        [0] fra i dag
        [one] én dag
       *[other] { $days } dager
    }
queue-in-days = ({ $days ->
        [one] i morgen
       *[other] om { $days } dager
    })
queue-days-ago = ({ $days ->
        [one] i går
       *[other] for { $days } dager siden
    })
queue-name-erased = slettet

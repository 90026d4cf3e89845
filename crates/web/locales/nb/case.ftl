# Saksiden, slik saksbehandlere og revisorer ser den.

diagram-title = Livsløpet til en sak; denne saken er { $state }
diagram-this-case-is = Denne saken er
diagram-no-way-on = Ingen handling fører den videre herfra.
diagram-ways-out = Herfra kan den gå til:
diagram-sweeping = En sak kan trekkes, eller ende i uttransportering, fra enhver tilstand før utreise; en innvilgelse kan tilbakekalles, og bortfalle, fram til utreise. Disse veiene tegnes bare fra sakens egen tilstand.

timeline-who-applicant = Søkeren
timeline-who-system = Systemet
timeline-version = versjon { $version }
timeline-withheld = Deler av denne hendelsen er skjult for din rolle.
timeline-details = Detaljer (registrert av { $actor })
timeline-application-submitted = Søkeren søkte om assistert retur til { $country } for { $people ->
        [one] én person
       *[other] { $people } personer
    }.
timeline-application-approved = { $who } innvilget søknaden: { $amount } for { $people ->
        [one] én person
       *[other] { $people } personer
    }. Utreisefrist { $deadline }.
timeline-application-refused = { $who } avslo søknaden. Siste dag for å klage: { $deadline }.
timeline-appeal-lodged = Søkeren klaget (postlagt { $posted }).
timeline-departure-booked = { $who } bestilte fly { $flight } { $on } fra { $from }.
timeline-paid = { $who }: { $what }, { $amount }.
timeline-did = { $who }: { $what }.

case-not-a-position = «{ $text }» er ikke en posisjon i loggen.
case-not-a-date = «{ $text }» er ikke en dato (ÅÅÅÅ-MM-DD).
case-not-yet = Sak { $case } fantes ikke for deg på det tidspunktet.
case-title = Sak { $case }
case-heading = Sak
case-as-of-day = Du ser saken slik den sto ved slutten av { $day } (versjon { $version }).
case-as-of-position = Du ser saken slik den sto ved posisjon { $position } i loggen (versjon { $version }).
case-back-to-now = Tilbake til saken slik den er nå
case-recorded = Registrert: { $command }.
case-status = Status
case-state = Tilstand
case-whose-move = Hvem har saken
case-nobodys-move = ingen: saken er avsluttet eller venter
case-next-deadline = Neste frist
case-version = Versjon
case-applied-on = Søkt
case-nationality = Statsborgerskap
case-returns-to = Reiser til
case-held-by = Tildelt
case-since = siden
case-nobody = ingen
case-claim = Ta saken
case-release = Gi fra deg saken
case-money = Penger
case-approved-cash = Innvilget i kontanter
case-approved-in-kind = Innvilget i naturalia
case-reintegration-paid = Reintegreringsstøtte utbetalt
case-pocket-money-paid = Lommepenger utbetalt
case-not-paid-yet = ikke ennå
case-payout = Utbetaling
case-flagged-overdue = Merket som forsinket
case-household = Husstand
case-what-you-can-do = Hva du kan gjøre
case-where-it-stands = Hvor saken står
case-earlier-day = Saken på en tidligere dag
case-as-it-stood = Slik den sto ved slutten av
case-show = Vis
case-timeline = Tidslinje
case-timeline-hint = Hver hendelse lenker til saken slik den sto rett etter.
case-no-application = Ingen søknad ennå.
case-name = Navn
case-relation = Relasjon
case-born = Født
case-duf-number = DUF-nummer
case-notes = Merknader
case-unaccompanied-minor = Enslig mindreårig.
case-trafficking = Mulig offer for menneskehandel.
case-erased = Personopplysningene til denne personen er slettet.
case-restricted = Personopplysningene til denne personen er skjermet for din rolle.

conflict-heading = Noen endret saken mens du hadde den åpen
conflict-not-recorded = «{ $command }» ble ikke registrert.
conflict-versions = Saken var på versjon { $expected } da du åpnet den, og er på versjon { $actual } nå. Dette er endret:
conflict-kept = Det du skrev, er tatt vare på i skjemaet under. Sjekk det mot saken slik den er nå, og send på nytt hvis det fortsatt stemmer.
conflict-no-longer-possible = { $command } er ikke lenger mulig: saken er nå { $state }.
conflict-typed = Det du skrev, så det ikke går tapt:
case-id = Saks-id:

confirm-what-approve = Søknaden innvilges med støtten som står under, og utreisefristen begynner å løpe. Søkeren får beskjed, og saken går videre til overføring til IOM.
confirm-what-refuse = Søknaden avslås med begrunnelsen du ga. Søkeren får beskjed, og kan klage innen tre uker etter å ha fått vedtaket.
confirm-what-erase-personal-data = Personopplysningene til denne personen slettes for godt: nøkkelen de er forseglet med, ødelegges, så ingenting om personen i loggen kan leses igjen, og personen tas ut av søkeregisteret.
confirm-what-close-case = Saken avsluttes. Ingenting mer kan registreres i den.
preview-heading = Hva innvilgelse vil gi
preview-per-person = Per person
preview-age-group = Aldersgruppe
preview-cash = Reintegreringsstøtte
preview-pocket-money = Lommepenger
preview-total = Til sammen, i kontanter
preview-rates = Satser
preview-programme = Landprogram
preview-in-kind = Naturalia
preview-schedule = Utbetales
preview-tranche = { $amount } { $months ->
        [0] ved ankomst
        [one] én måned etter ankomst
       *[other] { $months } måneder etter ankomst
    }
preview-travel-deadline = Utreisefrist
preview-sources = Hvor beløpene kommer fra
case-contact = Kontakt
case-needs-interpreter = trenger tolk
case-dangerous = Farlig: kan ikke angres
case-dangerous-hint = Sletting ødelegger nøkkelen personens opplysninger er forseglet med. Ingen kan lese dem igjen, i noen sak.
confirm-person = Person:
confirm-what-revoke-approval = Innvilgelsen tilbakekalles med begrunnelsen du ga. Søkeren får beskjed, og kan klage innen tre uker etter å ha fått vedtaket.
confirm-what-dismiss-appeal = Klagen avvises på grunnlaget du valgte, uten å bli behandlet. Søkeren får beskjed.
confirm-what-dismiss-appeal-at-une = UNE avviser klagen på grunnlaget du valgte, uten å behandle den. Vedtaket er endelig.
confirm-what-reject-appeal = UNE gir ikke klageren medhold. Avslaget er endelig.
confirm-what-record-forced-return = Saken registreres som avsluttet med uttransportering. Ingenting mer kan gjøres i den.
confirm-what-claim-repayment = Søkeren blir bedt om å betale tilbake støtten, slik reglene gir adgang til etter ny innreise.
confirm-changed = Det innvilgelsen vil gi, har endret seg siden du så på det (dagen eller reglene er nye). Se over igjen før du bekrefter.

# Interne notater.

note-heading = Interne notater
note-hint = Bare { $agency } ser notatene dere skriver her. De lagres forseglet, som personopplysninger, og blir uleselige hvis søkerens opplysninger slettes.
note-label = Nytt notat
note-write = Lagre notatet
note-written = Notatet er lagret.
note-empty = Skriv notatet før du lagrer det.
note-by = notat av { $by }
note-erased = Notatet kan ikke leses lenger: søkerens personopplysninger er slettet.

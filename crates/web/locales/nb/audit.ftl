# audit: revisorens side.

audit-title = Revisjon
audit-the-log = Loggen
audit-verifies = Loggen er i orden.
audit-verifies-detail = Hashkjeden er hel, historikken i hver sak følger reglene, og alle lagrede statuser og kommandoposter stemmer med loggen.
audit-does-not-verify = Loggen er ikke i orden.
audit-does-not-verify-detail = Se hva som ble funnet, nedenfor.
audit-events-checked = Hendelser kontrollert i kjeden
audit-last-good-position = Siste gyldige posisjon
audit-hash-there = Hash på denne posisjonen
audit-chain = Kjeden
audit-chain-whole = hel
audit-chain-broken-at = brutt ved posisjon { $position }
audit-cases-replayed = Saker spilt av på nytt
audit-commands-replayed = Kommandoer avgjort på nytt
audit-not-replayable = Kommandoer som ikke kan avgjøres på nytt
audit-not-replayable-count = { $shown } (tidspunktet for avgjørelsen er ikke registrert, eller personopplysningene som trengs, er slettet)
audit-first-illegal = Første hendelse som bryter reglene for en sak
audit-first-illegal-none = ingen
audit-first-illegal-at = posisjon { $position } i { $stream }
audit-derived = Lagrede statuser og kommandoposter sammenlignet med loggen
audit-derived-checked = { $statuses ->
        [one] én status
       *[other] { $statuses_shown } statuser
    }, { $records ->
        [one] én kommandopost
       *[other] { $records_shown } kommandoposter
    }:
audit-derived-agree = alle stemmer med loggen
audit-derived-differ = { $shown } avviker
audit-against = Mot kontrollpunktet
audit-extends = loggen når fram til posisjonen i kontrollpunktet, med hashen som ble signert
audit-extends-truncated = loggen slutter ved posisjon { $head }, før kontrollpunktet: den er blitt avkortet
audit-extends-rewritten = hashen ved posisjonen i kontrollpunktet er { $found }, ikke den som ble signert: historikken er skrevet om
audit-extends-chain-broken = kjeden er brutt før posisjonen i kontrollpunktet, så det er ukjent hva loggen inneholder der

audit-mismatches = Avledede tabeller som avviker fra loggen
audit-mismatches-why = Alle oppslag på status i en sak, alle køer og fristkjøringen bygger på de lagrede statusene, og en kommando som sendes på nytt, får svar fra kommandoposten sin. Disse radene sier noe annet enn loggen.
audit-table = Tabell
audit-case = Sak
audit-position = Posisjon
audit-what-differs = Hva som avviker
audit-table-status = lagret status
audit-table-command-record = kommandopost
audit-more = { $count ->
        [one] Og én til.
       *[other] Og { $shown } til.
    }

# Hva revisjonen fant, med tallene: hvor hashkjeden brytes, hvorfor en kommando bryter reglene,
# og hva som avviker i en lagret status eller kommandopost.
audit-break-missing = posisjon { $position } mangler
audit-break-skipped = posisjon { $missing } mangler; den neste som er lagret, er { $next }
audit-break-hash-differs = den lagrede hashen { $stored } er ikke hashen av den lagrede hendelsen, som er { $computed }

audit-illegal-unreadable = hendelsen på posisjon { $position } kan ikke leses: { $why }
audit-illegal-not-a-command = ingen kommando registrerer hendelsene { $events } sammen
audit-illegal-invalid-actor = den registrerte aktøren «{ $actor }» med rollen «{ $role }» er ikke gyldig
audit-illegal-other-events = avgjøres kommandoen på nytt, gir den andre hendelser (reglene for datoen kan være endret siden)
audit-illegal-refused = reglene avviser denne kommandoen: { $refusal }
audit-quoted = «{ $text }»

audit-unreadable-schema-version = skjemaversjon { $version } er utenfor det gyldige området
audit-unreadable-unknown-type = hendelsestypen «{ $event_type }» er ukjent
audit-unreadable-unknown-version = hendelsestypen «{ $event_type }» er lagret i skjemaversjon { $version }, men denne versjonen av retur leser bare versjon 1 til { $newest }
audit-unreadable-payload = innholdet passer ikke til hendelsestypen «{ $event_type }»
audit-unreadable-sealed = de forseglede personopplysningene om person { $person } { $why }
audit-unsealing-not-base64 = er ikke base64
audit-unsealing-too-short = er for korte til å inneholde en nonce
audit-unsealing-does-not-open = kan ikke åpnes med personens nøkkel (de er endret eller flyttet)
audit-unsealing-not-json = blir ikke til JSON når de åpnes

audit-mismatch-no-status = saken har ingen lagret status, så alle oppslag på den feiler
audit-mismatch-status-behind = den lagrede statusen gjelder versjon { $version } på posisjon { $position }; i loggen er saken på versjon { $log_version }
audit-mismatch-status-elsewhere = den lagrede statusen viser til posisjon { $position }; versjon { $version } av saken er på posisjon { $log_position }
audit-mismatch-status-unreadable = den lagrede statusen kan ikke leses (tilstand «{ $state }»); ifølge loggen er saken { $log }
audit-mismatch-other-state = den lagrede tilstanden er { $stored }; ifølge loggen er den { $log }
audit-mismatch-other-owner = ifølge den lagrede statusen er det { $stored } som skal handle; ifølge loggen er det { $log }
audit-mismatch-other-deadline = neste frist i den lagrede statusen: { $stored }; i loggen: { $log }
audit-mismatch-other-figures = tallene i den lagrede statusen er { $stored }; ifølge loggen er de { $log }
audit-mismatch-no-record = kommando { $command } skrev her, men har ingen kommandopost: sendes den på nytt, skrives den en gang til
audit-mismatch-other-record = kommandoposten for kommando { $command } sier { $record }; kommandoens hendelser er { $log }
audit-mismatch-status-unbacked = det er lagret en status for versjon { $version } på posisjon { $position }, der loggen ikke har noen hendelse i denne strømmen
audit-mismatch-record-unbacked = kommando { $command } har en kommandopost på posisjon { $position }, der loggen ikke har noen hendelse fra den: sendes kommandoen på nytt, får den svar om noe som aldri skjedde
audit-nobody = ingen
audit-deadline = «{ $kind }» { $date }
audit-no-deadline = ingen
audit-span = { $stream }, versjon { $first }–{ $last }, posisjon { $from }–{ $to }

audit-head = Kontrollpunkt for siste posisjon
audit-head-keep = Ta vare på disse to verdiene utenfor databasen. Hvis loggen senere ikke når fram til denne posisjonen med denne hashen, er den blitt avkortet eller skrevet om.
audit-head-sign = Slik signerer du dem som et kontrollpunkt:
audit-hash = Hash

audit-check = Kontroller et signert kontrollpunkt
audit-checkpoint = Kontrollpunkt (JSON-teksten som retur checkpoint skrev ut)
audit-public-key = Din offentlige nøkkel (PEM)
audit-verify-against = Kontroller loggen mot kontrollpunktet

# Hvorfor et innlimt kontrollpunkt eller en offentlig nøkkel ikke kan brukes.
audit-checkpoint-not-json = Kontrollpunktet er ikke gyldig JSON (feil på linje { $line }, kolonne { $column }).
audit-checkpoint-not-an-object = Kontrollpunktet er JSON, men ikke et objekt med feltene til et kontrollpunkt.
audit-checkpoint-missing-field = Kontrollpunktet mangler feltet «{ $field }».
audit-checkpoint-unknown-field = Kontrollpunktet har feltet «{ $field }», som ikke hører til i et kontrollpunkt.
audit-checkpoint-wrong-type = Feltet «{ $field }» i kontrollpunktet er ikke { $field ->
        [position] et heltall
        [made_at] et tidspunkt i RFC 3339-format
       *[other] en tekst
    }.
audit-checkpoint-other-version = Kontrollpunktet er av typen «{ $found }», ikke «retur-checkpoint-v1».
audit-checkpoint-not-hex = Feltet «{ $field }» i kontrollpunktet er ikke { $digits } heksadesimale sifre.
audit-checkpoint-other-key = Kontrollpunktet er signert med nøkkelen { $found }, ikke med nøkkelen du har oppgitt ({ $expected }).
audit-checkpoint-bad-signature = Signaturen stemmer ikke med innholdet i kontrollpunktet: kontrollpunktet er endret.
audit-key-not-pem = Nøkkelen er ikke i PEM-form, slik openssl pkey -pubout skriver den ut.
audit-key-other-kind = PEM-teksten er av feil type: den skal begynne med «-----BEGIN { $expected }-----».
audit-key-other-algorithm = Nøkkelen er ikke en Ed25519-nøkkel.
audit-key-malformed = PEM-teksten inneholder ikke en gyldig Ed25519-nøkkel.

audit-travel = En sak slik den var på en bestemt dag
audit-travel-case = Saks-ID
audit-travel-day = Slik den var ved utgangen av
audit-travel-show = Vis

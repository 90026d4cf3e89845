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

audit-head = Kontrollpunkt for siste posisjon
audit-head-keep = Ta vare på disse to verdiene utenfor databasen. Hvis loggen senere ikke når fram til denne posisjonen med denne hashen, er den blitt avkortet eller skrevet om.
audit-head-sign = Slik signerer du dem som et kontrollpunkt:
audit-hash = Hash

audit-check = Kontroller et signert kontrollpunkt
audit-checkpoint = Kontrollpunkt (JSON-teksten som retur checkpoint skrev ut)
audit-public-key = Din offentlige nøkkel (PEM)
audit-verify-against = Kontroller loggen mot kontrollpunktet

audit-travel = En sak slik den var på en bestemt dag
audit-travel-case = Saks-ID
audit-travel-day = Slik den var ved utgangen av
audit-travel-show = Vis

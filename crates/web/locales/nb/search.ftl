# Å finne en person eller en sak.

search-label = Finn person eller sak
search-hint = Navn, DUF-nummer, fødselsdato eller saksnummer
search-button = Søk
search-title = Finn en person
search-for = Treff for «{ $typed }».
search-too-short = Skriv minst to bokstaver av et navn, fire sifre av et DUF-nummer, en fødselsdato (25.11.1990) eller et saksnummer (2026-000123).
search-none = Ingen du har tilgang til, passer med «{ $typed }».
search-found = { $count ->
        [one] Én person funnet.
       *[other] { $count } personer funnet.
    }
search-born = født { $date }
search-duf = DUF { $duf }
search-reference = sak { $reference }
search-first = Bare de første { $count } vises; skriv mer i søket for å snevre det inn.

# En persons side: alle sakene personen er med i.

person-none = Ingen person du har tilgang til, har denne id-en.
person-born = Født
person-cases = Saker
person-cases-heading = Saker personen er med i
person-matched-same = Personen slik hen er registrert i denne saken.
person-matched-duf = Samme DUF-nummer: samme person i utlendingsregisteret.
person-matched-name = Samme navn og fødselsdato: kanskje samme person. Kontroller før du legger vekt på det.
person-departed = Reiste
person-departed-on = reiste fra Norge { $date } til { $country }
person-family = Familie i saken:
person-helped-home-before = Ifølge retur sine egne opplysninger har personen fått hjelp til å reise hjem før:
person-earlier-returns = Fått hjelp til å reise hjem før
person-declared-not-before = I søknaden står det at ingen i husstanden har fått støtte til retur før og kommet tilbake.
person-earlier-returns-hint = Den som har fått støtte til retur før, har reist inn igjen og vil reise til et Dublin-land, har som regel ikke rett til støtte (unntak for enslige mindreårige og mulige ofre for menneskehandel). Vurder dette før du avgjør søknaden.
person-rule-source = Kilde:

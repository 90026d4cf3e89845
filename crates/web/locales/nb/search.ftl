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

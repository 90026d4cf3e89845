# Finding a person or a case.

search-label = Find a person or case
search-hint = Name, DUF number, date of birth or case reference
search-button = Search
search-title = Find a person
search-for = Results for “{ $typed }”.
search-too-short = Type at least two letters of a name, four digits of a DUF number, a date of birth (25.11.1990) or a case reference (2026-000123).
search-none = Nobody you may see matches “{ $typed }”.
search-found = { $count ->
        [one] One person found.
       *[other] { $count } people found.
    }
search-born = born { $date }
search-duf = DUF { $duf }
search-reference = case { $reference }
search-first = Only the first { $count } are shown; add to what you search for to narrow it.

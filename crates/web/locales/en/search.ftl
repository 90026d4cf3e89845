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

# A person's page: every case the person appears in.

person-none = No person you have access to has this id.
person-born = Born
person-cases = Cases
person-cases-heading = Cases this person appears in
person-matched-same = The person as recorded in this case.
person-matched-duf = Same DUF number: the same person in the immigration records.
person-matched-name = Same name and date of birth: possibly the same person. Check before relying on it.
person-departed = Departed
person-departed-on = left Norway on { $date } for { $country }
person-family = Family in the case:
person-helped-home-before = By retur's own records, this person has been helped home before:
person-earlier-returns = Helped home before
person-declared-not-before = The application says nobody in the household has received return support before and come back.
person-earlier-returns-hint = Someone who received return support before, came back and wants to return to a Dublin country is normally not eligible (except unaccompanied minors and possible victims of trafficking). Weigh this before deciding the application.
person-rule-source = Source:

# stats: statistikksiden og diagrammene på den.

stats-title = Statistikk
stats-cases-in-all = { $count ->
        [one] Én sak i alt.
       *[other] { $shown } saker i alt.
    }
stats-by-state = Saker etter status
stats-by-month = Søknader per måned
stats-medians = Saksbehandlingstid (median)
stats-application-to-decision = Fra søknad til vedtak
stats-decision-to-departure = Fra vedtak til utreise
stats-arrival-to-payout = Fra ankomst til utbetaling
stats-days = { $count ->
        [one] { $count } dag
       *[other] { $count } dager
    }
stats-month = { $month ->
        [1] januar
        [2] februar
        [3] mars
        [4] april
        [5] mai
        [6] juni
        [7] juli
        [8] august
        [9] september
        [10] oktober
        [11] november
       *[12] desember
    } { $year }

stats-chart-empty = Det er ingenting å vise ennå.
stats-chart-as-table = Tallene som tabell
stats-chart-value = Verdi

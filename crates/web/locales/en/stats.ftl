# stats: the statistics page and its charts.

stats-title = Statistics
stats-cases-in-all = { $count ->
        [one] One case in all.
       *[other] { $shown } cases in all.
    }
stats-by-state = Cases by state
stats-by-month = Applications by month
stats-medians = Median processing time
stats-application-to-decision = Application to decision
stats-decision-to-departure = Decision to departure
stats-arrival-to-payout = Arrival to payout
stats-days = { $count ->
        [one] { $count } day
       *[other] { $count } days
    }
stats-month = { $month ->
        [1] January
        [2] February
        [3] March
        [4] April
        [5] May
        [6] June
        [7] July
        [8] August
        [9] September
        [10] October
        [11] November
       *[12] December
    } { $year }

stats-chart-empty = Nothing to show yet.
stats-chart-as-table = The figures as a table
stats-chart-value = Value

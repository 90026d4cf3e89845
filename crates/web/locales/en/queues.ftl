# queues: an agency's work queues, with claim and release.

queue-title = { $agency } work queues
queue-filters = Filter the queue
queue-agency = Agency
queue-queue = Queue
queue-all-queues = All queues
queue-due-by = Due on or before
queue-held-by = Held by
queue-held-by-anyone = Anyone or nobody
queue-held-by-me = Me
queue-held-by-nobody = Nobody
queue-order = Order
queue-order-waiting = Longest waiting first
queue-order-due = Soonest deadline first
queue-show = Show

queue-no-such-queue = { $agency } has no queue called "{ $queue }"
queue-not-a-date = "{ $text }" is not a date (YYYY-MM-DD)
queue-not-a-choice = "{ $text }" is not a choice
queue-not-a-page = Page: "{ $text }" is not a page number

queue-empty = No cases here.
queue-caption = Cases waiting, page { $page }
queue-case = Case
queue-state = State
queue-deadline = Deadline
queue-departs = Departs
queue-nobody = nobody
queue-pages = Pages
queue-previous-page = ← Previous page
queue-next-page = Next page →

queue-claim = Claim
queue-claim-case = Claim case { $case }
queue-release = Release
queue-release-case = Release case { $case }
queue-claim-refused = The case could not be claimed: { $holder } holds it since { $since }.
queue-release-refused = The case could not be released: { $holder } holds it since { $since }.

# A deadline: how near it is (said in words, not by colour alone), then what it is and when.
queue-overdue = Overdue
queue-due-today = Due today
queue-due-soon = Due soon
queue-deadline-on = { $kind } by { $date }

queue-principal = Principal applicant
queue-household = Household
queue-nationality = Nationality
queue-waiting = Waiting
queue-name-withheld = restricted
queue-people = { $count ->
        [one] one person
       *[other] { $count } people
    }
queue-days-waiting = { $days ->
        [0] since today
        [one] one day
       *[other] { $days } days
    }
queue-in-days = ({ $days ->
        [one] tomorrow
       *[other] in { $days } days
    })
queue-days-ago = ({ $days ->
        [one] yesterday
       *[other] { $days } days ago
    })
queue-name-erased = erased

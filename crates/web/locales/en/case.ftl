# The case page, as caseworkers and auditors see it.

diagram-title = The lifecycle of a case; this case is { $state }
diagram-this-case-is = This case is
diagram-no-way-on = No command moves it on from here.
diagram-ways-out = From here it can go to:
diagram-sweeping = A case can be withdrawn, or end in a forced return, from any state before departure; an approval can be revoked, and lapse, until departure. Those ways are drawn only from the case's own state.

timeline-who-applicant = The applicant
timeline-who-system = The system
timeline-version = version { $version }
timeline-withheld = Parts of this event are withheld from your role.
timeline-details = Details (recorded by { $actor })
timeline-application-submitted = The applicant applied for assisted return to { $country } for { $people ->
        [one] one person
       *[other] { $people } people
    }.
timeline-application-approved = { $who } approved the application: { $amount } for { $people ->
        [one] one person
       *[other] { $people } people
    }. Travel deadline { $deadline }.
timeline-application-refused = { $who } refused the application. Last day to appeal: { $deadline }.
timeline-appeal-lodged = The applicant appealed (posted { $posted }).
timeline-departure-booked = { $who } booked flight { $flight } on { $on } from { $from }.
timeline-paid = { $who }: { $what }, { $amount }.
timeline-did = { $who }: { $what }.

case-not-a-position = “{ $text }” is not a position of the log.
case-not-a-date = “{ $text }” is not a date (YYYY-MM-DD).
case-not-yet = Case { $case } did not exist for you at that moment yet.
case-title = Case { $case }
case-heading = Case
case-as-of-day = You are looking at the case as it stood at the end of { $day } (version { $version }).
case-as-of-position = You are looking at the case as it stood at position { $position } of the log (version { $version }).
case-back-to-now = Back to the case as it is now
case-recorded = Recorded: { $command }.
case-status = Status
case-state = State
case-whose-move = Whose move
case-nobodys-move = nobody's: the case has ended or waits
case-next-deadline = Next deadline
case-version = Version
case-applied-on = Applied on
case-nationality = Nationality
case-returns-to = Returns to
case-held-by = Held by
case-since = since
case-nobody = nobody
case-claim = Claim
case-release = Release
case-money = Money
case-approved-cash = Approved in cash
case-approved-in-kind = Approved in kind
case-reintegration-paid = Reintegration paid
case-pocket-money-paid = Pocket money paid
case-not-paid-yet = not yet
case-payout = Payout
case-flagged-overdue = Flagged as overdue
case-household = Household
case-what-you-can-do = What you can do
case-where-it-stands = Where the case stands
case-earlier-day = The case on an earlier day
case-as-it-stood = As it stood at the end of
case-show = Show
case-timeline = Timeline
case-timeline-hint = Each event links to the case as it stood just after it.
case-no-application = No application yet.
case-name = Name
case-relation = Relation
case-born = Born
case-duf-number = DUF number
case-notes = Notes
case-unaccompanied-minor = Unaccompanied minor.
case-trafficking = Possible victim of trafficking.
case-erased = This person's personal data has been erased.
case-restricted = This person's personal data is restricted from your role.

conflict-heading = Someone changed this case while you had it open
conflict-not-recorded = Your “{ $command }” was not recorded.
conflict-versions = The case was at version { $expected } when you opened it and is at version { $actual } now. This is what changed:
conflict-kept = What you typed is kept in the form below. Check it against the case as it is now, and send it again if it still holds.
conflict-no-longer-possible = { $command } is no longer possible: the case is now { $state }.
conflict-typed = What you typed, so that it is not lost:
case-id = Case id:

confirm-what-approve = The application is approved with the grant shown below, and the travel deadline starts to run. The applicant is told, and the case goes on to be handed over to IOM.
confirm-what-refuse = The application is refused with the reasons you gave. The applicant is told, and may appeal within three weeks of being notified.
confirm-what-erase-personal-data = This person's personal data is erased for good: the key it is sealed with is destroyed, so nothing about them in the log can be read again, and they are taken out of the search index.
confirm-what-close-case = The case is closed. Nothing more can be recorded in it.
preview-heading = What approval would give
preview-per-person = Per person
preview-age-group = Age group
preview-cash = Reintegration grant
preview-pocket-money = Pocket money
preview-total = In all, in cash
preview-rates = Rates
preview-programme = Country programme
preview-in-kind = In kind
preview-schedule = Paid
preview-tranche = { $amount } from { $months ->
        [0] arrival
        [one] one month after arrival
       *[other] { $months } months after arrival
    }
preview-travel-deadline = Travel deadline
preview-sources = Where the amounts come from
case-contact = Contact
case-needs-interpreter = needs an interpreter
case-dangerous = Dangerous: cannot be undone
case-dangerous-hint = Erasing destroys the key the person's data is sealed with. Nobody can read it again, in any case.
confirm-person = Person:
confirm-what-revoke-approval = The approval is revoked with the reasons you gave. The applicant is told, and may appeal within three weeks of being notified.
confirm-what-dismiss-appeal = The appeal is dismissed on the ground you chose, without being heard. The applicant is told.
confirm-what-dismiss-appeal-at-une = UNE dismisses the appeal on the ground you chose, without hearing it. The decision is final.
confirm-what-reject-appeal = UNE rejects the appeal. The refusal is final.
confirm-what-record-forced-return = The case is recorded as ended in a forced return. Nothing more can be done in it.
confirm-what-claim-repayment = The applicant is asked to pay back the support, as the rules allow after a re-entry.
confirm-changed = What approval would give has changed since you looked (the day, or the rules, moved on). Check it again before you confirm.

# Internal notes.

note-heading = Internal notes
note-hint = Only { $agency } sees the notes you write here. They are sealed like personal data, and become unreadable if the applicant's data is erased.
note-label = New note
note-write = Save the note
note-written = The note is saved.
note-empty = Write the note before saving it.
note-by = note by { $by }
note-erased = The note can no longer be read: the applicant's personal data is erased.

# What every page shares: the frame, signing in and out, the languages, errors.

skip-to-content = Skip to the content
nav-main = Main
nav-work-queues = Work queues
nav-queues = Queues
nav-statistics = Statistics
nav-audit = Audit
nav-my-cases = My cases
signed-in-as = Signed in as
sign-out = Sign out
language-switch = Language
language-unknown = The pages are not written in the language “{ $lang }”.
training-clock = Training server: the clock is set by hand.
training-clock-time = Its time is
training-not-real = Nothing done here is real.

role-applicant = Applicant
role-udi = UDI caseworker
role-une = UNE caseworker
role-iom = IOM caseworker
role-system = System
role-auditor = Auditor

sign-in = Sign in
sign-in-token = Your token
sign-in-token-hint = The token your agency issued you (retur token issue); for a local demo, retur demo prints one for each role.
sign-in-paste = Paste your token here.
sign-in-refused = This token cannot be used: { $problem }.
signed-out = You have signed out.
session-ended = Your session has ended or its token is no longer valid. Sign in again.

system-title = Nothing to do here
system-text = The system's token fires deadlines; it has no pages. Sign in as a caseworker or an auditor.

error-forbidden = Not yours to see
error-not-found = Not found
error-bad-request = That cannot be done
error-failed = Something went wrong
error-failed-text = The system could not do its work; nothing was changed. Try again, and tell the operators if it keeps happening.
error-too-large = Too much was sent
nothing-changed = Nothing was changed.
back-to-start = Back to the start

or = or

yes = yes
no = no

none = none

error-forbidden-text = Your role ({ $role }) may not see or do this.
error-rejected = The case system could not do that; nothing was changed.
case-none = There is no case { $case }.
error-control-characters = The page to go to ({ $field }) holds a control character, such as a line break; nothing was done.
error-not-a-case = “{ $text }” is not a case's id.
error-cross-site = This form was sent from another site. Open the page in retur and send it from there; nothing was done.

# What an applicant's own forms show (the application, an appeal, a withdrawal), and what every
# form shows: the choices' first line, the error summary, what is wrong beside a field.

apply-legend-principal = The principal applicant
apply-legend-member = Another member of the household ({ $number } of { $total }, if any)
apply-full-name = Full name
apply-date-of-birth = Date of birth
apply-duf-number = DUF number
apply-duf-number-hint = Twelve digits, if registered
apply-unaccompanied-minor = Unaccompanied minor
apply-possible-trafficking-victim = Possible victim of trafficking
apply-relation = Relation to the principal applicant
apply-nationality = Nationality
apply-return-country = Country of return
apply-final-destination = Final destination
apply-situation = Immigration situation
apply-departure-deadline = Departure deadline
apply-assisted-before = Has been assisted to return before and came back
apply-status-in-other-eea-country = Refused because of status in another EEA country

apply-appeal-grounds = Grounds of appeal
apply-appeal-posted-on = Posted or handed in on
apply-appeal-posted-on-hint = Leave empty if it was sent today

apply-optional = (optional)
apply-choose = Choose…

apply-error-summary = Please correct:
apply-error-in-field = { $field }: { $problem }
apply-error-required = This is required.
apply-error-not-a-date = “{ $value }” is not a date that exists (YYYY-MM-DD).
apply-error-invalid = { $field } is not valid. Check what you have written.
apply-error-given-twice = { $field } was sent more than once. Send the form again.
apply-error-in-form = Something in the form cannot be accepted. Check what you have written and send it again.

apply-not-recorded-refused = Not recorded: { $reason } (rule: { $rule }).
apply-not-recorded-held = Not recorded: the case is held by { $by } since { $since }.
apply-not-recorded-contended = Not recorded: the case kept changing while this was being decided. Try again.
apply-not-recorded-form-reused = Not recorded: this form was already sent for another case. Open the case again and fill in the form anew.
apply-no-such-command = There is no command “{ $command }”.

apply-phone = Your phone number
apply-phone-hint = With the country code if it is not Norwegian, such as +47 912 34 567.
apply-contact-language = The language you want us to contact you in
apply-needs-interpreter = I need an interpreter
apply-add-member = Add one more person to the household
apply-data-use-heading = How we use your information
apply-data-use = UDI uses what you write here to decide your application. If it is approved, IOM gets what it needs to plan your journey and pay your support; IOM is never told why an application was refused. If you appeal, the Immigration Appeals Board (UNE) gets your case. You may ask to see what is kept about you, and to have it corrected.

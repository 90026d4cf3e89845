# The caseworkers' command forms: labels, hints and what is wrong beside a field.
# What an applicant's forms show too is in application-form.ftl.

form-reasons = Reasons
form-notified-on = Applicant notified on
form-reasoning = Reasoning
form-late-appeal-ground = Why it is heard
form-late-appeal-ground-hint = fvl. § 31 a: the appellant cannot be blamed for the delay; fvl. § 31 b: there are special reasons to hear it.
form-dismissal-ground = Ground
form-udi-assessment = UDI's assessment
form-particularly-vulnerable = Particularly vulnerable
form-particularly-vulnerable-hint = Only where a country programme gives more for it (Morocco); usually no one

form-document-for = For
form-document = Document
form-issuing-country = Issuing country
form-document-number = Document number
form-valid-until = Valid until

form-departs-on = Departs on
form-flight = Flight number
form-flight-hint = Such as TK1752
form-from-airport = From airport
form-to-airport = To airport
form-airport-hint = IATA code, such as { $example }
form-reschedule-cause = Why
form-departed-on = Departed on
form-arrived-on = Arrived on
form-signed-on = Signed on

form-amount = Amount
form-amount-to-repay = Amount to repay
form-currency = Currency
form-amount-major = Amount
form-nok-per-usd = NOK per USD
form-nok-per-usd-hint = The UN operational rate, such as 10.52
form-local-currency = Local currency
form-local-currency-hint = Such as ETB
form-local-per-usd = Local currency per USD
form-payment-method = Paid
form-payee = To (bank transfer)
form-payee-hint = For a bank transfer
form-account = Account number
form-account-holder = Account holder

form-returned-on = Returned on
form-re-entered-on = Came back to Norway on

form-whose-data = Whose data
form-visible-to = Who may still see it
form-visible-to-hint = Every role not ticked sees “restricted”
form-erase-confirm = I understand that erasure destroys the data for good
form-erase-confirm-hint = It cannot be undone

form-error-tick-to-go-on = Tick this to go on.
form-error-amount-incomplete = Give both the currency and the amount.
form-error-no-such-currency = “{ $currency }” is not a currency code, such as NOK.
form-error-not-an-amount = “{ $amount }” is not an amount, such as 1500.50.
form-error-too-many-decimals = “{ $amount }” has more decimals than { $currency } has ({ $digits }).
form-error-amount-too-large = “{ $amount }” is too large.
form-meet-at = Meeting time at the airport
form-meet-at-hint = When the household is to be at the departure airport, Norwegian time (HH:MM); the applicant is shown it.

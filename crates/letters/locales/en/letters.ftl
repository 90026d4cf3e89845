## The letters in English, for applicants who read neither bokmål nor Arabic. The bokmål copy in
## the same letter is the one the law is read in.

## The heading.

letterhead = retur
agency-udi = Norwegian Directorate of Immigration (UDI)
agency-une = Immigration Appeals Board (UNE)
agency-iom = International Organization for Migration (IOM)
heading-reference = Reference: { $reference }
heading-date = Date: { $date }
heading-to = To: { $name }
closing = Yours sincerely

## What every decision says.

reasons-heading = Reasons
reasons-law = These reasons are given under sections 24 and 25 of the Public Administration Act (forvaltningsloven).
legal-basis-heading = Legal basis
legal-basis-intro = The decision rests on these rules:
documents = You have the right to see the documents in your case (Public Administration Act, sections 18 and 19). Contact { $agency } if you want to see them.

## Approval.

approval-title = Decision: you are granted support for assisted return
approval-decision = The Norwegian Directorate of Immigration (UDI) has granted your application for support for assisted return.
approval-granted = Each person is granted:
approval-person = { $name }: { $amount }
approval-total = In total: { $amount }
approval-pocket-money = Pocket money for the journey: { $amount }. IOM pays it to you when you travel.
approval-deadline-heading = The last day to travel
approval-deadline = You must travel no later than { $date }. If you have not travelled by then, you may lose the support.
approval-next-heading = What happens next
approval-next = The International Organization for Migration (IOM) will contact you. IOM will help you get travel documents and will book your flight. IOM will send you a separate letter with the date and time of your journey.
approval-paid = The cash support is paid after you have arrived.
approval-appeal = If you disagree with the decision, you may appeal within three weeks of receiving this letter. Send the appeal to UDI (Public Administration Act, sections 28, 29 and 32).

## Refusal and revocation, with the right to appeal.

refusal-title = Decision: your application for support for assisted return is refused
refusal-decision = The Norwegian Directorate of Immigration (UDI) has refused your application for support for assisted return.
revocation-title = Decision: your support for assisted return is revoked
revocation-decision = The Norwegian Directorate of Immigration (UDI) has revoked the decision to grant you support for assisted return. You no longer have this support.
appeal-heading = You may appeal
appeal-right = You have the right to appeal against this decision (Public Administration Act, section 28).
appeal-deadline = The time limit for an appeal is three weeks from the day you received this letter (Public Administration Act, section 29). You were notified of the decision on { $notified }. The last day to appeal is { $deadline }.
appeal-in-time = It is enough that the appeal is posted or handed in before the time limit runs out (section 30). If you appeal too late, the appeal may still be considered if you had a good reason for the delay (section 31). If so, write why the appeal is late.
appeal-where = Send the appeal to UDI, which made the decision (section 32). UDI will look at the case again and may change its decision itself. If UDI does not change it, UDI sends the appeal to the Immigration Appeals Board (UNE), which decides it (sections 33 and 34).
appeal-contents = The appeal must be in writing and signed by you or by someone you have authorised. Say which decision you are appealing against and give the reference { $reference }. Say what change you want, and why you think the decision should be changed (section 32).
appeal-law = We give you this information because section 27 of the Public Administration Act requires it.

## The outcome of an appeal.

appeal-reversed-title = Your appeal: UDI has changed its decision
appeal-reversed = You appealed against the refusal. The Norwegian Directorate of Immigration (UDI) has looked at the case again and finds in your favour (Public Administration Act, section 33). You are granted support for assisted return, and IOM will contact you to arrange your journey.
appeal-dismissed-udi-title = Your appeal is dismissed
appeal-dismissed-udi = The Norwegian Directorate of Immigration (UDI) has dismissed your appeal. This means that the appeal will not be considered, because the conditions for considering it are not met, for example because it came too late (Public Administration Act, section 33, second paragraph). The refusal still stands.
appeal-dismissed-udi-appeal = You may appeal against the dismissal within three weeks of receiving this letter (Public Administration Act, sections 28 and 29). Send the appeal to UDI. If UDI does not change its decision, the Immigration Appeals Board (UNE) decides the appeal (sections 32 to 34).
appeal-allowed-title = Your appeal: UNE finds in your favour
appeal-allowed = The Immigration Appeals Board (UNE) has considered your appeal and finds in your favour (Public Administration Act, section 34). The refusal from UDI is changed, and you are granted support for assisted return. IOM will contact you to arrange your journey.
appeal-rejected-title = Your appeal: UNE does not find in your favour
appeal-rejected = The Immigration Appeals Board (UNE) has considered your appeal and does not find in your favour. The refusal from UDI stands.
appeal-quashed-title = Your appeal: the case is sent back to UDI
appeal-quashed = The Immigration Appeals Board (UNE) has set aside the decision from UDI and sent the case back to UDI (Public Administration Act, section 34). UDI will consider your application again and make a new decision. You will get a new letter when UDI has decided, and you may appeal against the new decision.
appeal-dismissed-une-title = Your appeal is dismissed
appeal-dismissed-une = The Immigration Appeals Board (UNE) has dismissed your appeal. This means that UNE has not considered the appeal, because the conditions for considering it are not met. The refusal from UDI still stands.
appeal-final = This decision is final and cannot be appealed (Public Administration Act, section 28, third paragraph).
appeal-costs = If you had significant costs that were necessary to get the decision changed, for example for a lawyer, you may ask to have them covered (Public Administration Act, section 36). Send the claim to { $agency } within three weeks of receiving this letter.

## IOM's travel letter. It says nothing of any decision but the journey.

travel-title = Travel information
travel-intro = Your flight is booked. Here is what you need to know.
travel-flight = Flight: { $flight }
travel-date = Date of departure: { $date }
travel-from = From: { $airport }
travel-to = To: { $airport }
travel-meet = Come to { $airport } at { $time } Norwegian time. IOM will meet you there and help you at the airport.
travel-meet-later = IOM will tell you when to come to the airport.
travel-pocket-money = You will get { $amount } in pocket money. IOM pays it to you when you travel.
travel-bring = Bring your passport or travel document and this letter.
travel-change = If you cannot travel on this day, contact IOM at once. To change the journey, you need a medical certificate.

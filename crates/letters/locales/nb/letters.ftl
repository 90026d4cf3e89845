## The letters in Norwegian bokmål. Every letter has a bokmål copy; these are the words the law
## is read in. Keep the paragraph references (forvaltningsloven §§) as they are in every language.

## The heading.

letterhead = retur
agency-udi = Utlendingsdirektoratet (UDI)
agency-une = Utlendingsnemnda (UNE)
agency-iom = Den internasjonale organisasjonen for migrasjon (IOM)
heading-reference = Saksnummer: { $reference }
heading-date = Dato: { $date }
heading-to = Til: { $name }
closing = Med vennlig hilsen

## What every decision says.

reasons-heading = Begrunnelse
reasons-law = Begrunnelsen er gitt etter forvaltningsloven §§ 24 og 25.
legal-basis-heading = Lovgrunnlag
legal-basis-intro = Vedtaket bygger på disse reglene:
documents = Du har rett til å se dokumentene i saken din (forvaltningsloven §§ 18 og 19). Kontakt { $agency } hvis du vil se dem.

## Approval.

approval-title = Vedtak: Du får støtte til assistert retur
approval-decision = Utlendingsdirektoratet (UDI) har innvilget søknaden din om støtte til assistert retur.
approval-granted = Dette får hver person:
approval-person = { $name }: { $amount }
approval-total = Til sammen: { $amount }
approval-pocket-money = Lommepenger til reisen: { $amount }. IOM betaler dem ut til deg når du reiser.
approval-deadline-heading = Siste dag for å reise
approval-deadline = Du må reise senest { $date }. Hvis du ikke har reist innen denne datoen, kan støtten falle bort.
approval-next-heading = Hva skjer nå
approval-next = Den internasjonale organisasjonen for migrasjon (IOM) tar kontakt med deg. IOM hjelper deg med å skaffe reisedokumenter og bestiller flyreisen. Du får et eget brev fra IOM med dato og tidspunkt for reisen.
approval-paid = Pengestøtten betales ut etter at du har kommet fram.
approval-appeal = Hvis du er uenig i vedtaket, kan du klage innen tre uker etter at du fikk dette brevet. Send klagen til UDI (forvaltningsloven §§ 28, 29 og 32).

## Refusal and revocation, with the right to appeal.

refusal-title = Vedtak: Søknaden din om støtte til assistert retur er avslått
refusal-decision = Utlendingsdirektoratet (UDI) har avslått søknaden din om støtte til assistert retur.
revocation-title = Vedtak: Støtten til assistert retur er trukket tilbake
revocation-decision = Utlendingsdirektoratet (UDI) har trukket tilbake vedtaket om å gi deg støtte til assistert retur. Du får ikke lenger denne støtten.
appeal-heading = Du kan klage
appeal-right = Du har rett til å klage på vedtaket (forvaltningsloven § 28).
appeal-deadline = Fristen for å klage er tre uker fra du mottok dette brevet (forvaltningsloven § 29). Du fikk melding om vedtaket { $notified }. Siste dag for å klage er { $deadline }.
appeal-in-time = Det er nok at klagen er postlagt eller levert før fristen går ut (forvaltningsloven § 30). Hvis du klager for sent, kan klagen likevel bli behandlet hvis du hadde en god grunn til å klage sent (forvaltningsloven § 31). Skriv i så fall hvorfor klagen kommer sent.
appeal-where = Send klagen til UDI, som traff vedtaket (forvaltningsloven § 32). UDI ser på saken på nytt og kan selv endre vedtaket. Hvis UDI ikke endrer vedtaket, sender UDI klagen til Utlendingsnemnda (UNE), som avgjør den (forvaltningsloven §§ 33 og 34).
appeal-contents = Klagen skal være skriftlig og underskrevet av deg eller av noen som har fullmakt fra deg. Skriv hvilket vedtak du klager på, og oppgi saksnummeret { $reference }. Skriv hvilken endring du ønsker, og hvorfor du mener vedtaket bør endres (forvaltningsloven § 32).
appeal-law = Vi gir deg denne informasjonen fordi forvaltningsloven § 27 krever det.

## The outcome of an appeal.

appeal-reversed-title = Klagen din: UDI har endret vedtaket
appeal-reversed = Du klaget på avslaget. Utlendingsdirektoratet (UDI) har vurdert saken på nytt og gir deg medhold (forvaltningsloven § 33). Du får støtte til assistert retur, og IOM tar kontakt med deg for å ordne reisen.
appeal-dismissed-udi-title = Klagen din er avvist
appeal-dismissed-udi = Utlendingsdirektoratet (UDI) har avvist klagen din. Det betyr at klagen ikke blir behandlet, fordi vilkårene for å behandle den ikke er oppfylt, for eksempel fordi den kom for sent (forvaltningsloven § 33 annet ledd). Avslaget gjelder fortsatt.
appeal-dismissed-udi-appeal = Du kan klage på avvisningen innen tre uker etter at du fikk dette brevet (forvaltningsloven §§ 28 og 29). Send klagen til UDI. Hvis UDI ikke endrer avgjørelsen, avgjør Utlendingsnemnda (UNE) klagen (forvaltningsloven §§ 32 til 34).
appeal-allowed-title = Klagen din: UNE gir deg medhold
appeal-allowed = Utlendingsnemnda (UNE) har behandlet klagen din og gir deg medhold (forvaltningsloven § 34). Avslaget fra UDI er endret, og du får støtte til assistert retur. IOM tar kontakt med deg for å ordne reisen.
appeal-rejected-title = Klagen din: UNE gir deg ikke medhold
appeal-rejected = Utlendingsnemnda (UNE) har behandlet klagen din og gir deg ikke medhold. Avslaget fra UDI gjelder.
appeal-quashed-title = Klagen din: Saken sendes tilbake til UDI
appeal-quashed = Utlendingsnemnda (UNE) har opphevet vedtaket fra UDI og sendt saken tilbake til UDI (forvaltningsloven § 34). UDI skal behandle søknaden din på nytt og treffe et nytt vedtak. Du får et nytt brev når UDI har bestemt seg, og du kan klage på det nye vedtaket.
appeal-dismissed-une-title = Klagen din er avvist
appeal-dismissed-une = Utlendingsnemnda (UNE) har avvist klagen din. Det betyr at UNE ikke har behandlet klagen, fordi vilkårene for å behandle den ikke er oppfylt. Avslaget fra UDI gjelder fortsatt.
appeal-final = Dette vedtaket er endelig og kan ikke påklages (forvaltningsloven § 28 tredje ledd).
appeal-costs = Hvis du har hatt store utgifter som var nødvendige for å få endret vedtaket, for eksempel til advokat, kan du be om å få dem dekket (forvaltningsloven § 36). Send kravet til { $agency } innen tre uker etter at du fikk dette brevet.

## IOM's travel letter. It says nothing of any decision but the journey.

travel-title = Reiseinformasjon
travel-intro = Flyreisen din er bestilt. Her er det du trenger å vite.
travel-flight = Flynummer: { $flight }
travel-date = Avreisedato: { $date }
travel-from = Fra: { $airport }
travel-to = Til: { $airport }
travel-meet = Møt opp på { $airport } klokken { $time } norsk tid. IOM møter deg der og hjelper deg på flyplassen.
travel-meet-later = IOM gir deg beskjed om når du skal møte opp på flyplassen.
travel-pocket-money = Du får { $amount } i lommepenger. IOM betaler dem ut til deg når du reiser.
travel-bring = Ta med pass eller reisedokument og dette brevet.
travel-change = Hvis du ikke kan reise denne dagen, må du kontakte IOM med en gang. For å endre reisen trenger du en legeerklæring.

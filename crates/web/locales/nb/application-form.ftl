# Det søkerens egne skjemaer viser (søknaden, en klage, å trekke søknaden), og det alle
# skjemaer viser: valglistenes første linje, feiloversikten og feil ved et felt.

apply-legend-principal = Hovedsøkeren
apply-legend-member = Et annet medlem av husstanden ({ $number } av { $total }, hvis dere er flere)
apply-full-name = Fullt navn
apply-date-of-birth = Fødselsdato
apply-duf-number = DUF-nummer
apply-duf-number-hint = Tolv sifre, hvis personen er registrert
apply-unaccompanied-minor = Enslig mindreårig
apply-possible-trafficking-victim = Mulig offer for menneskehandel
apply-relation = Forhold til hovedsøkeren
apply-nationality = Statsborgerskap
apply-return-country = Land du skal reise tilbake til
apply-final-destination = Endelig reisemål
apply-situation = Situasjonen din i Norge
apply-departure-deadline = Utreisefrist
apply-assisted-before = Har fått støtte til å reise tilbake før, og har kommet til Norge igjen
apply-status-in-other-eea-country = Har fått avslag fordi du har status i et annet EØS-land

apply-appeal-grounds = Hvorfor du klager
apply-appeal-posted-on = Postlagt eller levert den
apply-appeal-posted-on-hint = La feltet stå tomt hvis klagen ble sendt i dag

apply-optional = (valgfritt)
apply-choose = Velg …

apply-error-summary = Rett opp dette:
apply-error-in-field = { $field }: { $problem }
apply-error-required = Dette må fylles ut.
apply-error-not-a-date = «{ $value }» er ikke en dato som finnes (ÅÅÅÅ-MM-DD).
apply-error-invalid = { $field } er ikke gyldig. Sjekk det du har skrevet.
apply-error-given-twice = { $field } ble sendt mer enn én gang. Send skjemaet på nytt.
apply-error-in-form = Noe i skjemaet kan ikke godtas. Sjekk det du har skrevet, og send det på nytt.

apply-not-recorded-refused = Ikke registrert: { $reason } (regel: { $rule }).
apply-not-recorded-held = Ikke registrert: saken er tatt av { $by } siden { $since }.
apply-not-recorded-contended = Ikke registrert: saken ble endret flere ganger mens dette ble behandlet. Prøv igjen.
apply-not-recorded-form-reused = Ikke registrert: dette skjemaet er allerede sendt for en annen sak. Åpne saken på nytt og fyll ut skjemaet igjen.
apply-no-such-command = Det finnes ingen handling som heter «{ $command }».

apply-phone = Telefonnummeret ditt
apply-phone-hint = Med landkode hvis det ikke er norsk, for eksempel +47 912 34 567.
apply-contact-language = Språket du vil at vi skal kontakte deg på
apply-needs-interpreter = Jeg trenger tolk
apply-add-member = Legg til én person til i husstanden
apply-data-use-heading = Slik bruker vi opplysningene dine
apply-data-use = UDI bruker det du skriver her, til å behandle søknaden din. Blir den innvilget, får IOM det de trenger for å planlegge reisen og betale ut støtten; IOM får aldri vite hvorfor en søknad ble avslått. Klager du, får Utlendingsnemnda (UNE) saken din. Du kan be om å se hva som er lagret om deg, og om å få det rettet.

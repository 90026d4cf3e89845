# Saksbehandlernes skjemaer for handlinger: ledetekster, hjelpetekster og feil ved et felt.
# Det som også står i søkerens skjemaer, er i application-form.ftl.

form-reasons = Begrunnelse
form-notified-on = Søkeren underrettet den
form-reasoning = Begrunnelse
form-late-appeal-ground = Hvorfor klagen tas under behandling
form-late-appeal-ground-hint = fvl. § 31 a: klageren kan ikke lastes for å ha oversittet fristen; fvl. § 31 b: det er særlige grunner til at klagen bør prøves.
form-dismissal-ground = Avvisningsgrunn
form-udi-assessment = UDIs vurdering
form-particularly-vulnerable = Særlig sårbare
form-particularly-vulnerable-hint = Bare der et landprogram gir mer for det (Marokko); som regel ingen

form-document-for = Gjelder
form-document = Dokument
form-issuing-country = Utstedende land
form-document-number = Dokumentnummer
form-valid-until = Gyldig til

form-departs-on = Avreisedato
form-flight = Flightnummer
form-flight-hint = For eksempel TK1752
form-from-airport = Fra flyplass
form-to-airport = Til flyplass
form-airport-hint = IATA-kode, for eksempel { $example }
form-reschedule-cause = Årsak
form-departed-on = Reiste den
form-arrived-on = Kom fram den
form-signed-on = Signert den

form-amount = Beløp
form-amount-to-repay = Beløp som skal betales tilbake
form-currency = Valuta
form-amount-major = Beløp
form-nok-per-usd = NOK per USD
form-nok-per-usd-hint = FNs operasjonelle valutakurs, for eksempel 10.52 (med punktum)
form-local-currency = Lokal valuta
form-local-currency-hint = For eksempel ETB
form-local-per-usd = Lokal valuta per USD
form-payment-method = Betales som
form-payee = Til (bankoverføring)
form-payee-hint = Ved bankoverføring
form-account = Kontonummer
form-account-holder = Kontoinnehaver

form-returned-on = Uttransportert den
form-re-entered-on = Kom tilbake til Norge den

form-whose-data = Hvem opplysningene gjelder
form-visible-to = Hvem som fortsatt kan se dem
form-visible-to-hint = Roller du ikke krysser av, ser bare «skjermet»
form-erase-confirm = Jeg forstår at sletting fjerner opplysningene for godt
form-erase-confirm-hint = Det kan ikke angres

form-error-tick-to-go-on = Kryss av her for å gå videre.
form-error-amount-incomplete = Fyll ut både valuta og beløp.
form-error-no-such-currency = «{ $currency }» er ikke en valutakode, som for eksempel NOK.
form-error-not-an-amount = «{ $amount }» er ikke et beløp. Skriv for eksempel 1 500,50.
form-error-too-many-decimals = «{ $amount }» har flere desimaler enn { $currency } har ({ $digits }).
form-error-amount-too-large = «{ $amount }» er for stort.
form-meet-at = Oppmøtetid på flyplassen
form-meet-at-hint = Når husstanden skal være på avreiseflyplassen, norsk tid (TT:MM); søkeren får se den.

# Brev: vedtaksbrev og reisebrev, på søkerens språk og på norsk.

letters-heading = Brev
letters-none = Ingen brev ennå: et brev lages for hvert vedtak personen skal få vite om.
letters-hint = Hvert brev er på søkerens språk og på norsk, som PDF. Første gang et brev hentes, blir det sendt: hashen lagres i loggen, så en kopi senere kan kontrolleres.
letters-kind-approval = Vedtak om innvilgelse
letters-kind-refusal = Vedtak om avslag
letters-kind-revocation = Vedtak om tilbakekall
letters-kind-appeal-outcome = Vedtak i klagesaken
letters-kind-travel = Reisebrev fra IOM
letters-issued = sendt { $at }
letters-not-issued = ikke sendt ennå
letters-no-such = Saken har ikke noe brev du kan få for posisjon { $position }.

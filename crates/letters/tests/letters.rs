//! The letters as PDF: the same letter gives the same bytes, and a real PDF reader (poppler's
//! `pdftotext`) reads back what each letter must say.

use std::io::Write;
use std::process::Command;

use chrono::{NaiveDate, NaiveTime};
use retur_domain::Money;
use retur_letters::{AppealOutcome, Body, Granted, Heading, Language, Letter, render};

fn day(year: i32, month: u32, day: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(year, month, day).expect("a date")
}

fn heading() -> Heading {
    Heading {
        reference: "2026-000123".to_owned(),
        to: "Amina Haddad".to_owned(),
        dated: day(2026, 11, 25),
    }
}

fn approval() -> Letter {
    Letter {
        heading: heading(),
        body: Body::Approval {
            granted: vec![
                Granted {
                    name: "Amina Haddad".to_owned(),
                    cash: Money::nok(20_000),
                },
                Granted {
                    name: "Yusuf Haddad".to_owned(),
                    cash: Money::nok(10_000),
                },
            ],
            total: Money::nok(30_000),
            pocket_money: Money::usd(80),
            travel_deadline: day(2027, 2, 24),
        },
    }
}

fn refusal() -> Letter {
    Letter {
        heading: heading(),
        body: Body::Refusal {
            reasons: "Du har en gyldig oppholdstillatelse i Norge, og ordningen gjelder bare den \
                      som ikke har lovlig opphold.\nVi har lagt vekt på opplysningene i søknaden."
                .to_owned(),
            legal_basis: vec![
                "Utlendingsloven § 90".to_owned(),
                "Rundskriv RS 2026-001 punkt 3.2".to_owned(),
            ],
            notified_on: day(2026, 11, 26),
            appeal_deadline: day(2026, 12, 17),
        },
    }
}

fn revocation() -> Letter {
    Letter {
        heading: heading(),
        body: Body::Revocation {
            reasons: "Du har fått oppholdstillatelse.".to_owned(),
            notified_on: day(2026, 11, 26),
            appeal_deadline: day(2026, 12, 17),
        },
    }
}

fn appeal(outcome: AppealOutcome) -> Letter {
    Letter {
        heading: heading(),
        body: Body::Appeal {
            outcome,
            reasoning: "Klagen er vurdert.".to_owned(),
        },
    }
}

fn travel(meet_at: Option<NaiveTime>) -> Letter {
    Letter {
        heading: heading(),
        body: Body::Travel {
            flight: "DY1234".to_owned(),
            departs_on: day(2027, 1, 14),
            from_airport: "Oslo lufthavn (OSL)".to_owned(),
            to_airport: "Bagdad (BGW)".to_owned(),
            meet_at,
            pocket_money: Money::usd(80),
        },
    }
}

const OUTCOMES: [AppealOutcome; 6] = [
    AppealOutcome::ReversedByUdi,
    AppealOutcome::DismissedByUdi,
    AppealOutcome::AllowedByUne,
    AppealOutcome::RejectedByUne,
    AppealOutcome::QuashedByUne,
    AppealOutcome::DismissedByUne,
];

fn every_letter() -> Vec<Letter> {
    let mut letters = vec![approval(), refusal(), revocation(), travel(None)];
    letters.push(travel(NaiveTime::from_hms_opt(6, 30, 0)));
    letters.extend(OUTCOMES.map(appeal));
    letters
}

/// The text poppler's `pdftotext -layout` reads from `pdf`, non-breaking spaces as spaces.
fn pdftotext(pdf: &[u8]) -> String {
    let mut file = tempfile::NamedTempFile::new().expect("a temporary file");
    file.write_all(pdf).expect("the PDF written");
    let output = match Command::new("pdftotext")
        .arg("-layout")
        .arg(file.path())
        .arg("-")
        .output()
    {
        Ok(output) => output,
        // Never skipped: a letter no reader has read back is a letter nobody has checked.
        Err(error) => panic!(
            "pdftotext could not be run ({error}); these tests read the letters back with it. \
             Install poppler-utils (Debian: apt-get install poppler-utils)."
        ),
    };
    assert!(
        output.status.success(),
        "pdftotext read the letter: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    String::from_utf8(output.stdout)
        .expect("pdftotext writes UTF-8")
        .replace('\u{a0}', " ")
}

/// `text` with every run of whitespace as one space, so a sentence reads the same wherever its
/// lines broke.
fn flat(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

fn read(letter: &Letter, language: Language) -> String {
    flat(&pdftotext(&render(letter, language)))
}

fn assert_says(text: &str, expected: &[&str]) {
    for phrase in expected {
        assert!(text.contains(phrase), "missing {phrase:?} in:\n{text}");
    }
}

#[test]
fn the_same_letter_gives_the_same_bytes() {
    for letter in every_letter() {
        for language in [Language::Nb, Language::En, Language::Ar] {
            let first = render(&letter, language);
            assert!(first.starts_with(b"%PDF-"));
            assert_eq!(first, render(&letter, language), "{language:?} {letter:?}");
            // On another thread too, where any per-thread randomness would differ.
            let again = std::thread::scope(|s| s.spawn(|| render(&letter, language)).join());
            assert!(again.is_ok_and(|again| again == first));
        }
    }
}

#[test]
fn the_pdf_carries_no_date() {
    let pdf = render(&refusal(), Language::En);
    let raw = String::from_utf8_lossy(&pdf);
    for marker in [
        "CreationDate",
        "ModDate",
        "xmp:CreateDate",
        "xmp:ModifyDate",
    ] {
        assert!(!raw.contains(marker), "the PDF has {marker}");
    }
}

#[test]
fn a_different_fact_gives_different_bytes() {
    let base = render(&refusal(), Language::En);
    let mut later = refusal();
    if let Body::Refusal {
        appeal_deadline, ..
    } = &mut later.body
    {
        *appeal_deadline = day(2026, 12, 18);
    }
    assert_ne!(base, render(&later, Language::En));
    let mut other = refusal();
    other.heading.reference = "2026-000124".to_owned();
    assert_ne!(base, render(&other, Language::En));
    assert_ne!(base, render(&refusal(), Language::Ar));
    let mut more = approval();
    if let Body::Approval { total, .. } = &mut more.body {
        *total = Money::nok(30_001);
    }
    assert_ne!(
        render(&approval(), Language::Nb),
        render(&more, Language::Nb)
    );
}

#[test]
fn a_refusal_in_bokmal_says_why_on_what_law_and_how_to_appeal() {
    let text = read(&refusal(), Language::Nb);
    assert_says(
        &text,
        &[
            "Utlendingsdirektoratet (UDI)",
            "Saksnummer: 2026-000123",
            "Dato: 25.11.2026",
            "Til: Amina Haddad",
            "Søknaden din om støtte til assistert retur er avslått",
            "Du har en gyldig oppholdstillatelse i Norge",
            "Utlendingsloven § 90",
            "Rundskriv RS 2026-001 punkt 3.2",
            "forvaltningsloven §§ 24 og 25",
            "tre uker fra du mottok dette brevet (forvaltningsloven § 29)",
            "Du fikk melding om vedtaket 26.11.2026",
            "Siste dag for å klage er 17.12.2026",
            "(forvaltningsloven § 30)",
            "(forvaltningsloven § 31)",
            "Send klagen til UDI, som traff vedtaket (forvaltningsloven § 32)",
            "kan selv endre vedtaket",
            "Utlendingsnemnda (UNE)",
            "underskrevet",
            "oppgi saksnummeret 2026-000123",
            "hvilken endring du ønsker",
            "dokumentene i saken din (forvaltningsloven §§ 18 og 19)",
            "forvaltningsloven § 27",
        ],
    );
    // Bokmål only once when the letter is in bokmål.
    assert_eq!(text.matches("Saksnummer: 2026-000123").count(), 1);
}

#[test]
fn a_refusal_in_english_is_followed_by_the_same_in_bokmal() {
    let text = read(&refusal(), Language::En);
    assert_says(
        &text,
        &[
            "Norwegian Directorate of Immigration (UDI)",
            "Reference: 2026-000123",
            "Date: 25 Nov 2026",
            "To: Amina Haddad",
            "your application for support for assisted return is refused",
            "Utlendingsloven § 90",
            "You were notified of the decision on 26 Nov 2026",
            "The last day to appeal is 17 Dec 2026",
            "section 29",
            "Send the appeal to UDI, which made the decision",
            "Immigration Appeals Board (UNE)",
            "signed",
            "documents in your case",
            // And then bokmål.
            "Siste dag for å klage er 17.12.2026",
        ],
    );
    let english = text.find("Reference: 2026-000123");
    let bokmal = text.find("Saksnummer: 2026-000123");
    assert!(english < bokmal, "the applicant's language first");
}

#[test]
fn an_approval_names_the_amounts_and_the_last_day_to_travel() {
    let nb = read(&approval(), Language::Nb);
    assert_says(
        &nb,
        &[
            "Du får støtte til assistert retur",
            "Amina Haddad: 20 000 kr",
            "Yusuf Haddad: 10 000 kr",
            "Til sammen: 30 000 kr",
            "Lommepenger til reisen: USD 80",
            "Du må reise senest 24.02.2027",
            "IOM",
            "reisedokumenter",
            "flyreisen",
        ],
    );
    let en = read(&approval(), Language::En);
    assert_says(
        &en,
        &[
            "Amina Haddad: NOK 20,000",
            "Yusuf Haddad: NOK 10,000",
            "In total: NOK 30,000",
            "Pocket money for the journey: USD 80",
            "You must travel no later than 24 Feb 2027",
            "travel documents",
            "book your flight",
            "Til sammen: 30 000 kr",
        ],
    );
}

#[test]
fn every_appeal_outcome_says_what_became_of_the_appeal() {
    let says =
        |outcome, phrases: &[&str]| assert_says(&read(&appeal(outcome), Language::En), phrases);
    says(
        AppealOutcome::ReversedByUdi,
        &["UDI has changed its decision", "section 33", "section 36"],
    );
    says(
        AppealOutcome::DismissedByUdi,
        &[
            "dismissed your appeal",
            "appeal against the dismissal",
            "section 27",
        ],
    );
    says(
        AppealOutcome::AllowedByUne,
        &[
            "Immigration Appeals Board (UNE)",
            "finds in your favour",
            "cannot be appealed",
        ],
    );
    says(
        AppealOutcome::RejectedByUne,
        &[
            "does not find in your favour",
            "This decision is final and cannot be appealed (Public Administration Act, section 28, third paragraph)",
        ],
    );
    says(
        AppealOutcome::QuashedByUne,
        &["sent the case back to UDI", "make a new decision"],
    );
    says(
        AppealOutcome::DismissedByUne,
        &["UNE) has dismissed your appeal", "cannot be appealed"],
    );
    let nb = read(&appeal(AppealOutcome::RejectedByUne), Language::Nb);
    assert_says(
        &nb,
        &[
            "Utlendingsnemnda (UNE)",
            "Klagen er vurdert.",
            "kan ikke påklages (forvaltningsloven § 28 tredje ledd)",
        ],
    );
}

#[test]
fn the_travel_letter_gives_the_flight_and_mentions_no_decision() {
    let text = read(&travel(NaiveTime::from_hms_opt(6, 30, 0)), Language::En);
    assert_says(
        &text,
        &[
            "International Organization for Migration (IOM)",
            "Flight: DY1234",
            "Date of departure: 14 Jan 2027",
            "From: Oslo lufthavn (OSL)",
            "To: Bagdad (BGW)",
            "at 06:30 Norwegian time",
            "You will get USD 80 in pocket money",
            "Flynummer: DY1234",
            "klokken 06:30 norsk tid",
        ],
    );
    let later = read(&travel(None), Language::Nb);
    assert_says(&later, &["IOM gir deg beskjed om når du skal møte opp"]);
    for text in [text, later] {
        let lower = text.to_lowercase();
        for word in [
            "refus", "avsl", "appeal", "klage", "reason", "begrunn", "vedtak", "decision",
        ] {
            assert!(
                !lower.contains(word),
                "the travel letter says {word:?}:\n{text}"
            );
        }
    }
}

#[test]
fn an_arabic_letter_reads_back_in_arabic_then_in_bokmal() {
    // pdftotext gives Arabic in logical order (as typed), each line between bidi embedding
    // marks, which go. It turns lam-alef ligatures (لا, لأ) back into text the wrong way round
    // and moves punctuation next to a change of direction (`قرار :تم`), so what is asserted here
    // are words without ligatures, and which line they are on.
    let text: String = pdftotext(&render(&refusal(), Language::Ar))
        .chars()
        .filter(|c| !('\u{202a}'..='\u{202e}').contains(c))
        .collect();
    let has_line = |parts: &[&str]| {
        text.lines()
            .any(|line| parts.iter().all(|p| line.contains(p)))
    };
    assert!(
        has_line(&["قرار", "تم رفض طلبك للحصول على دعم العودة الطوعية المدعومة"]),
        "the title:\n{text}"
    );
    assert!(has_line(&["رقم القضية", "2026-000123"]), "{text}");
    assert!(has_line(&["التاريخ", "25/11/2026"]), "{text}");
    assert!(
        has_line(&["آخر يوم لتقديم الطعن هو", "17/12/2026"]),
        "{text}"
    );
    assert!(has_line(&["Amina Haddad"]), "{text}");
    let flat = flat(&text);
    assert_says(&flat, &["Siste dag for å klage er 17.12.2026"]);
    let arabic = flat.find("رقم القضية");
    let bokmal = flat.find("Saksnummer");
    assert!(arabic < bokmal, "Arabic first:\n{text}");
}

#[test]
fn every_letter_in_every_language_has_its_words() {
    for letter in every_letter() {
        for language in [Language::Nb, Language::En, Language::Ar] {
            let text = pdftotext(&render(&letter, language));
            // A message missing from a language would show its id, or Fluent's error.
            for sign in ["heading-", "-title", "Unknown localization", "{ $", "{$"] {
                assert!(!text.contains(sign), "{language:?} {sign}:\n{text}");
            }
        }
    }
}

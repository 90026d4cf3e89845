//! Letters: what a person is told of a decision, as a PDF. A letter is made from facts the log
//! records (the case's reference, the decision, its date, the rules it applied), never from
//! the clock or anything random, so the same facts always give the same bytes: a letter a
//! person holds can be checked against the SHA-256 the log recorded when it was issued.
//!
//! Each letter is written in the applicant's language and in Norwegian bokmål, one after the
//! other, the applicant's first. The words are Project Fluent messages (`locales/`), set on A4
//! pages by `layout.rs` in DejaVu Sans, which this crate carries (`fonts/`), and written as PDF by
//! krilla.
//!
//! # What the Public Administration Act asks of a decision letter
//!
//! Read on 2026-11-26. This machine reaches no web page, only package registries: what is
//! marked *read* was read in stored copies of public pages found through the project's search
//! index (jusinfo.no quoting § 24 in full and the start of § 27; the Ministry of Justice's
//! Legislation Department quoting § 27 third paragraph and, in circular G-10/2003, § 28 third
//! paragraph and Lovavdelingen on § 36 third paragraph; municipal, agency and law-firm guidance on
//! §§ 28–34 and 36). What is marked *knowledge* is from knowledge of the Act, not from its text
//! read here. Nothing was read on Lovdata. Each requirement, and the message that meets it:
//!
//! - § 23 (knowledge): an individual decision is made in writing. This letter.
//! - § 24 first paragraph (read): reasons are given at the same time as the decision, and always
//!   in an appeal case. `reasons-heading` and the reasons as written, in the refusal, the
//!   revocation and every appeal outcome; `reasons-law` cites §§ 24 and 25.
//! - § 24 second paragraph (read): an application granted in full, where no party can be
//!   expected to be dissatisfied, may be decided without reasons. The approval gives none.
//! - § 25 first paragraph (knowledge): the reasons name the rules the decision rests on.
//!   `legal-basis-heading`, with each `legal_basis` line of a refusal as the rule book names it.
//! - § 25 second and third paragraphs (knowledge): the facts the decision rests on, and the main
//!   considerations of any discretion. Carried by the reasons as the caseworker wrote them.
//! - § 27 first paragraph (read): the body that made the decision notifies the parties. The
//!   letter is headed by that body (UDI or UNE; IOM for the travel letter, which is no decision).
//! - § 27 second paragraph (knowledge): the reasons are given in the notification. As § 24.
//! - § 27 third paragraph (first sentence read, the rest knowledge): the notification tells of
//!   the right to appeal, the time limit, the appeal body and how to appeal, and of the right
//!   under §§ 18 and 19 to see the case's documents. `appeal-right`, `appeal-deadline`,
//!   `appeal-where`, `appeal-contents`, `documents`; `appeal-law` cites § 27.
//! - § 28 first paragraph (read): an individual decision may be appealed to the body above the
//!   one that decided (UNE above UDI). `appeal-right`, `appeal-where`.
//! - § 28 third paragraph (read): the appeal body's decision in an appeal case cannot be
//!   appealed, nor its dismissal of an appeal when it is an independent appeals board (letter d),
//!   as UNE is. `appeal-final`, in every letter of UNE's.
//! - § 2 third paragraph with § 28 (read in guidance, not the Act): a dismissal of an appeal by
//!   the body that decided is itself an individual decision, and may be appealed.
//!   `appeal-dismissed-udi-appeal`, in UDI's dismissal.
//! - § 29 (read): the time limit is three weeks from the notification reaching the party.
//!   `appeal-deadline`, with the day the party was notified and the last day to appeal.
//! - § 30 (read): an appeal posted before the limit runs out is in time. `appeal-in-time`.
//! - § 31 (read): a late appeal may still be heard. `appeal-in-time`, which asks why it is late.
//! - § 32 (read): the appeal is sent to the body that made the decision; it is in writing and
//!   signed, names the decision appealed against and the change sought, and should give the
//!   reasons. `appeal-where`, `appeal-contents` (with the case's reference).
//! - § 33 (read): the body that decided considers the appeal first and may reverse its
//!   decision or dismiss the appeal; otherwise it sends the case to the appeal body.
//!   `appeal-where`, `appeal-reversed`, `appeal-dismissed-udi`.
//! - § 34 (read): the appeal body may allow, reject, set aside and send back, or dismiss.
//!   `appeal-allowed`, `appeal-rejected`, `appeal-quashed`, `appeal-dismissed-une`.
//! - § 36 (read): when a decision is changed in the party's favour, the party is told of the
//!   right to have significant and necessary costs covered, claimed within three weeks.
//!   `appeal-costs`, when UDI reverses or UNE allows.
//! - §§ 18 and 19 (knowledge): a party may see the case's documents, save what § 19 withholds.
//!   `documents`, in every decision.

mod layout;
mod text;

use chrono::{NaiveDate, NaiveTime};
use retur_domain::Money;

use crate::layout::{Block, Kind, Section};
use crate::text::Texts;

/// A language letters are written in.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Language {
    /// Norwegian bokmål: every letter has it.
    Nb,
    En,
    /// Arabic, right to left.
    Ar,
}

impl Language {
    /// The language a letter to someone contacted in `code` (ISO 639) is written in beside
    /// bokmål: their own where letters exist in it, else English.
    pub fn for_contact(code: Option<&str>) -> Language {
        match code {
            Some("nb" | "no" | "nn") => Language::Nb,
            Some("ar") => Language::Ar,
            _ => Language::En,
        }
    }
}

/// Who the letter is to, and what case it is about.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Heading {
    /// The case's short reference (`2026-000123`).
    pub reference: String,
    /// The principal applicant's name.
    pub to: String,
    /// The day the decision was made (not the day the letter is printed).
    pub dated: NaiveDate,
}

/// One person of the household and what they are granted.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Granted {
    pub name: String,
    pub cash: Money,
}

/// Who decided an appeal, and how.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum AppealOutcome {
    /// UDI reconsidered and approved (fvl. § 33).
    ReversedByUdi,
    /// UDI dismissed the appeal (not heard: late, or not a party).
    DismissedByUdi,
    /// UNE allowed the appeal: approved.
    AllowedByUne,
    /// UNE rejected the appeal: the refusal stands, finally.
    RejectedByUne,
    /// UNE quashed the decision and sent the case back to UDI.
    QuashedByUne,
    /// UNE dismissed the appeal.
    DismissedByUne,
}

/// What the letter says.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Body {
    /// UDI approved the application: what was granted, and what happens next.
    Approval {
        granted: Vec<Granted>,
        total: Money,
        /// Pocket money for the journey, paid by IOM at departure (USD).
        pocket_money: Money,
        /// The last day to travel under the approval.
        travel_deadline: NaiveDate,
    },
    /// UDI refused: the reasons as UDI wrote them, the rules the refusal rests on (each as the
    /// rule book names its source), the day the applicant was notified and the last day to
    /// appeal.
    Refusal {
        reasons: String,
        legal_basis: Vec<String>,
        notified_on: NaiveDate,
        appeal_deadline: NaiveDate,
    },
    /// UDI revoked an approval: the reasons, and the same right to appeal.
    Revocation {
        reasons: String,
        notified_on: NaiveDate,
        appeal_deadline: NaiveDate,
    },
    /// The outcome of an appeal, at UDI or at UNE, with the reasoning as written.
    Appeal {
        outcome: AppealOutcome,
        reasoning: String,
    },
    /// IOM's travel letter: the flight, where and when to meet, and the pocket money.
    Travel {
        flight: String,
        departs_on: NaiveDate,
        from_airport: String,
        to_airport: String,
        meet_at: Option<NaiveTime>,
        pocket_money: Money,
    },
}

/// A letter: its heading and what it says.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Letter {
    pub heading: Heading,
    pub body: Body,
}

/// The letter as a PDF, in `language` and then in bokmål (once, when `language` is bokmål).
/// Deterministic: the same letter and language give the same bytes.
pub fn render(letter: &Letter, language: Language) -> Vec<u8> {
    let mut languages = vec![language];
    if language != Language::Nb {
        languages.push(Language::Nb);
    }
    let sections: Vec<Section> = languages
        .iter()
        .map(|language| Section {
            right_to_left: *language == Language::Ar,
            blocks: blocks(letter, Texts::new(*language)),
        })
        .collect();
    let pages = layout::lay_out(&sections);
    layout::draw(
        &pages,
        &title(&letter.body, Texts::new(language)),
        language.code(),
    )
}

impl Language {
    /// Its BCP 47 tag, as the PDF's metadata names the letter's language.
    fn code(self) -> &'static str {
        match self {
            Language::Nb => "nb",
            Language::En => "en",
            Language::Ar => "ar",
        }
    }
}

/// Who a letter is from.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Agency {
    Udi,
    Une,
    Iom,
}

impl Agency {
    fn of(body: &Body) -> Agency {
        match body {
            Body::Approval { .. } | Body::Refusal { .. } | Body::Revocation { .. } => Agency::Udi,
            Body::Appeal { outcome, .. } => Agency::deciding(*outcome),
            Body::Travel { .. } => Agency::Iom,
        }
    }

    /// The agency that decided an appeal this way.
    fn deciding(outcome: AppealOutcome) -> Agency {
        match outcome {
            AppealOutcome::ReversedByUdi | AppealOutcome::DismissedByUdi => Agency::Udi,
            AppealOutcome::AllowedByUne
            | AppealOutcome::RejectedByUne
            | AppealOutcome::QuashedByUne
            | AppealOutcome::DismissedByUne => Agency::Une,
        }
    }

    /// Its full name, as the letter is headed and signed.
    fn name(self, texts: Texts) -> String {
        match self {
            Agency::Udi => texts.t("agency-udi"),
            Agency::Une => texts.t("agency-une"),
            Agency::Iom => texts.t("agency-iom"),
        }
    }

    /// Its short name, the same in every language.
    fn short(self) -> String {
        match self {
            Agency::Udi => "UDI",
            Agency::Une => "UNE",
            Agency::Iom => "IOM",
        }
        .to_owned()
    }
}

fn title(body: &Body, texts: Texts) -> String {
    match body {
        Body::Approval { .. } => texts.t("approval-title"),
        Body::Refusal { .. } => texts.t("refusal-title"),
        Body::Revocation { .. } => texts.t("revocation-title"),
        Body::Appeal { outcome, .. } => match outcome {
            AppealOutcome::ReversedByUdi => texts.t("appeal-reversed-title"),
            AppealOutcome::DismissedByUdi => texts.t("appeal-dismissed-udi-title"),
            AppealOutcome::AllowedByUne => texts.t("appeal-allowed-title"),
            AppealOutcome::RejectedByUne => texts.t("appeal-rejected-title"),
            AppealOutcome::QuashedByUne => texts.t("appeal-quashed-title"),
            AppealOutcome::DismissedByUne => texts.t("appeal-dismissed-une-title"),
        },
        Body::Travel { .. } => texts.t("travel-title"),
    }
}

/// The whole letter in one language: heading, title, what it says, greeting.
fn blocks(letter: &Letter, texts: Texts) -> Vec<Block> {
    let heading = &letter.heading;
    let agency = Agency::of(&letter.body);
    let mut blocks = vec![
        Block::new(Kind::Letterhead, texts.t("letterhead")),
        Block::new(Kind::Agency, agency.name(texts)),
        Block::new(
            Kind::Meta,
            texts.t_with(
                "heading-reference",
                &[("reference", heading.reference.clone())],
            ),
        ),
        Block::new(
            Kind::Meta,
            texts.t_with("heading-date", &[("date", texts.date(heading.dated))]),
        ),
        Block::new(
            Kind::Meta,
            texts.t_with("heading-to", &[("name", heading.to.clone())]),
        ),
        Block::new(Kind::Title, title(&letter.body, texts)),
    ];
    let paragraph = |text: String| Block::new(Kind::Paragraph, text);
    match &letter.body {
        Body::Approval {
            granted,
            total,
            pocket_money,
            travel_deadline,
        } => {
            blocks.push(paragraph(texts.t("approval-decision")));
            blocks.push(paragraph(texts.t("approval-granted")));
            for person in granted {
                blocks.push(item(texts.t_with(
                    "approval-person",
                    &[
                        ("name", person.name.clone()),
                        ("amount", texts.money(person.cash)),
                    ],
                )));
            }
            blocks.push(item(
                texts.t_with("approval-total", &[("amount", texts.money(*total))]),
            ));
            blocks.push(paragraph(texts.t_with(
                "approval-pocket-money",
                &[("amount", texts.money(*pocket_money))],
            )));
            blocks.push(Block::new(
                Kind::Heading,
                texts.t("approval-deadline-heading"),
            ));
            blocks.push(paragraph(texts.t_with(
                "approval-deadline",
                &[("date", texts.date(*travel_deadline))],
            )));
            blocks.push(Block::new(Kind::Heading, texts.t("approval-next-heading")));
            blocks.push(paragraph(texts.t("approval-next")));
            blocks.push(paragraph(texts.t("approval-paid")));
            blocks.push(paragraph(texts.t("approval-appeal")));
            blocks.push(documents(texts, agency));
        }
        Body::Refusal {
            reasons: written,
            legal_basis,
            notified_on,
            appeal_deadline,
        } => {
            blocks.push(paragraph(texts.t("refusal-decision")));
            blocks.extend(reasons(texts, written));
            blocks.push(Block::new(Kind::Heading, texts.t("legal-basis-heading")));
            blocks.push(paragraph(texts.t("legal-basis-intro")));
            for rule in legal_basis {
                blocks.push(Block::as_written(
                    Kind::Item,
                    format!("• {}", one_line(rule)),
                ));
            }
            blocks.extend(appeal_rights(
                texts,
                heading,
                *notified_on,
                *appeal_deadline,
            ));
        }
        Body::Revocation {
            reasons: written,
            notified_on,
            appeal_deadline,
        } => {
            blocks.push(paragraph(texts.t("revocation-decision")));
            blocks.extend(reasons(texts, written));
            blocks.extend(appeal_rights(
                texts,
                heading,
                *notified_on,
                *appeal_deadline,
            ));
        }
        Body::Appeal { outcome, reasoning } => {
            blocks.extend(appeal_outcome(texts, heading, *outcome, reasoning));
        }
        Body::Travel {
            flight,
            departs_on,
            from_airport,
            to_airport,
            meet_at,
            pocket_money,
        } => {
            blocks.push(paragraph(texts.t("travel-intro")));
            blocks.push(item(
                texts.t_with("travel-flight", &[("flight", flight.clone())]),
            ));
            blocks.push(item(
                texts.t_with("travel-date", &[("date", texts.date(*departs_on))]),
            ));
            blocks.push(item(
                texts.t_with("travel-from", &[("airport", from_airport.clone())]),
            ));
            blocks.push(item(
                texts.t_with("travel-to", &[("airport", to_airport.clone())]),
            ));
            blocks.push(paragraph(match meet_at {
                Some(at) => texts.t_with(
                    "travel-meet",
                    &[("airport", from_airport.clone()), ("time", texts.time(*at))],
                ),
                None => texts.t("travel-meet-later"),
            }));
            blocks.push(paragraph(texts.t_with(
                "travel-pocket-money",
                &[("amount", texts.money(*pocket_money))],
            )));
            blocks.push(paragraph(texts.t("travel-bring")));
            blocks.push(paragraph(texts.t("travel-change")));
        }
    }
    blocks.push(Block::new(Kind::Closing, texts.t("closing")));
    blocks.push(paragraph(agency.name(texts)));
    blocks
}

fn item(text: String) -> Block {
    Block::new(Kind::Item, format!("• {text}"))
}

/// The reasons as the caseworker wrote them, a paragraph for each of their lines.
fn reasons(texts: Texts, written: &str) -> Vec<Block> {
    let mut blocks = vec![Block::new(Kind::Heading, texts.t("reasons-heading"))];
    blocks.extend(
        written
            .lines()
            .map(str::trim)
            .filter(|line| !line.is_empty())
            .map(|line| Block::as_written(Kind::Paragraph, one_line(line))),
    );
    blocks.push(Block::new(Kind::Paragraph, texts.t("reasons-law")));
    blocks
}

/// What § 27 third paragraph asks a decision that can be appealed to say (see the crate's
/// documentation): the right, the time limit and its last day, where to send it and who decides,
/// what it must contain, and the right to see the documents.
fn appeal_rights(
    texts: Texts,
    heading: &Heading,
    notified_on: NaiveDate,
    appeal_deadline: NaiveDate,
) -> Vec<Block> {
    vec![
        Block::new(Kind::Heading, texts.t("appeal-heading")),
        Block::new(Kind::Paragraph, texts.t("appeal-right")),
        Block::new(
            Kind::Paragraph,
            texts.t_with(
                "appeal-deadline",
                &[
                    ("notified", texts.date(notified_on)),
                    ("deadline", texts.date(appeal_deadline)),
                ],
            ),
        ),
        Block::new(Kind::Paragraph, texts.t("appeal-in-time")),
        Block::new(Kind::Paragraph, texts.t("appeal-where")),
        appeal_contents(texts, heading),
        documents(texts, Agency::Udi),
        Block::new(Kind::Paragraph, texts.t("appeal-law")),
    ]
}

/// An appeal's outcome in words, with the reasoning, and what the party may still do.
fn appeal_outcome(
    texts: Texts,
    heading: &Heading,
    outcome: AppealOutcome,
    reasoning: &str,
) -> Vec<Block> {
    let paragraph = |text: String| Block::new(Kind::Paragraph, text);
    let agency = Agency::deciding(outcome);
    let costs = Block::new(
        Kind::Paragraph,
        texts.t_with("appeal-costs", &[("agency", agency.short())]),
    );
    let mut blocks = vec![match outcome {
        AppealOutcome::ReversedByUdi => paragraph(texts.t("appeal-reversed")),
        AppealOutcome::DismissedByUdi => paragraph(texts.t("appeal-dismissed-udi")),
        AppealOutcome::AllowedByUne => paragraph(texts.t("appeal-allowed")),
        AppealOutcome::RejectedByUne => paragraph(texts.t("appeal-rejected")),
        AppealOutcome::QuashedByUne => paragraph(texts.t("appeal-quashed")),
        AppealOutcome::DismissedByUne => paragraph(texts.t("appeal-dismissed-une")),
    }];
    blocks.extend(reasons(texts, reasoning));
    match outcome {
        // A new decision in the party's favour: it may still be appealed, and costs claimed.
        AppealOutcome::ReversedByUdi => {
            blocks.push(paragraph(texts.t("approval-appeal")));
            blocks.push(costs);
        }
        // UDI's dismissal is a decision of its own, which UNE may be asked to review.
        AppealOutcome::DismissedByUdi => {
            blocks.push(Block::new(Kind::Heading, texts.t("appeal-heading")));
            blocks.push(paragraph(texts.t("appeal-dismissed-udi-appeal")));
            blocks.push(paragraph(texts.t("appeal-in-time")));
            blocks.push(appeal_contents(texts, heading));
        }
        AppealOutcome::AllowedByUne => {
            blocks.push(paragraph(texts.t("appeal-final")));
            blocks.push(costs);
        }
        AppealOutcome::RejectedByUne
        | AppealOutcome::QuashedByUne
        | AppealOutcome::DismissedByUne => blocks.push(paragraph(texts.t("appeal-final"))),
    }
    blocks.push(documents(texts, agency));
    if outcome == AppealOutcome::DismissedByUdi {
        blocks.push(paragraph(texts.t("appeal-law")));
    }
    blocks
}

fn appeal_contents(texts: Texts, heading: &Heading) -> Block {
    Block::new(
        Kind::Paragraph,
        texts.t_with(
            "appeal-contents",
            &[("reference", heading.reference.clone())],
        ),
    )
}

fn documents(texts: Texts, agency: Agency) -> Block {
    Block::new(
        Kind::Paragraph,
        texts.t_with("documents", &[("agency", agency.short())]),
    )
}

/// Text as written, on one line: tabs and other control characters become spaces.
fn one_line(text: &str) -> String {
    text.chars()
        .map(|c| if c.is_control() { ' ' } else { c })
        .collect()
}

//! The letters' words: Project Fluent messages in `locales/<language>/letters.ftl`, compiled in,
//! and the way each language writes dates, times and money.
//!
//! The code names messages by literal ids (`texts.t("refusal-title")`), never by ids made at run
//! time, so a test can find every id the code uses and check that each language has it.
//! Money is formatted by hand from integer minor units: no floats, and no locale data that
//! could change the bytes of a letter when a library is upgraded.

use std::borrow::Cow;
use std::collections::HashMap;

use chrono::{NaiveDate, NaiveTime};
use fluent_templates::fluent_bundle::FluentValue;
use fluent_templates::{LanguageIdentifier, Loader, langid, static_loader};
use retur_domain::Money;

use crate::Language;

static_loader! {
    static LOCALES = {
        locales: "./locales",
        fallback_language: "nb",
    };
}

/// A non-breaking space: an amount and its unit, or the groups of its digits, stay on one line.
const NBSP: char = '\u{a0}';

/// The messages and formats of one language.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Texts {
    language: Language,
}

impl Texts {
    pub(crate) fn new(language: Language) -> Self {
        Texts { language }
    }

    fn id(self) -> LanguageIdentifier {
        match self.language {
            Language::Nb => langid!("nb"),
            Language::En => langid!("en"),
            Language::Ar => langid!("ar"),
        }
    }

    /// The message `id`.
    pub(crate) fn t(self, id: &str) -> String {
        LOCALES.lookup(&self.id(), id)
    }

    /// The message `id` with its variables, each already written in this language.
    pub(crate) fn t_with(self, id: &str, args: &[(&'static str, String)]) -> String {
        let args: HashMap<Cow<'static, str>, FluentValue<'_>> = args
            .iter()
            .map(|(name, value)| (Cow::Borrowed(*name), FluentValue::from(value.as_str())))
            .collect();
        LOCALES.lookup_with_args(&self.id(), id, &args)
    }

    /// `25.11.2026`, `25 Nov 2026`, `25/11/2026`.
    pub(crate) fn date(self, day: NaiveDate) -> String {
        let format = match self.language {
            Language::Nb => "%d.%m.%Y",
            Language::En => "%-d %b %Y",
            Language::Ar => "%d/%m/%Y",
        };
        day.format(format).to_string()
    }

    /// A time of day on the 24-hour clock, as given (the time where the applicant is).
    pub(crate) fn time(self, at: NaiveTime) -> String {
        at.format("%H:%M").to_string()
    }

    /// `30 000 kr` and `USD 80` in bokmål; `NOK 30,000` and `USD 80` in English and Arabic.
    pub(crate) fn money(self, amount: Money) -> String {
        let digits = amount.currency.minor_digits();
        let code = amount.currency.code();
        match self.language {
            Language::Nb => {
                let number = number(amount.minor_units, digits, NBSP, ',');
                if code == "NOK" {
                    format!("{number}{NBSP}kr")
                } else {
                    format!("{code}{NBSP}{number}")
                }
            }
            // Arabic letters give amounts with Western digits, as the figures on a Norwegian
            // payment are written, and the currency code before them as in English.
            Language::En | Language::Ar => {
                format!(
                    "{code}{NBSP}{}",
                    number(amount.minor_units, digits, ',', '.')
                )
            }
        }
    }
}

/// `minor_units` with `digits` decimal places, thousands grouped by `group`; the decimals only
/// when there are any (`30 000`, `30 000,50`).
fn number(minor_units: i64, digits: u32, group: char, decimal: char) -> String {
    let scale = 10u64.pow(digits);
    let magnitude = minor_units.unsigned_abs();
    let (whole, fraction) = (magnitude / scale, magnitude % scale);
    let whole = whole.to_string();
    let mut text = String::new();
    if minor_units < 0 {
        text.push('-');
    }
    for (i, digit) in whole.chars().enumerate() {
        if i > 0 && (whole.len() - i) % 3 == 0 {
            text.push(group);
        }
        text.push(digit);
    }
    if fraction != 0 {
        text.push(decimal);
        text.push_str(&format!("{fraction:0width$}", width = digits as usize));
    }
    text
}

#[cfg(test)]
mod tests {
    use std::collections::{BTreeMap, BTreeSet};
    use std::path::{Path, PathBuf};

    use fluent_syntax::ast;
    use retur_domain::Currency;

    use super::*;

    const LANGUAGES: [&str; 3] = ["nb", "en", "ar"];

    fn root() -> PathBuf {
        Path::new(env!("CARGO_MANIFEST_DIR")).to_path_buf()
    }

    /// Each message of a language, with the variables it uses.
    fn messages(language: &str) -> BTreeMap<String, BTreeSet<String>> {
        let path = root().join("locales").join(language).join("letters.ftl");
        let source = std::fs::read_to_string(&path).expect("the language's letters.ftl");
        let resource = match fluent_syntax::parser::parse(source.as_str()) {
            Ok(resource) => resource,
            Err((_, errors)) => panic!("{}: {errors:?}", path.display()),
        };
        resource
            .body
            .iter()
            .filter_map(|entry| match entry {
                ast::Entry::Message(message) => {
                    let mut variables = BTreeSet::new();
                    if let Some(pattern) = &message.value {
                        for element in &pattern.elements {
                            if let ast::PatternElement::Placeable {
                                expression:
                                    ast::Expression::Inline(ast::InlineExpression::VariableReference {
                                        id,
                                    }),
                            } = element
                            {
                                variables.insert(id.name.to_owned());
                            }
                        }
                    }
                    Some((message.id.name.to_owned(), variables))
                }
                _ => None,
            })
            .collect()
    }

    #[test]
    fn every_message_is_in_every_language_with_the_same_variables() {
        let bokmal = messages("nb");
        assert!(!bokmal.is_empty(), "bokmål has messages");
        for language in LANGUAGES {
            let theirs = messages(language);
            let missing: Vec<_> = bokmal
                .keys()
                .filter(|id| !theirs.contains_key(*id))
                .collect();
            let extra: Vec<_> = theirs
                .keys()
                .filter(|id| !bokmal.contains_key(*id))
                .collect();
            assert!(
                missing.is_empty() && extra.is_empty(),
                "{language}: missing {missing:?}, not in bokmål {extra:?}"
            );
            // A translation that drops `$deadline` drops the last day to appeal.
            for (id, variables) in &bokmal {
                assert_eq!(
                    &theirs[id], variables,
                    "{language}: {id} uses the variables bokmål uses"
                );
            }
        }
    }

    /// Every id the code names (`.t("…")`, `.t_with("…"`) is a message in every language, and
    /// every message is named: a typo in an id is a failing test, not a letter that prints it.
    #[test]
    fn every_message_the_code_names_exists() {
        let languages: Vec<_> = LANGUAGES.iter().map(|l| (*l, messages(l))).collect();
        let mut named = BTreeSet::new();
        for entry in std::fs::read_dir(root().join("src")).expect("the sources") {
            let path = entry.expect("an entry").path();
            if path.extension().is_none_or(|e| e != "rs") {
                continue;
            }
            let source = std::fs::read_to_string(&path).expect("a source file");
            // rustfmt may put the id on the next line.
            for pattern in [".t(", ".t_with("] {
                for piece in source.split(pattern).skip(1) {
                    let Some(quoted) = piece.trim_start().strip_prefix('"') else {
                        continue;
                    };
                    let id = quoted.split('"').next().unwrap_or_default();
                    if !id.is_empty() && id.chars().all(|c| c.is_ascii_lowercase() || c == '-') {
                        named.insert(id.to_owned());
                    }
                }
            }
        }
        assert!(named.len() > 40, "the code names its messages: {named:?}");
        for (language, messages) in &languages {
            let missing: Vec<_> = named
                .iter()
                .filter(|id| !messages.contains_key(*id))
                .collect();
            assert!(missing.is_empty(), "{language} lacks {missing:?}");
            // And no message is left behind that no letter says any more.
            let unused: Vec<_> = messages.keys().filter(|id| !named.contains(*id)).collect();
            assert!(unused.is_empty(), "{language} has unused {unused:?}");
        }
    }

    #[test]
    fn dates_as_each_language_writes_them() {
        let day = NaiveDate::from_ymd_opt(2026, 11, 25).expect("a date");
        let early = NaiveDate::from_ymd_opt(2027, 1, 5).expect("a date");
        let date = |language, day| Texts::new(language).date(day);
        assert_eq!(date(Language::Nb, day), "25.11.2026");
        assert_eq!(date(Language::En, day), "25 Nov 2026");
        assert_eq!(date(Language::Ar, day), "25/11/2026");
        assert_eq!(date(Language::Nb, early), "05.01.2027");
        assert_eq!(date(Language::En, early), "5 Jan 2027");
    }

    #[test]
    fn money_as_each_language_writes_it() {
        let money = |language, amount| Texts::new(language).money(amount).replace(NBSP, " ");
        assert_eq!(money(Language::Nb, Money::nok(30_000)), "30 000 kr");
        assert_eq!(money(Language::Nb, Money::usd(80)), "USD 80");
        assert_eq!(money(Language::En, Money::nok(30_000)), "NOK 30,000");
        assert_eq!(money(Language::En, Money::usd(80)), "USD 80");
        assert_eq!(money(Language::Ar, Money::nok(1_234_567)), "NOK 1,234,567");
        assert_eq!(money(Language::Nb, Money::nok(999)), "999 kr");
        assert_eq!(money(Language::Nb, Money::nok(1_000)), "1 000 kr");
        let cents = Money::new(Currency::NOK, 3_000_050);
        assert_eq!(money(Language::Nb, cents), "30 000,50 kr");
        assert_eq!(money(Language::En, cents), "NOK 30,000.50");
        let dinars = Money::new(Currency::parse("IQD").expect("IQD"), 1_500_005);
        assert_eq!(money(Language::En, dinars), "IQD 1,500.005");
        assert_eq!(money(Language::En, Money::usd(0)), "USD 0");
    }

    #[test]
    fn variables_are_written_into_messages() {
        let texts = Texts::new(Language::En);
        let line = texts.t_with("heading-reference", &[("reference", "2026-000123".into())]);
        assert!(line.contains("2026-000123"), "{line}");
    }
}

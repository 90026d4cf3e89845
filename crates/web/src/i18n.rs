//! The pages' languages and the way they write dates, times, money and countries.
//!
//! Every text a page shows is a Project Fluent message in `crates/web/locales/<language>/`, one
//! file per area; the code names messages by their id (`t!("sign-in-title")`) and never holds a
//! sentence. Norwegian bokmål and English cover every page; Arabic covers what an applicant
//! sees (the files in [`APPLICANT_FILES`]). Adding a language is adding a directory of files and
//! a line to [`Lang`]. A test fails when a message is in one language and not the other.
//!
//! Countries are named from CLDR (ICU4X's compiled data) and numbers grouped as CLDR says each
//! language groups them: `30 000 kr` in bokmål, `NOK 30,000` in English.

use std::borrow::Cow;
use std::collections::HashMap;

use chrono::{DateTime, NaiveDate, Utc};
use fixed_decimal::Decimal as FixedDecimal;
use fluent_templates::fluent_bundle::FluentValue;
use fluent_templates::{LanguageIdentifier, Loader, langid, static_loader};
use icu_decimal::DecimalFormatter;
use icu_experimental::displaynames::DisplayNamesOptions;
use icu_experimental::displaynames::multi::RegionDisplayNames;
use retur_domain::{CountryCode, Money};

static_loader! {
    static LOCALES = {
        locales: "./locales",
        fallback_language: "en",
        // The pages are HTML, which isolates right-to-left text itself (`dir`, `<bdi>`); Fluent's
        // invisible isolation marks would only get in the way of copying and searching.
        customise: |bundle| bundle.set_use_isolating(false),
    };
}

/// The cookie that remembers the language a reader chose on the pages.
pub(crate) const COOKIE: &str = "retur_lang";

/// The files every language must have, because an applicant reads them; the others are for
/// caseworkers and auditors, and exist in bokmål and English.
#[cfg(test)]
pub(crate) const APPLICANT_FILES: [&str; 6] = [
    "common.ftl",
    "letters.ftl",
    "applicant.ftl",
    "codes.ftl",
    "application-form.ftl",
    "refusals.ftl",
];

/// A language the pages are written in.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
pub(crate) enum Lang {
    /// Norwegian bokmål: what caseworkers work in, and the default.
    #[default]
    Nb,
    En,
    /// For applicants; right to left.
    Ar,
}

impl Lang {
    pub(crate) const ALL: [Lang; 3] = [Lang::Nb, Lang::En, Lang::Ar];

    /// Its BCP 47 tag, as `lang` attributes, the cookie and the locale files name it.
    pub(crate) fn code(self) -> &'static str {
        match self {
            Lang::Nb => "nb",
            Lang::En => "en",
            Lang::Ar => "ar",
        }
    }

    /// The language's name in itself, for the switch between languages.
    pub(crate) fn own_name(self) -> &'static str {
        match self {
            Lang::Nb => "Norsk (bokmål)",
            Lang::En => "English",
            Lang::Ar => "العربية",
        }
    }

    pub(crate) fn dir(self) -> &'static str {
        match self {
            Lang::Ar => "rtl",
            Lang::Nb | Lang::En => "ltr",
        }
    }

    /// Whether a caseworker's or an auditor's pages exist in it (all but the applicant's
    /// languages).
    pub(crate) fn for_caseworkers(self) -> bool {
        matches!(self, Lang::Nb | Lang::En)
    }

    pub(crate) fn parse(code: &str) -> Option<Lang> {
        Lang::ALL.into_iter().find(|lang| lang.code() == code)
    }

    fn id(self) -> LanguageIdentifier {
        match self {
            Lang::Nb => langid!("nb"),
            Lang::En => langid!("en"),
            Lang::Ar => langid!("ar"),
        }
    }

    fn locale(self) -> icu_locale::Locale {
        match self {
            Lang::Nb => icu_locale::locale!("nb"),
            Lang::En => icu_locale::locale!("en"),
            Lang::Ar => icu_locale::locale!("ar"),
        }
    }

    /// The first language of an `Accept-Language` header that the pages are written in, in
    /// the order the browser lists them (Fluent's negotiation reads the order, not the
    /// weights). Norwegian (`no`) and nynorsk (`nn`) readers get bokmål.
    /// Only languages `allowed` count.
    pub(crate) fn from_accept_language(header: &str, allowed: fn(Lang) -> bool) -> Option<Lang> {
        fluent_langneg::parse_accepted_languages(header)
            .iter()
            .filter_map(|wanted| match wanted.language.as_str() {
                "nb" | "no" | "nn" => Some(Lang::Nb),
                "en" => Some(Lang::En),
                "ar" => Some(Lang::Ar),
                _ => None,
            })
            .find(|lang| allowed(*lang))
    }

    /// Any language.
    pub(crate) fn any(_: Lang) -> bool {
        true
    }
}

/// The language of the page being made (bokmål outside a request).
pub(crate) fn lang() -> Lang {
    super::PageContext::lang()
}

/// A message in the page's language.
pub(crate) fn text(id: &str) -> String {
    LOCALES.lookup(&lang().id(), id)
}

/// A message in the page's language, with its variables.
pub(crate) fn text_with(id: &str, args: Vec<(&'static str, FluentValue<'_>)>) -> String {
    let args: HashMap<Cow<'static, str>, FluentValue<'_>> = args
        .into_iter()
        .map(|(name, value)| (Cow::Borrowed(name), value))
        .collect();
    LOCALES.lookup_with_args(&lang().id(), id, &args)
}

/// A message in the page's language: `t!("id")`, or with variables `t!("id", name = value)`.
/// A value may be a string or a number (Fluent chooses plural forms from numbers).
macro_rules! t {
    ($id:literal) => {
        $crate::i18n::text($id)
    };
    ($id:literal, $($name:ident = $value:expr),+ $(,)?) => {
        $crate::i18n::text_with($id, vec![$((stringify!($name), $value.into())),+])
    };
}
pub(crate) use t;

/// A message whose id is made at run time (`you-now-approved`).
pub(crate) fn message(id: &str) -> String {
    LOCALES.lookup(&lang().id(), id)
}

/// [`message`], where some ids have no message: `None` for those.
pub(crate) fn try_message(id: &str) -> Option<String> {
    LOCALES.try_lookup(&lang().id(), id)
}

/// Whether `lang` itself (not a fallback) has the message `id`, which takes no variables.
#[cfg(test)]
pub(crate) fn has_plain(lang: Lang, id: &str) -> bool {
    LOCALES
        .lookup_single_language::<&str>(&lang.id(), id, None)
        .is_ok()
}

/// `english`, a sentence the app wrote, on an English page; on any other, the page's own
/// sentence for it (the app's sentences are English and name their details).
pub(crate) fn in_page_language(english: String, ours: impl FnOnce() -> String) -> String {
    match lang() {
        Lang::En => english,
        _ => ours(),
    }
}

/// Why a command was refused, in the page's language: the domain's own sentence on an English
/// page (it names the dates and amounts), the rule's sentence (`refusal-…`) on any other.
pub(crate) fn refusal(refusal: &retur_domain::Refusal) -> String {
    let english = || {
        let text = refusal.to_string();
        let mut chars = text.chars();
        chars
            .next()
            .map(|first| first.to_uppercase().chain(chars).collect())
            .unwrap_or_default()
    };
    match lang() {
        Lang::En => english(),
        _ => try_message(&format!("refusal-{}", refusal.code().replace('_', "-")))
            .unwrap_or_else(english),
    }
}

/// A code's words (`code-under-review` for `under_review`) in the page's language, falling
/// back to English where the page's language has no such message (an applicant's language
/// lacks the caseworkers' codes).
pub(crate) fn code(code: &str) -> Option<String> {
    let id = format!("code-{}", code.replace('_', "-"));
    LOCALES.try_lookup(&lang().id(), &id)
}

/// A date as the page's language writes it: `25.11.2026` in bokmål.
pub(crate) fn date(day: NaiveDate) -> String {
    match lang() {
        Lang::Nb => day.format("%d.%m.%Y").to_string(),
        Lang::En => day.format("%-d %b %Y").to_string(),
        Lang::Ar => day.format("%d/%m/%Y").to_string(),
    }
}

/// A moment in Norwegian time, with the zone named (`CET` or `CEST`).
pub(crate) fn time(at: DateTime<Utc>) -> String {
    let local = at.with_timezone(&chrono_tz::Europe::Oslo);
    let day = date(local.date_naive());
    format!("{day} {}", local.format("%H:%M %Z"))
}

/// A number grouped as the page's language groups it, with `scale` digits after the point.
fn number(value: i64, scale: u32) -> String {
    let mut decimal = FixedDecimal::from(value);
    decimal.multiply_pow10(-(scale as i16));
    match DecimalFormatter::try_new(lang().locale().into(), Default::default()) {
        Ok(formatter) => formatter.format(&decimal).to_string(),
        Err(_) => decimal.to_string(),
    }
}

/// An amount as the page's language writes it: `30 000 kr` and `USD 1 397,95` in bokmål,
/// `NOK 30,000` and `USD 1,397.95` in English. Whole amounts show no øre or cents.
pub(crate) fn money(amount: Money) -> String {
    let digits = amount.currency.minor_digits();
    let unit = 10_i64.pow(digits);
    let whole = amount.minor_units % unit == 0;
    let figure = if whole {
        number(amount.minor_units / unit, 0)
    } else {
        number(amount.minor_units, digits)
    };
    let code = amount.currency.code();
    match lang() {
        Lang::Nb if code == "NOK" => format!("{figure}\u{a0}kr"),
        _ => format!("{code}\u{a0}{figure}"),
    }
}

/// A count as the page's language writes it (`1 200`).
pub(crate) fn count(value: u64) -> String {
    number(i64::try_from(value).unwrap_or(i64::MAX), 0)
}

/// A language's name in the page's language, from CLDR (`ti`: `tigrinja` in bokmål); its
/// code where CLDR has no name.
pub(crate) fn language(code: &str) -> String {
    use icu_experimental::displaynames::multi::LanguageDisplayNames;
    code.parse::<icu_locale::subtags::Language>()
        .ok()
        .and_then(|language| {
            let names = LanguageDisplayNames::try_new(
                lang().locale().into(),
                DisplayNamesOptions::default(),
            )
            .ok()?;
            names.of(language).map(str::to_owned)
        })
        .unwrap_or_else(|| code.to_owned())
}

/// A country's name in the page's language, from CLDR; its code where CLDR has no name.
pub(crate) fn country(code: &CountryCode) -> String {
    country_in(lang(), code.as_str())
}

/// Sorts `(code, name)` pairs by name as the page's language sorts words (CLDR collation:
/// in bokmål Æ, Ø, Å come last and in that order; accents do not move a word to the end).
pub(crate) fn sort_by_name(items: &mut [(String, String)]) {
    use icu_collator::{Collator, options::CollatorOptions};
    match Collator::try_new(lang().locale().into(), CollatorOptions::default()) {
        Ok(collator) => items.sort_by(|a, b| collator.compare(&a.1, &b.1)),
        Err(_) => items.sort_by(|a, b| a.1.cmp(&b.1)),
    }
}

/// A country's name from its code as a read model keeps it.
pub(crate) fn country_named(code: &str) -> String {
    country_in(lang(), code)
}

fn country_in(lang: Lang, code: &str) -> String {
    let name = code
        .parse::<icu_locale::subtags::Region>()
        .ok()
        .and_then(|region| {
            let names =
                RegionDisplayNames::try_new(lang.locale().into(), DisplayNamesOptions::default())
                    .ok()?;
            names.of(region).map(str::to_owned)
        });
    name.unwrap_or_else(|| code.to_owned())
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeSet;
    use std::path::Path;

    use super::*;

    fn in_lang<T>(lang: Lang, f: impl FnOnce() -> T) -> T {
        super::super::PageContext::with_lang(lang, f)
    }

    /// The message ids of one `.ftl` file (terms included, as `-name`).
    fn ids(path: &Path) -> BTreeSet<String> {
        let source = std::fs::read_to_string(path).expect("a locale file");
        let resource = match fluent_syntax::parser::parse(source.as_str()) {
            Ok(resource) => resource,
            Err((_, errors)) => panic!("{}: {errors:?}", path.display()),
        };
        resource
            .body
            .iter()
            .filter_map(|entry| match entry {
                fluent_syntax::ast::Entry::Message(m) => Some(m.id.name.to_owned()),
                fluent_syntax::ast::Entry::Term(t) => Some(format!("-{}", t.id.name)),
                _ => None,
            })
            .collect()
    }

    fn files(lang: Lang) -> BTreeSet<String> {
        let dir = Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("locales")
            .join(lang.code());
        std::fs::read_dir(dir)
            .expect("the language's directory")
            .map(|entry| entry.expect("an entry").file_name().into_string().unwrap())
            .collect()
    }

    #[test]
    fn names_sort_as_the_language_sorts_them() {
        let sorted = |lang, names: &[&str]| {
            let mut items: Vec<(String, String)> = names
                .iter()
                .map(|n| ((*n).to_owned(), (*n).to_owned()))
                .collect();
            super::super::PageContext::with_lang(lang, || sort_by_name(&mut items));
            items.into_iter().map(|(_, name)| name).collect::<Vec<_>>()
        };
        assert_eq!(
            sorted(
                Lang::Nb,
                &[
                    "Åland",
                    "Østerrike",
                    "Zambia",
                    "Ærø",
                    "Elfenbenskysten",
                    "Égypte"
                ]
            ),
            [
                "Égypte",
                "Elfenbenskysten",
                "Zambia",
                "Ærø",
                "Østerrike",
                "Åland"
            ]
        );
    }

    #[test]
    fn every_message_is_in_every_language_that_has_its_file() {
        let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("locales");
        let english = files(Lang::En);
        assert_eq!(
            files(Lang::Nb),
            english,
            "bokmål and English have the same files"
        );
        for file in APPLICANT_FILES {
            assert!(english.contains(file), "{file} is a file of the pages");
            assert!(files(Lang::Ar).contains(file), "Arabic has {file}");
        }
        for lang in Lang::ALL {
            for file in files(lang) {
                let theirs = ids(&root.join("en").join(&file));
                let ours = ids(&root.join(lang.code()).join(&file));
                let missing: Vec<_> = theirs.difference(&ours).collect();
                let extra: Vec<_> = ours.difference(&theirs).collect();
                assert!(
                    missing.is_empty() && extra.is_empty(),
                    "{}/{file}: missing {missing:?}, not in English {extra:?}",
                    lang.code()
                );
            }
        }
    }

    /// Every `t!("…")` in the code names a message that exists: a typo in an id is a test
    /// failure, not a page that shows the id.
    /// The ids of every message in `lang`.
    fn all_ids(lang: Lang) -> BTreeSet<String> {
        let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("locales");
        files(lang)
            .into_iter()
            .flat_map(|file| ids(&root.join(lang.code()).join(file)))
            .collect()
    }

    #[test]
    fn every_message_the_code_names_exists() {
        let (english, bokmal) = (all_ids(Lang::En), all_ids(Lang::Nb));
        let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
        let mut missing = Vec::new();
        let mut named = 0;
        let mut stack = vec![src];
        while let Some(dir) = stack.pop() {
            for entry in std::fs::read_dir(dir).expect("the sources") {
                let path = entry.expect("an entry").path();
                if path.is_dir() {
                    stack.push(path);
                    continue;
                }
                // This file names messages only in its documentation and its macro.
                if path.extension().is_none_or(|e| e != "rs") || path.ends_with("i18n.rs") {
                    continue;
                }
                let source = std::fs::read_to_string(&path).expect("a source file");
                for piece in source.split("t!(\"").skip(1) {
                    let Some(id) = piece.split('"').next() else {
                        continue;
                    };
                    if id.is_empty() || !id.chars().all(|c| c.is_ascii_alphanumeric() || c == '-') {
                        continue;
                    }
                    named += 1;
                    if !english.contains(id) || !bokmal.contains(id) {
                        missing.push(format!("{}: {id}", path.display()));
                    }
                }
            }
        }
        assert!(named > 10, "the code names its messages with t!");
        assert!(missing.is_empty(), "no such message: {missing:#?}");
    }

    #[test]
    fn norwegian_pages_write_norwegian_formats() {
        let day = NaiveDate::from_ymd_opt(2026, 11, 25).unwrap();
        in_lang(Lang::Nb, || {
            assert_eq!(date(day), "25.11.2026");
            assert_eq!(money(Money::nok(30_000)), "30\u{a0}000\u{a0}kr");
            assert_eq!(
                money(Money::new(
                    retur_domain::Currency::parse("USD").unwrap(),
                    139_795
                )),
                "USD\u{a0}1\u{a0}397,95"
            );
            let winter = "2026-11-25T13:05:00Z".parse::<DateTime<Utc>>().unwrap();
            assert_eq!(time(winter), "25.11.2026 14:05 CET");
            let summer = "2026-06-25T13:05:00Z".parse::<DateTime<Utc>>().unwrap();
            assert_eq!(time(summer), "25.06.2026 15:05 CEST");
        });
        in_lang(Lang::En, || {
            assert_eq!(date(day), "25 Nov 2026");
            assert_eq!(money(Money::nok(30_000)), "NOK\u{a0}30,000");
        });
    }

    #[test]
    fn countries_are_named_from_cldr_in_each_language() {
        assert_eq!(country_in(Lang::Nb, "ET"), "Etiopia");
        assert_eq!(country_in(Lang::En, "ET"), "Ethiopia");
        assert_eq!(country_in(Lang::Ar, "ET"), "إثيوبيا");
        assert_eq!(country_in(Lang::Nb, "XK"), "Kosovo");
        crate::PageContext::with_lang(Lang::Nb, || assert_eq!(language("ti"), "tigrinja"));
        crate::PageContext::with_lang(Lang::En, || assert_eq!(language("ps"), "Pashto"));
        // A private-use code has no name: it shows as itself.
        assert_eq!(country_in(Lang::En, "AA"), "AA");
    }

    #[test]
    fn the_browsers_order_chooses_the_language() {
        let any = Lang::any;
        assert_eq!(
            Lang::from_accept_language("nb-NO,nb;q=0.9,en;q=0.5", any),
            Some(Lang::Nb)
        );
        assert_eq!(Lang::from_accept_language("no", any), Some(Lang::Nb));
        assert_eq!(Lang::from_accept_language("en-GB,en", any), Some(Lang::En));
        assert_eq!(
            Lang::from_accept_language("fr,ar;q=0.8", any),
            Some(Lang::Ar)
        );
        assert_eq!(
            Lang::from_accept_language("ar,en;q=0.8", Lang::for_caseworkers),
            Some(Lang::En)
        );
        assert_eq!(Lang::from_accept_language("fr,de", any), None);
        assert_eq!(Lang::from_accept_language("", any), None);
    }
}

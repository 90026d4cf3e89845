//! The rule files: one of the four replaced by any text, the others as shipped. The book either
//! loads or names the file, the entry and what is wrong. Never a panic.
#![no_main]

use libfuzzer_sys::fuzz_target;
use retur_domain::rules::RuleBook;

const FILES: [(&str, &str); 4] = [
    (
        "eligibility.toml",
        include_str!("../../rules/eligibility.toml"),
    ),
    ("grants.toml", include_str!("../../rules/grants.toml")),
    (
        "pocket_money.toml",
        include_str!("../../rules/pocket_money.toml"),
    ),
    (
        "time_limits.toml",
        include_str!("../../rules/time_limits.toml"),
    ),
];

fuzz_target!(|data: &[u8]| {
    let [which, text @ ..] = data else {
        return;
    };
    let Ok(text) = std::str::from_utf8(text) else {
        return;
    };
    let mut files = FILES;
    files[usize::from(*which) % files.len()].1 = text;
    if let Err(error) = RuleBook::from_files(&files) {
        assert!(!error.to_string().is_empty());
    }
});

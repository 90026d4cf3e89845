//! Exact money and the NOK → USD → local conversion with its rounding rule.

use retur_domain::money::{Currency, Money, PerUsd};

use crate::support::*;

#[test]
fn currencies_know_their_minor_units() {
    assert_eq!(Currency::parse("NOK").map(|c| c.minor_digits()), Ok(2));
    assert_eq!(Currency::parse("IQD").map(|c| c.minor_digits()), Ok(3));
    assert_eq!(Currency::parse("JPY").map(|c| c.minor_digits()), Ok(0));
    let unknown = Currency::parse("XYZ").expect_err("not a currency");
    assert!(
        unknown.to_string().contains("XYZ") && unknown.to_string().contains("ISO 4217"),
        "{unknown}"
    );
    assert!(Currency::parse("nok").is_err());
    assert!(Currency::parse("XAU").is_err(), "gold is not paid out");
}

#[test]
fn a_conversion_rounds_the_usd_step_to_cents_then_the_local_amount_to_its_minor_unit() {
    // NOK 15 000 at 10.50 NOK/USD = 1428.571… USD → 1428.57 USD; × 57.25 ETB/USD = 81785.6325 → 81785.63 ETB.
    let converted = rates("10.50", "ETB", "57.25")
        .convert(Money::nok(15_000))
        .expect("converts");
    assert_eq!(converted.usd, Money::new(Currency::USD, 142_857));
    assert_eq!(
        converted.local,
        Money::new(Currency::parse("ETB").expect("ETB"), 8_178_563)
    );
}

#[test]
fn rounding_is_half_away_from_zero() {
    // NOK 0.21 at 2 NOK/USD = 0.105 USD → 0.11 USD.
    let half = rates("2", "USD", "1")
        .convert(Money::new(Currency::NOK, 21))
        .expect("converts");
    assert_eq!(half.usd, Money::new(Currency::USD, 11));
    // 1.00 USD × 0.5 JPY/USD = 0.5 JPY → 1 JPY (no minor unit).
    let yen = rates("1", "JPY", "0.5")
        .convert(Money::nok(1))
        .expect("converts");
    assert_eq!(
        yen.local,
        Money::new(Currency::parse("JPY").expect("JPY"), 1)
    );
}

#[test]
fn a_three_decimal_currency_is_paid_to_the_fils() {
    // NOK 15 000 at 10 NOK/USD = 1500.00 USD; × 1310.123 IQD/USD = 1965184.5 IQD = 1 965 184 500 fils.
    let converted = rates("10", "IQD", "1310.123")
        .convert(Money::nok(15_000))
        .expect("converts");
    assert_eq!(converted.local.minor_units, 1_965_184_500);
}

#[test]
fn rates_must_be_positive_decimals() {
    assert!(PerUsd::parse("0").is_err());
    assert!(PerUsd::parse("-10.5").is_err());
    let text = PerUsd::parse("ten").expect_err("not a number");
    assert!(text.to_string().contains("not a decimal"), "{text}");
    assert_eq!(
        PerUsd::parse("10.500").map(|r| r.to_string()),
        Ok("10.5".to_owned())
    );
}

#[test]
fn sums_of_different_currencies_or_overflowing_sums_are_refused() {
    assert_eq!(Money::nok(1).checked_add(Money::usd(1)), None);
    assert_eq!(
        Money::new(Currency::NOK, i64::MAX).checked_add(Money::nok(1)),
        None
    );
    assert_eq!(
        Money::nok(2).checked_add(Money::nok(3)),
        Some(Money::nok(5))
    );
    assert!(
        rates("10", "NOK", "10").convert(Money::usd(5)).is_none(),
        "only NOK is converted"
    );
}

#[test]
fn money_serializes_as_a_currency_and_whole_minor_units() {
    let json = serde_json::to_value(Money::nok(15_000)).expect("json");
    assert_eq!(
        json,
        serde_json::json!({ "currency": "NOK", "minor_units": 1_500_000 })
    );
    let rate = serde_json::to_value(PerUsd::parse("10.5").expect("rate")).expect("json");
    assert_eq!(
        rate,
        serde_json::json!("10.5"),
        "a rate is an exact decimal string, never a float"
    );
}

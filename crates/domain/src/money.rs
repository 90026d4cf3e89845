//! Exact money: integer minor units in an ISO 4217 currency, and exchange rates as decimals.
//!
//! Rounding rule for the reintegration grant (paid NOK → USD → local currency, at the UN
//! operational rates of exchange): the amount is converted in exact decimal arithmetic, first to
//! USD, rounded to whole cents, then from that USD amount to the local currency, rounded to the
//! local currency's minor unit. Both roundings are half away from zero. Rounding the USD step
//! keeps the figure that IOM's ledger shows in USD the one the local amount is computed from.

use std::fmt;

use rust_decimal::{Decimal, RoundingStrategy};
use serde::{Deserialize, Serialize};

use crate::error::InvalidValue;

/// An ISO 4217 currency with a known number of minor units (`NOK` has 2, `IQD` has 3).
#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct Currency {
    code: [u8; 3],
    minor_digits: u8,
}

impl Currency {
    pub const NOK: Currency = Currency {
        code: *b"NOK",
        minor_digits: 2,
    };
    pub const USD: Currency = Currency {
        code: *b"USD",
        minor_digits: 2,
    };

    pub fn parse(text: &str) -> Result<Self, InvalidValue> {
        let currency = iso_currency::Currency::from_code(text).ok_or_else(|| {
            InvalidValue::new(
                "currency",
                text,
                "is not an ISO 4217 currency code such as NOK",
            )
        })?;
        // Funds and metals (XAU, XDR …) have no minor unit: they are not money anyone is paid in.
        let minor_digits = currency
            .exponent()
            .and_then(|e| u8::try_from(e).ok())
            .ok_or_else(|| {
                InvalidValue::new("currency", text, "is not a currency that is paid out")
            })?;
        let bytes = text.as_bytes();
        Ok(Currency {
            code: [bytes[0], bytes[1], bytes[2]],
            minor_digits,
        })
    }

    pub fn code(&self) -> &str {
        std::str::from_utf8(&self.code).unwrap_or("???")
    }

    /// How many decimal places the currency's minor unit has.
    pub fn minor_digits(&self) -> u32 {
        u32::from(self.minor_digits)
    }
}

impl fmt::Debug for Currency {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.code())
    }
}

/// An amount of money: a whole number of minor units (øre, cents) of one currency.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Money {
    #[cfg_attr(feature = "openapi", schema(value_type = String, example = "NOK"))]
    pub currency: Currency,
    pub minor_units: i64,
}

impl Money {
    pub fn new(currency: Currency, minor_units: i64) -> Self {
        Money {
            currency,
            minor_units,
        }
    }

    pub fn zero(currency: Currency) -> Self {
        Money {
            currency,
            minor_units: 0,
        }
    }

    /// Whole kroner, as the rate tables state them.
    pub fn nok(kroner: i64) -> Self {
        Money {
            currency: Currency::NOK,
            minor_units: kroner * 100,
        }
    }

    /// Whole dollars, as the pocket-money rates state them.
    pub fn usd(dollars: i64) -> Self {
        Money {
            currency: Currency::USD,
            minor_units: dollars * 100,
        }
    }

    /// The sum, or `None` when the currencies differ or the sum overflows.
    pub fn checked_add(self, other: Money) -> Option<Money> {
        (self.currency == other.currency).then_some(())?;
        Some(Money {
            currency: self.currency,
            minor_units: self.minor_units.checked_add(other.minor_units)?,
        })
    }

    /// The difference, or `None` when the currencies differ or it overflows.
    pub fn checked_sub(self, other: Money) -> Option<Money> {
        (self.currency == other.currency).then_some(())?;
        Some(Money {
            currency: self.currency,
            minor_units: self.minor_units.checked_sub(other.minor_units)?,
        })
    }

    /// The amount times a whole number, or `None` on overflow.
    pub fn checked_mul(self, times: i64) -> Option<Money> {
        Some(Money {
            currency: self.currency,
            minor_units: self.minor_units.checked_mul(times)?,
        })
    }

    pub fn is_zero(&self) -> bool {
        self.minor_units == 0
    }

    pub fn is_positive(&self) -> bool {
        self.minor_units > 0
    }

    /// The amount as an exact decimal in major units (150000 øre → 1500.00).
    pub fn to_decimal(&self) -> Decimal {
        Decimal::new(self.minor_units, self.currency.minor_digits())
    }

    /// The amount of `currency` nearest to `value`, rounded half away from zero to its minor unit.
    pub fn from_decimal(currency: Currency, value: Decimal) -> Option<Money> {
        let rounded = value.round_dp_with_strategy(
            currency.minor_digits(),
            RoundingStrategy::MidpointAwayFromZero,
        );
        let scaled =
            rounded.checked_mul(Decimal::from(10_i64.checked_pow(currency.minor_digits())?))?;
        let minor_units = i64::try_from(scaled.trunc()).ok()?;
        Some(Money {
            currency,
            minor_units,
        })
    }
}

impl fmt::Display for Money {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} {}", self.currency, self.to_decimal())
    }
}

impl fmt::Debug for Money {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Display::fmt(self, f)
    }
}

/// An exchange rate: how many units of a currency one US dollar buys, as the UN operational
/// rates of exchange state it. Always positive; kept as an exact decimal string in events.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[cfg_attr(feature = "openapi", schema(value_type = String))]
#[derive(Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(try_from = "Decimal", into = "Decimal")]
pub struct PerUsd(Decimal);

impl PerUsd {
    pub fn parse(text: &str) -> Result<Self, InvalidValue> {
        let value = Decimal::from_str_exact(text)
            .map_err(|_| InvalidValue::new("exchange rate", text, "is not a decimal number"))?;
        PerUsd::try_from(value)
    }

    pub fn value(&self) -> Decimal {
        self.0
    }
}

impl TryFrom<Decimal> for PerUsd {
    type Error = InvalidValue;
    fn try_from(value: Decimal) -> Result<Self, Self::Error> {
        if value > Decimal::ZERO {
            Ok(PerUsd(value.normalize()))
        } else {
            Err(InvalidValue::new(
                "exchange rate",
                value,
                "must be greater than zero",
            ))
        }
    }
}

impl From<PerUsd> for Decimal {
    fn from(rate: PerUsd) -> Decimal {
        rate.0
    }
}

impl fmt::Display for PerUsd {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.0.fmt(f)
    }
}

impl fmt::Debug for PerUsd {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.0.fmt(f)
    }
}

/// The rates one payment was converted at: NOK per USD, and local currency per USD.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ExchangeRates {
    pub nok_per_usd: PerUsd,
    #[cfg_attr(feature = "openapi", schema(value_type = String, example = "AFN"))]
    pub local_currency: Currency,
    pub local_per_usd: PerUsd,
}

/// A NOK amount converted by the module's rounding rule: the USD step and the local amount.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Conversion {
    pub usd: Money,
    pub local: Money,
}

impl ExchangeRates {
    /// Converts `nok` to USD and on to the local currency, rounding each step (module docs).
    /// `None` when `nok` is not in NOK or the figures overflow.
    pub fn convert(&self, nok: Money) -> Option<Conversion> {
        (nok.currency == Currency::NOK).then_some(())?;
        let usd = Money::from_decimal(
            Currency::USD,
            nok.to_decimal().checked_div(self.nok_per_usd.0)?,
        )?;
        let local = Money::from_decimal(
            self.local_currency,
            usd.to_decimal().checked_mul(self.local_per_usd.0)?,
        )?;
        Some(Conversion { usd, local })
    }
}

crate::text_conversions!(Currency, code);

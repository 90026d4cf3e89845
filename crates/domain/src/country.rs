//! Countries as ISO 3166-1 alpha-2 codes, checked against the standard's list.

use std::fmt;

use serde::{Deserialize, Serialize};

use crate::error::InvalidValue;

/// A country, as an assigned ISO 3166-1 alpha-2 code in capitals (`NO`, `AF`, `IQ`).
///
/// Besides the assigned codes (from the `celes` crate's copy of the standard) it accepts `XK`,
/// the user-assigned code that the EU, the UN and UDI's own lists use for Kosovo, which has no
/// assigned code but stands on the list of excluded nationalities.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[cfg_attr(feature = "openapi", schema(value_type = String))]
#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct CountryCode([u8; 2]);

impl CountryCode {
    pub fn parse(text: &str) -> Result<Self, InvalidValue> {
        let bytes = text.as_bytes();
        if bytes.len() != 2 || !bytes.iter().all(u8::is_ascii_uppercase) {
            return Err(InvalidValue::new(
                "country code",
                text,
                "must be an ISO 3166-1 alpha-2 code: two capital letters such as NO",
            ));
        }
        if text == KOSOVO || celes::Country::from_alpha2(text).is_ok() {
            Ok(CountryCode([bytes[0], bytes[1]]))
        } else {
            Err(InvalidValue::new(
                "country code",
                text,
                "is not an assigned ISO 3166-1 alpha-2 code",
            ))
        }
    }

    pub fn as_str(&self) -> &str {
        // Only ASCII capitals get in through `parse`.
        std::str::from_utf8(&self.0).unwrap_or("??")
    }
}

const KOSOVO: &str = "XK";

impl fmt::Debug for CountryCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

crate::text_conversions!(CountryCode, as_str);

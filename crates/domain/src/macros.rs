//! One macro for the validated text types, so that each states its rules once, in `parse`.

/// Gives a validated text type the conversions the rest of the code and serde use, all through
/// the type's own `parse` (in) and the named accessor (out): `TryFrom<String>` and `FromStr`
/// validate, `From<T> for String` and `Display` show the text as it is.
#[macro_export]
#[doc(hidden)]
macro_rules! text_conversions {
    ($type:ty, $text:ident) => {
        impl ::std::convert::TryFrom<String> for $type {
            type Error = $crate::error::InvalidValue;
            fn try_from(text: String) -> Result<Self, Self::Error> {
                <$type>::parse(&text)
            }
        }

        impl ::std::str::FromStr for $type {
            type Err = $crate::error::InvalidValue;
            fn from_str(text: &str) -> Result<Self, Self::Err> {
                <$type>::parse(text)
            }
        }

        impl ::std::convert::From<$type> for String {
            fn from(value: $type) -> String {
                value.$text().to_owned()
            }
        }

        impl ::std::fmt::Display for $type {
            fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                f.write_str(self.$text())
            }
        }
    };
}

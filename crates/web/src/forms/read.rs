//! What a form sent, read into the command's JSON body: each value put at its field's path,
//! amounts made exact in minor units, what is missing or malformed named by field.

use std::collections::BTreeMap;

use chrono::NaiveDate;
use retur_domain::{CommandKind, Currency};
use rust_decimal::Decimal;
use serde_json::{Map, Value};

use super::fields::{Input, fields_for};
use crate::i18n::t;

/// The form's values as the command's JSON body, or what is wrong with them by field.
pub(crate) fn body(
    kind: CommandKind,
    values: &[(String, String)],
) -> Result<Value, BTreeMap<String, String>> {
    let fields = fields_for(kind, values);
    let get = |name: &str| {
        values
            .iter()
            .find(|(key, _)| key == name)
            .map(|(_, v)| v.trim())
            .filter(|v| !v.is_empty())
    };
    let mut root = Value::Object(Map::new());
    set(&mut root, "command", Value::from(kind.name()));
    let mut errors = BTreeMap::new();
    // Household members after the principal with nothing typed are not sent.
    let blank_member = |name: &str| -> bool {
        let Some(index) = member_index(name).filter(|i| *i > 0) else {
            return false;
        };
        ["full_name", "date_of_birth", "duf_number"]
            .iter()
            .all(|part| get(&format!("household[{index}].{part}")).is_none())
    };
    for field in &fields {
        let name = field.name.as_str();
        if blank_member(name) {
            continue;
        }
        match field.input {
            Input::Flag => {
                if name == "_confirm" {
                    if get(name).is_none() {
                        errors.insert(name.to_owned(), t!("form-error-tick-to-go-on"));
                    }
                } else {
                    set(&mut root, name, Value::Bool(get(name).is_some()));
                }
            }
            Input::People | Input::Roles => {
                let chosen: Vec<Value> = values
                    .iter()
                    .filter(|(key, _)| key == name)
                    .map(|(_, v)| Value::from(v.trim()))
                    .collect();
                set(&mut root, name, Value::Array(chosen));
            }
            Input::Amount => {
                let currency = get(&format!("{name}.currency"));
                let major = get(&format!("{name}.major"));
                match (currency, major) {
                    (Some(currency), Some(major)) => match minor_units(currency, major) {
                        Ok(minor) => set(
                            &mut root,
                            name,
                            serde_json::json!({ "currency": currency, "minor_units": minor }),
                        ),
                        Err(problem) => {
                            errors.insert(name.to_owned(), problem);
                        }
                    },
                    _ => {
                        errors.insert(name.to_owned(), t!("form-error-amount-incomplete"));
                    }
                }
            }
            _ => match get(name) {
                Some(value)
                    if field.input == Input::Date
                        && NaiveDate::parse_from_str(value, "%Y-%m-%d").is_err() =>
                {
                    errors.insert(name.to_owned(), t!("apply-error-not-a-date", value = value));
                }
                Some(value) => set(&mut root, name, Value::from(value)),
                None if field.required || is_member_essential(name) => {
                    errors.insert(name.to_owned(), t!("apply-error-required"));
                }
                None => {}
            },
        }
    }
    // A payee paid in cash has no account.
    if kind == CommandKind::PayReintegrationTranche
        && get("payee.method") == Some("cash")
        && let Some(payee) = root.get_mut("payee").and_then(Value::as_object_mut)
    {
        payee.retain(|key, _| key == "method");
    }
    // A member left blank between two filled in leaves no gap in the household.
    if let Some(Value::Array(household)) = root.get_mut("household") {
        household.retain(|member| member.as_object().is_some_and(|m| !m.is_empty()));
    }
    if errors.is_empty() {
        Ok(root)
    } else {
        Err(errors)
    }
}

/// What a household member after the principal, once any of it is typed, must have.
fn is_member_essential(name: &str) -> bool {
    member_index(name).is_some_and(|i| i > 0)
        && [".full_name", ".date_of_birth", ".relation"]
            .iter()
            .any(|part| name.ends_with(part))
}

pub(super) fn member_index(name: &str) -> Option<usize> {
    let rest = name.strip_prefix("household[")?;
    rest.split_once(']')?.0.parse().ok()
}

/// An amount typed in major units (`1 500,50` or `1500.50`), exactly in minor units; or what is
/// wrong with it, in the page's language.
pub(super) fn minor_units(currency: &str, major: &str) -> Result<i64, String> {
    let currency = Currency::parse(currency)
        .map_err(|_| t!("form-error-no-such-currency", currency = currency))?;
    let text: String = major
        .chars()
        .filter(|c| !c.is_whitespace() && *c != '\u{a0}')
        .map(|c| if c == ',' { '.' } else { c })
        .collect();
    let amount = Decimal::from_str_exact(&text)
        .map_err(|_| t!("form-error-not-an-amount", amount = major))?;
    let digits = currency.minor_digits();
    if amount.scale() > digits {
        return Err(t!(
            "form-error-too-many-decimals",
            amount = major,
            currency = currency.code(),
            digits = digits,
        ));
    }
    let minor = amount
        .checked_mul(Decimal::from(10_i64.pow(digits)))
        .and_then(|m| i64::try_from(m.trunc()).ok())
        .ok_or_else(|| t!("form-error-amount-too-large", amount = major))?;
    Ok(minor)
}

/// Puts `value` at a path such as `booking.flight` or `household[1].full_name`.
fn set(root: &mut Value, path: &str, value: Value) {
    let mut at = root;
    let parts: Vec<&str> = path.split('.').collect();
    for (i, part) in parts.iter().enumerate() {
        let last = i + 1 == parts.len();
        let (key, index) = match part.split_once('[') {
            Some((key, rest)) => (key, rest.trim_end_matches(']').parse::<usize>().ok()),
            None => (*part, None),
        };
        let object = match at {
            Value::Object(object) => object,
            other => {
                *other = Value::Object(Map::new());
                other.as_object_mut().expect("an object")
            }
        };
        match index {
            None if last => {
                object.insert(key.to_owned(), value);
                return;
            }
            None => {
                at = object
                    .entry(key)
                    .or_insert_with(|| Value::Object(Map::new()))
            }
            Some(index) => {
                let array = object
                    .entry(key)
                    .or_insert_with(|| Value::Array(Vec::new()));
                if !array.is_array() {
                    *array = Value::Array(Vec::new());
                }
                let items = array.as_array_mut().expect("an array");
                while items.len() <= index {
                    items.push(Value::Object(Map::new()));
                }
                if last {
                    items[index] = value;
                    return;
                }
                at = &mut items[index];
            }
        }
    }
}

//! Values read from outside: what each accepts, and that anything else is refused with a
//! message, never a panic, whatever the bytes.

use retur_domain::travel::{AirportCode, FlightNumber};

#[test]
fn a_flight_number_is_an_airline_and_digits_and_anything_else_is_refused() {
    for good in ["SK4321", "ET715", "DY 1302", "U21"] {
        assert!(FlightNumber::parse(good).is_ok(), "{good}");
    }
    // Found by schemathesis: a character of several bytes across the airline's two was cut
    // in half, and the server panicked.
    for bad in [
        ":¬򮻻)", "Ø123", "¬", "SK", "SK12345", "sk123", "12", "", "ÆØÅ1",
    ] {
        let refused = FlightNumber::parse(bad).expect_err(bad);
        assert!(
            refused.to_string().contains("flight number"),
            "{bad}: {refused}"
        );
    }
}

#[test]
fn an_airport_code_refuses_what_is_not_three_letters() {
    assert!(AirportCode::parse("OSL").is_ok());
    for bad in ["Ø¬L", "OS", "OSLO", "", "o1l"] {
        assert!(AirportCode::parse(bad).is_err(), "{bad}");
    }
}

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

/// A booking's meeting time is `HH:MM`; a booking without one reads and writes as bookings
/// did before it was asked, so events recorded then keep their bytes.
#[test]
fn a_meeting_time_is_a_time_of_day_and_optional() {
    let before = serde_json::json!({
        "departs_on": "2026-03-10", "flight": "ET715", "from_airport": "OSL", "to_airport": "ADD",
    });
    let booking: retur_domain::travel::Booking =
        serde_json::from_value(before.clone()).expect("a booking from before");
    assert_eq!(booking.meet_at, None);
    assert_eq!(serde_json::to_value(&booking).unwrap(), before);
    let mut with = before.clone();
    with["meet_at"] = serde_json::json!("07:30");
    let booking: retur_domain::travel::Booking =
        serde_json::from_value(with.clone()).expect("a booking with a meeting time");
    assert_eq!(booking.meet_at, chrono::NaiveTime::from_hms_opt(7, 30, 0));
    assert_eq!(serde_json::to_value(&booking).unwrap(), with);
    with["meet_at"] = serde_json::json!("half past seven");
    let error = serde_json::from_value::<retur_domain::travel::Booking>(with).unwrap_err();
    assert!(error.to_string().contains("HH:MM"), "{error}");
}

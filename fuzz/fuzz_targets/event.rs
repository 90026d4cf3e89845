//! An event as the log stores it: a type, a schema version and a JSON payload. Any of them
//! either decodes or gives an error; a decoded event encodes to a payload that decodes to it
//! again. Never a panic.
#![no_main]

use libfuzzer_sys::fuzz_target;
use retur_domain::Event;
use retur_domain::event::EVENT_TYPES;

fuzz_target!(|data: &[u8]| {
    let [kind, version, payload @ ..] = data else {
        return;
    };
    let event_type = EVENT_TYPES[usize::from(*kind) % EVENT_TYPES.len()];
    let version = u16::from(*version % 4);
    let Ok(payload) = serde_json::from_slice::<serde_json::Value>(payload) else {
        return;
    };
    if let Ok(event) = Event::decode(event_type, version, &payload) {
        let again = Event::decode(event.event_type(), event.schema_version(), &event.payload())
            .expect("an event's own payload decodes");
        assert_eq!(again, event);
    }
});

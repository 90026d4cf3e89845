//! A command body as `POST /cases/{id}/commands` receives it: any bytes either become a command
//! or a message that says what is wrong. Never a panic.
#![no_main]

use libfuzzer_sys::fuzz_target;
use retur_api::dto::CommandDto;

fuzz_target!(|body: &[u8]| {
    if let Ok(dto) = CommandDto::parse(body) {
        let _ = dto.into_action();
    }
});

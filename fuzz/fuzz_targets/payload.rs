//! Any text through the payload classifier: never a panic, and every error has advice.
#![no_main]

use libfuzzer_sys::fuzz_target;
use tessera_core::otp::parse_payload;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else { return };
    if let Err(error) = parse_payload(text) {
        assert!(!error.advice().is_empty());
        let _ = error.to_string();
    }
});

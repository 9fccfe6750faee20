//! Any text: parsing never panics, and whatever parses survives emit -> parse unchanged.
#![no_main]

use libfuzzer_sys::fuzz_target;
use tessera_core::otp::{parse_otpauth, to_otpauth};

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else { return };
    if let Ok(enrolment) = parse_otpauth(text) {
        let uri = to_otpauth(&enrolment);
        let again = parse_otpauth(&uri).expect("an emitted URI parses");
        assert_eq!(again, enrolment);
        assert_eq!(to_otpauth(&again), uri, "emitting is canonical");
    }
});

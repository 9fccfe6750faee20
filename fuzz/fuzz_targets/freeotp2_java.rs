//! Any bytes as FreeOTP 2 backups (Java serialization), the format forced (not detected), without a password: the parser
//! up to the password check, and every table, cell and chain it follows. An error with advice,
//! never a panic, a hang or an allocation far beyond the input.
#![no_main]

use libfuzzer_sys::fuzz_target;
use tessera_core::transfer::import::{Format, import};

fuzz_target!(|data: &[u8]| {
    if let Err(error) = import(data, None, Some(Format::FreeOtp2), 0) {
        assert!(!error.advice().is_empty());
    }
});

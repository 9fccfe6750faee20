//! Any bytes as a Tessera backup, through the importer with a password (as a restore does): an
//! error with advice or accounts, never a panic. A damaged checksum is found before any key
//! derivation, so this runs fast on random input.
#![no_main]

use libfuzzer_sys::fuzz_target;
use tessera_core::transfer::import::{Format, import};

fuzz_target!(|data: &[u8]| {
    if let Err(error) = import(data, Some(b"fuzz"), Some(Format::Tessera), 0) {
        assert!(!error.advice().is_empty());
        assert!(!error.to_string().contains("fuzz"), "no password in errors");
    }
});

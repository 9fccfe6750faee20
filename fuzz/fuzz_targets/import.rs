//! Any bytes through every importer (detected, then each format forced), with and without a
//! password: a report or an error with advice, never a panic. KDF settings come from the file,
//! so hostile ones must be refused before they run.
#![no_main]

use libfuzzer_sys::fuzz_target;
use tessera_core::transfer::import::{Format, import};

fuzz_target!(|data: &[u8]| {
    let check = |result: Result<_, tessera_core::transfer::TransferError>| {
        if let Err(error) = result {
            assert!(!error.advice().is_empty());
        }
    };
    check(import(data, None, None, 0).map(|_| ()));
    check(import(data, Some(b"test"), None, 0).map(|_| ()));
    for format in Format::ALL {
        // Encrypted formats with a password would run real KDFs on every input: without one,
        // the parsers up to the password check are what is fuzzed.
        check(import(data, None, Some(format), 0).map(|_| ()));
    }
});

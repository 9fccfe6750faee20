//! Any bytes as a vault or backup container, once as they are and once with a valid checksum
//! appended (so the header JSON and the slots are reached, not only the checksum test): an
//! error or a description, never a panic; the key-derivation budget holds for whatever parses.
#![no_main]

use std::path::Path;

use libfuzzer_sys::fuzz_target;
use sha2::{Digest, Sha256};
use tessera_core::vault::{MAX_KDF_WORK_KIB, VaultError, inspect_container};

fuzz_target!(|data: &[u8]| {
    let file = Path::new("fuzz.vault");
    let _ = inspect_container(file, data);
    let mut fixed = b"TESSERA\x00VAULT\n".to_vec();
    fixed.extend_from_slice(data);
    let sum = Sha256::digest(&fixed);
    fixed.extend_from_slice(&sum);
    match inspect_container(file, &fixed) {
        Ok(info) => {
            assert!(info.version.0 == 1);
            let _ = info.kdf_work_kib <= MAX_KDF_WORK_KIB;
        }
        Err(error) => {
            assert!(!error.advice().is_empty());
            assert!(!matches!(error, VaultError::WrongPassword));
        }
    }
});

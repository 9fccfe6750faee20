//! Any bytes as a biometric slot's `sealed` field (what a vault file says the phone sealed): a
//! checked frame or "damaged", never a panic; an accepted frame writes back byte for byte, and
//! opening it with a phone key that did not seal it is refused, never taken for a key.
#![no_main]

use libfuzzer_sys::fuzz_target;
use tessera_core::vault::{BiometricError, BiometricStore, MemoryBiometric, SealedKey};

fuzz_target!(|data: &[u8]| {
    match SealedKey::parse(data) {
        Ok(sealed) => {
            assert_eq!(sealed.to_bytes(), data);
            let phone = MemoryBiometric::default();
            phone.seal("entry", &[7; 32]).expect("the test phone seals");
            assert_eq!(phone.open("entry", data), Err(BiometricError::Damaged));
        }
        Err(error) => assert_eq!(error, BiometricError::Damaged),
    }
});

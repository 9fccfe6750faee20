//! Any bytes as migration data: decoding never panics, and the accounts it yields survive
//! encode -> decode unchanged (those Google's format can hold).
#![no_main]

use libfuzzer_sys::fuzz_target;
use tessera_core::otp::{decode_migration, encode_migration, google_limits};

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else { return };
    // Half the time treat the input as the whole link, half as its data parameter.
    let link = if text.starts_with("otpauth-migration://") {
        text.to_owned()
    } else {
        format!("otpauth-migration://offline?data={text}")
    };
    let Ok(batch) = decode_migration(&link) else { return };
    let accounts: Vec<_> = batch.entries.iter().filter_map(|e| e.as_ref().ok()).collect();
    let fitting: Vec<_> = accounts.iter().copied().filter(|a| google_limits(&a.otp).is_empty()).collect();
    assert_eq!(fitting.len(), accounts.len(), "decoded accounts always fit Google's format");
    let encoded = encode_migration(&fitting, batch.info).expect("fitting accounts encode");
    let again = decode_migration(&encoded).expect("an encoded link decodes");
    assert_eq!(again.info, batch.info);
    let decoded: Vec<_> = again.entries.into_iter().map(|e| e.expect("re-decoded entry")).collect();
    assert_eq!(decoded.len(), fitting.len());
    for (a, b) in decoded.iter().zip(&fitting) {
        assert_eq!(a, *b);
    }
});

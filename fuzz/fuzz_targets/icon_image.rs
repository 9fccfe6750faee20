//! Any bytes as an account's icon picture (the user's own file, an icon inside another app's
//! export, or one read back from a vault): a small checked image or an error with advice,
//! never a panic, a hang or a large allocation; what is accepted is at most 64 KiB, and reads
//! back from storage unchanged.
#![no_main]

use libfuzzer_sys::fuzz_target;
use tessera_core::otp::{IconImage, MAX_ICON_BYTES};

fuzz_target!(|data: &[u8]| {
    for made in [IconImage::from_bytes(data), IconImage::from_imported(data)] {
        match made {
            Ok(icon) => {
                assert!(icon.bytes().len() <= MAX_ICON_BYTES, "{icon:?}");
                let stored = IconImage::from_stored(icon.kind().mime(), icon.bytes())
                    .expect("what was accepted reads back");
                assert_eq!(stored, icon);
            }
            Err(error) => assert!(!error.advice().is_empty()),
        }
    }
    let _ = IconImage::from_stored("image/png", data);
    let _ = IconImage::from_stored("image/svg+xml", data);
});

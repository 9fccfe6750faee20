//! Any bytes as an image file (PNG, JPEG, GIF, WebP, BMP, with EXIF): a frame or an error with
//! advice, never a panic; a frame then goes through the camera-frame decoder.
#![no_main]

use libfuzzer_sys::fuzz_target;
use tessera_core::scan::{Effort, decode, scan_image};

fuzz_target!(|data: &[u8]| {
    match scan_image(data) {
        Ok(frame) => {
            let _ = decode(&frame, Effort::Frame);
        }
        Err(error) => assert!(!error.advice().is_empty()),
    }
});

//! Any bytes as a grey camera frame through the full decoding chain: never a panic (decoder
//! panics are contained), and anything found is classified without a panic either.
#![no_main]

use libfuzzer_sys::fuzz_target;
use tessera_core::otp::parse_payload;
use tessera_core::scan::{Effort, GreyFrame, decode};

fuzz_target!(|data: &[u8]| {
    let [w, h, stride_extra, rest @ ..] = data else { return };
    let (width, height) = (usize::from(*w) + 1, usize::from(*h) + 1);
    let stride = width + usize::from(*stride_extra % 8);
    let Ok(frame) = GreyFrame::from_luma(rest, width, height, stride) else { return };
    for text in decode(&frame, Effort::Still) {
        let _ = parse_payload(&text);
    }
});

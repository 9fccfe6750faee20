//! Any lines as the QR texts of an animated transfer, into the receiver (as the camera feeds
//! it): each is taken, ignored or refused with a reason, never a panic, a hang or an
//! allocation storm (the `ur` fountain decoder sizes its work by what a part claims; the
//! receiver bounds every header first).
#![no_main]

use libfuzzer_sys::fuzz_target;
use tessera_core::transfer::handover::{Receiver, TransferCode};

fuzz_target!(|data: &[u8]| {
    let mut receiver = Receiver::default();
    for line in data.split(|&b| b == b'\n').take(256) {
        let text = String::from_utf8_lossy(line);
        // Half the lines become transfer frames by their prefix, so the header checks run.
        let text = if line.first().is_some_and(|b| b & 1 == 1) {
            format!("ur:tessera-transfer/{text}")
        } else {
            text.into_owned()
        };
        let _ = receiver.receive(&text);
    }
    let progress = receiver.progress();
    assert!((0.0..=1.0).contains(&progress.fraction()));
    if progress.complete {
        let _ = receiver.open(&TransferCode::generate());
    }
});

//! The decoding strategy: cheap attempts first, so that a frame without a code is rejected fast,
//! and the full chain for still images.
//!
//! 1. rxing (a pure-Rust ZXing port) on the frame, multiple codes;
//! 2. rqrr on the frame (under `catch_unwind`: rqrr 0.11 asserts on a few real photos);
//! 3. for still images only: rxing on the inverted frame (light-on-dark codes), and both
//!    decoders on a half-size frame (large photos where the modules are many pixels wide).

use std::panic::{AssertUnwindSafe, catch_unwind};

use super::frame::GreyFrame;

/// How hard to try.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Effort {
    /// A live camera frame: the next frame is another chance, so only the cheap attempts.
    Frame,
    /// A file or screenshot: every attempt.
    Still,
}

/// Every QR payload found in the frame, each once, in the order found.
pub fn decode(frame: &GreyFrame, effort: Effort) -> Vec<String> {
    let mut found = Vec::new();
    add(&mut found, with_rxing(frame));
    add(&mut found, with_rqrr(frame));
    if effort == Effort::Still {
        if found.is_empty() {
            let inverted = GreyFrame {
                data: frame.data.iter().map(|p| 255 - p).collect(),
                ..frame.clone()
            };
            add(&mut found, with_rxing(&inverted));
            add(&mut found, with_rqrr(&inverted));
        }
        if found.is_empty() && frame.width.min(frame.height) >= 400 {
            let half = downscale(frame);
            add(&mut found, with_rxing(&half));
            add(&mut found, with_rqrr(&half));
        }
    }
    found
}

fn add(found: &mut Vec<String>, texts: Vec<String>) {
    for text in texts {
        if !found.contains(&text) {
            found.push(text);
        }
    }
}

fn with_rxing(frame: &GreyFrame) -> Vec<String> {
    let Ok(results) = catch_unwind(AssertUnwindSafe(|| {
        rxing::helpers::detect_multiple_in_luma(
            frame.data.clone(),
            frame.width as u32,
            frame.height as u32,
        )
    })) else {
        return Vec::new();
    };
    results
        .map(|results| {
            results
                .into_iter()
                .filter(|r| *r.getBarcodeFormat() == rxing::BarcodeFormat::QR_CODE)
                .map(|r| r.getText().to_owned())
                .collect()
        })
        .unwrap_or_default()
}

fn with_rqrr(frame: &GreyFrame) -> Vec<String> {
    catch_unwind(AssertUnwindSafe(|| {
        let mut image =
            rqrr::PreparedImage::prepare_from_greyscale(frame.width, frame.height, |x, y| {
                frame.data[y * frame.width + x]
            });
        image
            .detect_grids()
            .into_iter()
            .filter_map(|grid| grid.decode().ok().map(|(_, text)| text))
            .collect()
    }))
    .unwrap_or_default()
}

/// Half the width and height, averaging 2x2 blocks.
fn downscale(frame: &GreyFrame) -> GreyFrame {
    let (width, height) = (frame.width / 2, frame.height / 2);
    let at = |x: usize, y: usize| u16::from(frame.data[y * frame.width + x]);
    let mut data = Vec::with_capacity(width * height);
    for y in 0..height {
        for x in 0..width {
            let sum = at(2 * x, 2 * y)
                + at(2 * x + 1, 2 * y)
                + at(2 * x, 2 * y + 1)
                + at(2 * x + 1, 2 * y + 1);
            data.push((sum / 4) as u8);
        }
    }
    GreyFrame {
        data,
        width,
        height,
    }
}

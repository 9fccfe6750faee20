//! The decoding strategy: a list of attempts, cheapest and most productive first, tried until
//! one finds a code. On the ZXing black-box photos the plain attempt reads 667 of the 728 rotated
//! images; each later attempt was kept only because it reads images none before it could
//! (measured with every attempt on every image, then ordered greedily):
//!
//! | attempt | decoder | what it reads that the earlier ones do not |
//! |---|---|---|
//! | plain | rxing, hybrid binarizer | almost everything |
//! | global | rxing, global-histogram binarizer | low-contrast codes, dense codes |
//! | adaptive | rxing on a local-mean threshold | wrinkled cloth, shadows |
//! | stretched | rxing on a contrast-stretched frame | washed-out photos |
//! | doubled | rxing on a 2x upscale | small codes with 1-2 pixel modules |
//! | rqrr | rqrr | mirrored codes, codes with a missing part |
//! | rqrr adaptive | rqrr on two local-mean thresholds | the worst cloth photos |
//! | inverted | rxing on the negative | light-on-dark (dark-mode) codes |
//! | halved | rxing on a 2x downscale | large noisy photos |
//!
//! A camera frame ([`Effort::Frame`]) gets the rxing attempts until its time budget runs out:
//! the next frame is another chance. A still image gets every attempt.

use std::cell::Cell;
use std::collections::HashSet;
use std::panic::{AssertUnwindSafe, catch_unwind};
use std::sync::Once;
use std::time::{Duration, Instant};

use rxing::common::{GlobalHistogramBinarizer, HybridBinarizer};
use rxing::multi::MultipleBarcodeReader;
use rxing::qrcode::cpp_port::QrReader;
use rxing::{BarcodeFormat, Binarizer, BinaryBitmap, DecodeHints, Luma8Source};

use super::frame::GreyFrame;
use super::prepare;

/// How hard to try.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Effort {
    /// A live camera frame: cheap attempts only, within [`FRAME_BUDGET`].
    Frame,
    /// A file or screenshot: every attempt.
    Still,
}

/// How long [`decode`] may spend on one camera frame: a new attempt starts only while the frame
/// has been worked on for less than this. At 30 frames per second a frame arrives every 33 ms.
pub const FRAME_BUDGET: Duration = Duration::from_millis(8);

/// Frames above this many pixels are halved (repeatedly) before the preprocessing attempts: a
/// code big enough to scan survives it, and the attempts stay fast and small in memory.
const MAX_WORKING_PIXELS: usize = 4 * 1024 * 1024;

/// Every QR payload found in the frame, each once, in the order found. Several codes in one
/// frame are all returned when the attempt that finds the first sees them too.
pub fn decode(frame: &GreyFrame, effort: Effort) -> Vec<String> {
    locate(frame, effort).into_iter().map(|s| s.text).collect()
}

/// [`decode`] with another time budget: an attempt starts only if it is likely to end within
/// `budget` (its cost relative to the plain attempt, times what the plain attempt took on this
/// frame). The first attempt always runs.
pub fn decode_within(frame: &GreyFrame, effort: Effort, budget: Duration) -> Vec<String> {
    locate_within(frame, effort, budget)
        .into_iter()
        .map(|s| s.text)
        .collect()
}

/// A QR code found in a frame: its text and where it is, so a camera view can draw a frame
/// around it. `Debug` leaves the text out: it is usually an `otpauth://` link with a secret.
#[derive(Clone, PartialEq)]
pub struct Sighting {
    /// The payload.
    pub text: String,
    /// The code's corners in the pixels of the frame given to [`locate`], going round the
    /// code, when the decoder reported them.
    pub corners: Option<[(f32, f32); 4]>,
}

impl std::fmt::Debug for Sighting {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Sighting")
            .field(
                "text",
                &format_args!("<{} characters>", self.text.chars().count()),
            )
            .field("corners", &self.corners)
            .finish()
    }
}

/// Like [`decode`], with each code's position.
pub fn locate(frame: &GreyFrame, effort: Effort) -> Vec<Sighting> {
    let budget = match effort {
        Effort::Frame => FRAME_BUDGET,
        Effort::Still => Duration::MAX,
    };
    locate_within(frame, effort, budget)
}

/// Like [`decode_within`], with each code's position.
pub fn locate_within(frame: &GreyFrame, effort: Effort, budget: Duration) -> Vec<Sighting> {
    if frame.width == 0 || frame.height == 0 || frame.data.len() < frame.width * frame.height {
        return Vec::new();
    }
    let start = Instant::now();
    let hard = effort == Effort::Still;
    let mut working: Option<GreyFrame> = None;
    let mut plain = Duration::ZERO;
    for (i, attempt) in ATTEMPTS.iter().enumerate() {
        if !hard && !attempt.on_frames {
            continue;
        }
        // Start an attempt only if it is likely to end within the budget.
        let elapsed = start.elapsed();
        if i > 0 && elapsed.saturating_add(plain * attempt.cost / 10) > budget {
            break;
        }
        let (mut found, scale) = if i == 0 {
            ((attempt.run)(frame, hard), attempt.scale)
        } else {
            let working = working.get_or_insert_with(|| shrink_to_working(frame));
            let shrunk = frame.width as f32 / working.width as f32;
            ((attempt.run)(working, hard), attempt.scale * shrunk)
        };
        if !found.is_empty() {
            for sighting in &mut found {
                if let Some(corners) = &mut sighting.corners {
                    for (x, y) in corners.iter_mut() {
                        *x *= scale;
                        *y *= scale;
                    }
                }
            }
            return found;
        }
        if i == 0 {
            plain = start.elapsed();
        }
    }
    Vec::new()
}

/// One way of reading a frame.
struct Attempt {
    /// What it costs, in tenths of the plain attempt (measured on 720p camera frames).
    cost: u32,
    /// Cheap enough for a live camera frame.
    on_frames: bool,
    /// What a corner found by `run` is multiplied by to be in the pixels of the frame given
    /// to it (2 for an attempt on a half-size copy).
    scale: f32,
    /// Reads the frame; `hard` (still images) makes rxing look at every row for finder
    /// patterns instead of skipping rows as it does for camera frames.
    run: fn(&GreyFrame, bool) -> Vec<Sighting>,
}

const ATTEMPTS: &[Attempt] = &[
    // plain
    Attempt {
        cost: 10,
        on_frames: true,
        scale: 1.0,
        run: |f, hard| rxing_hybrid(f, hard),
    },
    // global
    Attempt {
        cost: 10,
        on_frames: true,
        scale: 1.0,
        run: |f, hard| rxing_global(f, hard),
    },
    // adaptive
    Attempt {
        cost: 50,
        on_frames: true,
        scale: 1.0,
        run: |f, hard| rxing_global(&prepare::adaptive_threshold(f, radius(f, 16), 2), hard),
    },
    // stretched
    Attempt {
        cost: 13,
        on_frames: true,
        scale: 1.0,
        run: |f, hard| rxing_global(&prepare::stretch(f), hard),
    },
    // doubled
    Attempt {
        cost: 50,
        on_frames: false,
        scale: 0.5,
        run: |f, hard| {
            if f.width * f.height * 4 > MAX_WORKING_PIXELS {
                return Vec::new();
            }
            rxing_global(&prepare::double(f), hard)
        },
    },
    // rqrr
    Attempt {
        cost: 40,
        on_frames: false,
        scale: 1.0,
        run: |f, _| rqrr(f),
    },
    // rqrr adaptive
    Attempt {
        cost: 100,
        on_frames: false,
        scale: 1.0,
        run: |f, _| {
            let mut found = rqrr(&prepare::adaptive_threshold(f, radius(f, 4), 0));
            if found.is_empty() {
                found = rqrr(&prepare::adaptive_threshold(f, radius(f, 16), 2));
            }
            found
        },
    },
    // inverted
    Attempt {
        cost: 12,
        on_frames: false,
        scale: 1.0,
        run: |f, hard| rxing_hybrid(&prepare::invert(f), hard),
    },
    // halved
    Attempt {
        cost: 4,
        on_frames: false,
        scale: 2.0,
        run: |f, hard| {
            if f.width.min(f.height) < 120 {
                return Vec::new();
            }
            rxing_hybrid(&prepare::half(f), hard)
        },
    },
];

/// A threshold window of about 1/`fraction` of the frame's shorter side.
fn radius(frame: &GreyFrame, fraction: usize) -> usize {
    (frame.width.min(frame.height) / fraction).max(2)
}

fn shrink_to_working(frame: &GreyFrame) -> GreyFrame {
    let mut working = frame.clone();
    while working.width * working.height > MAX_WORKING_PIXELS {
        working = prepare::half(&working);
    }
    working
}

fn rxing_hybrid(frame: &GreyFrame, hard: bool) -> Vec<Sighting> {
    rxing_with(frame, hard, HybridBinarizer::new)
}

fn rxing_global(frame: &GreyFrame, hard: bool) -> Vec<Sighting> {
    rxing_with(frame, hard, GlobalHistogramBinarizer::new)
}

/// zxing-cpp's QR reader as ported by rxing (finder-pattern sets, several codes per frame).
fn rxing_with<'a, B: Binarizer>(
    frame: &'a GreyFrame,
    hard: bool,
    binarizer: fn(Luma8Source<'a>) -> B,
) -> Vec<Sighting> {
    let hints = DecodeHints {
        PossibleFormats: Some(HashSet::from([BarcodeFormat::QR_CODE])),
        TryHarder: Some(hard),
        ..Default::default()
    };
    let Ok(source) =
        Luma8Source::new_with_slice(&frame.data, frame.width as u32, frame.height as u32)
    else {
        return Vec::new();
    };
    let mut bitmap = BinaryBitmap::new(binarizer(source));
    let results = quietly(|| QrReader.decode_multiple_with_hints(&mut bitmap, &hints));
    let mut found: Vec<Sighting> = Vec::new();
    for result in results.into_iter().flatten().flatten() {
        let text = result.getText();
        if !found.iter().any(|s| s.text == text) {
            let points: Vec<(f32, f32)> = result.getPoints().iter().map(|p| (p.x, p.y)).collect();
            found.push(Sighting {
                text: text.to_owned(),
                corners: quadrilateral(&points),
            });
        }
    }
    found
}

/// Four corners from a decoder's points: zxing-cpp's QR reader gives the four corners of the
/// symbol; older detectors give the three finder-pattern centres, completed here to a
/// parallelogram.
fn quadrilateral(points: &[(f32, f32)]) -> Option<[(f32, f32); 4]> {
    let corners = match points {
        [a, b, c, d, ..] => [*a, *b, *c, *d],
        // bottom-left, top-left, top-right: the missing corner is opposite the top-left one.
        [a, b, c] => [*a, *b, *c, (a.0 + c.0 - b.0, a.1 + c.1 - b.1)],
        _ => return None,
    };
    Some(going_round(corners))
}

/// The corners in order of their angle around their centre, so that joining them draws the
/// code's outline and not a bow tie (decoders list corners in their own orders).
fn going_round(mut corners: [(f32, f32); 4]) -> [(f32, f32); 4] {
    let cx = corners.iter().map(|c| c.0).sum::<f32>() / 4.0;
    let cy = corners.iter().map(|c| c.1).sum::<f32>() / 4.0;
    corners.sort_by(|a, b| {
        let angle = |p: &(f32, f32)| (p.1 - cy).atan2(p.0 - cx);
        angle(a).total_cmp(&angle(b))
    });
    corners
}

fn rqrr(frame: &GreyFrame) -> Vec<Sighting> {
    quietly(|| {
        let mut image =
            rqrr::PreparedImage::prepare_from_greyscale(frame.width, frame.height, |x, y| {
                frame.data[y * frame.width + x]
            });
        let mut found: Vec<Sighting> = Vec::new();
        for grid in image.detect_grids() {
            if let Ok((_, text)) = grid.decode()
                && !found.iter().any(|s| s.text == text)
            {
                let corner = |i: usize| (grid.bounds[i].x as f32, grid.bounds[i].y as f32);
                found.push(Sighting {
                    text,
                    corners: Some(going_round([corner(0), corner(1), corner(2), corner(3)])),
                });
            }
        }
        found
    })
    .unwrap_or_default()
}

thread_local! {
    static QUIET: Cell<bool> = const { Cell::new(false) };
}

/// Run a decoder, turning its panics into "nothing found" without printing them: rqrr 0.11
/// asserts on a few real photos (a perspective mapped outside `i32`), and a scanner must not
/// crash or spill panic messages on a bad frame. The panic hook is wrapped once, so that panics
/// anywhere else still reach whatever hook was installed before.
fn quietly<T>(run: impl FnOnce() -> T) -> Option<T> {
    static WRAP_HOOK: Once = Once::new();
    WRAP_HOOK.call_once(|| {
        let previous = std::panic::take_hook();
        std::panic::set_hook(Box::new(move |info| {
            if !QUIET.with(Cell::get) {
                previous(info);
            }
        }));
    });
    let was = QUIET.with(|quiet| quiet.replace(true));
    let result = catch_unwind(AssertUnwindSafe(run));
    QUIET.with(|quiet| quiet.set(was));
    result.ok()
}

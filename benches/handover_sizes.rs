//! The frame size of animated transfers (issue 16): which fragment size moves a transfer
//! fastest from one phone's screen into another's camera.
//!
//! For each fragment size the frames are made as the sender makes them (UR parts, upper case,
//! drawn by `qr::png` as the send screen shows them), then photographed as a phone held 15 to
//! 40 cm from another phone's screen sees them: the sender shows its code about 6 cm wide; a
//! phone's main camera (about 72 degrees across a 1280x720 picture) sees that as 5300 / d
//! pixels at d cm. The picture is tilted 6 degrees, blurred (in focus: a Gaussian of 0.6
//! pixels; soft, as while the camera refocuses or the hand moves: 1.1), flattened by glare
//! (black 50, white 205) and noisy (+-12), then decoded by the camera loop's decoder
//! (`Effort::Frame`), as the replay camera's pictures are. Printed: the decode rate at each
//! distance and the bytes that reach the receiver per second at 30 frames per second.
//!
//! Run with `cargo bench --bench handover_sizes` (about a minute). Under `cargo test` it only
//! checks that one frame of the size Tessera sends decodes in focus at 20 cm.

use image::imageops::FilterType;
use image::{GrayImage, Luma};
use tessera_core::scan::{Effort, GreyFrame, decode};
use tessera_core::transfer::export::qr;
use tessera_core::transfer::handover::{FRAGMENT_BYTES, UR_TYPE};

/// Fragment sizes compared, in bytes.
const SIZES: [usize; 6] = [100, 160, 240, 320, 480, 640];
/// Distances from the sending screen, in cm.
const DISTANCES: [u32; 5] = [15, 20, 25, 30, 40];
/// Frames photographed per size and distance.
const FRAMES: usize = 12;

/// A deterministic pseudo-random stream (xorshift), for the container and the noise.
struct Noise(u64);

impl Noise {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }
}

/// Frames of a 12 kB container (40 accounts with long notes are about 11 kB) cut into
/// `size`-byte fragments, as `Sender::next_frame` writes them.
fn frames(size: usize, count: usize) -> Vec<String> {
    let mut noise = Noise(0x2545_f491_4f6c_dd1d);
    let container: Vec<u8> = (0..12_000).map(|_| noise.next() as u8).collect();
    let mut encoder = ur::Encoder::new(&container, size, UR_TYPE).expect("an encoder");
    (0..count)
        .map(|_| encoder.next_part().expect("a part").to_ascii_uppercase())
        .collect()
}

/// The QR code of `text` as a camera `distance` cm away sees it.
fn photograph(text: &str, distance: u32, blur: f32, noise: &mut Noise) -> GreyFrame {
    let drawn = image::load_from_memory(&qr::png(text).expect("fits a QR code"))
        .expect("a PNG")
        .to_luma8();
    // qr::png draws a 4-module quiet zone; the 6 cm are the code with it.
    let side = 5300 / distance;
    let code = image::imageops::resize(&drawn, side, side, FilterType::Triangle);
    let (width, height) = (1280u32, 720u32);
    let (cx, cy) = (width as f32 / 2.0, height as f32 / 2.0);
    let half = side as f32 / 2.0;
    let (sin, cos) = 6f32.to_radians().sin_cos();
    let picture = GrayImage::from_fn(width, height, |x, y| {
        // Inverse rotation about the centre into the code's own pixels.
        let (dx, dy) = (x as f32 - cx, y as f32 - cy);
        let (u, v) = (cos * dx + sin * dy + half, -sin * dx + cos * dy + half);
        if u < 0.0 || v < 0.0 || u >= side as f32 - 1.0 || v >= side as f32 - 1.0 {
            return Luma([120]);
        }
        let (x0, y0) = (u as u32, v as u32);
        let (fx, fy) = (u - x0 as f32, v - y0 as f32);
        let at = |x: u32, y: u32| f32::from(code.get_pixel(x, y)[0]);
        let top = at(x0, y0) * (1.0 - fx) + at(x0 + 1, y0) * fx;
        let bottom = at(x0, y0 + 1) * (1.0 - fx) + at(x0 + 1, y0 + 1) * fx;
        Luma([(top * (1.0 - fy) + bottom * fy) as u8])
    });
    let picture = image::imageops::blur(&picture, blur);
    let data: Vec<u8> = picture
        .as_raw()
        .iter()
        .map(|&p| {
            let flat = 50.0 + f32::from(p) * (155.0 / 255.0);
            let grain = (noise.next() % 25) as f32 - 12.0;
            (flat + grain).clamp(0.0, 255.0) as u8
        })
        .collect();
    GreyFrame::from_luma(&data, width as usize, height as usize, width as usize).expect("a frame")
}

/// QR modules a side for `text` (from the drawn PNG: 8 pixels a module, 4 of quiet zone).
fn modules(text: &str) -> u32 {
    let png = qr::png(text).expect("fits a QR code");
    image::load_from_memory(&png).expect("a PNG").width() / 8 - 8
}

fn main() {
    let full = std::env::args().any(|a| a == "--bench");
    let mut noise = Noise(0x9e37_79b9_7f4a_7c15);
    if !full {
        let frame = &frames(FRAGMENT_BYTES, 1)[0];
        let picture = photograph(frame, 20, 0.6, &mut noise);
        assert_eq!(
            decode(&picture, Effort::Frame),
            vec![frame.clone()],
            "a frame of the size sent decodes in focus at 20 cm"
        );
        return;
    }
    for (focus, blur) in [("in focus", 0.6), ("soft focus", 1.1)] {
        println!("\n{focus}:");
        println!(
            "fragment bytes | modules a side | decoded at 15/20/25/30/40 cm | \
             bytes a second at 30 fps, 15/20/25/30/40 cm"
        );
        for size in SIZES {
            let texts = frames(size, FRAMES);
            let mut rates = Vec::new();
            for distance in DISTANCES {
                let read = texts
                    .iter()
                    .filter(|t| {
                        let picture = photograph(t, distance, blur, &mut noise);
                        decode(&picture, Effort::Frame).contains(t)
                    })
                    .count();
                rates.push(read as f64 / FRAMES as f64);
            }
            let shown: Vec<String> = rates.iter().map(|r| format!("{:.0}%", r * 100.0)).collect();
            let speed: Vec<String> = rates
                .iter()
                .map(|r| format!("{:.0}", r * size as f64 * 30.0))
                .collect();
            println!(
                "{size:>14} | {:>14} | {:<28} | {}",
                modules(&texts[0]),
                shown.join(" "),
                speed.join(" ")
            );
        }
    }
}

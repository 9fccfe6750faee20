//! Speed of QR decoding (issue 4). Synthetic camera frames holding an otpauth QR code (error
//! correction M, 100 characters) at 640x480, 1280x720 and 1920x1080, each clean, blurred with
//! noise, and rotated 20 degrees, plus frames of the same sizes with no code, decoded with the
//! camera effort; and the ZXing black-box photos of ../shared/qr with the full effort.
//!
//! Goals: a 720p frame decoded or rejected in < 10 ms median on one core; a still image in
//! < 5 ms median. Run with `cargo bench --bench scan`.

use std::time::Instant;

use criterion::{BenchmarkId, Criterion, criterion_group, criterion_main};
use qrcode::{EcLevel, QrCode};
use tessera_core::scan::{Effort, GreyFrame, decode, scan_image};

const URI: &str = "otpauth://totp/Contoso:admin@contoso.onmicrosoft.com?secret=JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP&issuer=Contoso";

/// A deterministic pseudo-random byte stream (xorshift), for noise and texture.
struct Noise(u64);

impl Noise {
    fn next(&mut self) -> u8 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0 as u8
    }
}

#[derive(Clone, Copy)]
enum Scene {
    Clean,
    BlurredNoisy,
    Rotated,
    NoCode,
}

/// A desk-like background (a soft gradient with texture), and unless `NoCode`, the QR code
/// filling 45% of the frame height, dark modules at 40, light at 210.
fn frame(width: usize, height: usize, scene: Scene) -> GreyFrame {
    let mut noise = Noise(0x9e37_79b9_7f4a_7c15);
    let mut data: Vec<u8> = (0..width * height)
        .map(|i| {
            let (x, y) = (i % width, i / width);
            (90 + 60 * x / width + 40 * y / height) as u8 + noise.next() % 24
        })
        .collect();
    if !matches!(scene, Scene::NoCode) {
        let code = QrCode::with_error_correction_level(URI, EcLevel::M).unwrap();
        let modules = code.width();
        let colors = code.to_colors();
        let side = height * 45 / 100;
        let module_px = side as f64 / (modules + 8) as f64;
        let (cx, cy) = (width as f64 / 2.0, height as f64 / 2.0);
        let angle = if matches!(scene, Scene::Rotated) {
            20f64.to_radians()
        } else {
            0.0
        };
        let (sin, cos) = angle.sin_cos();
        let half = side as f64 / 2.0;
        for y in 0..height {
            for x in 0..width {
                // Back-rotate the pixel into the code's square (with its 4-module quiet zone).
                let (dx, dy) = (x as f64 - cx, y as f64 - cy);
                let (u, v) = (cos * dx + sin * dy + half, -sin * dx + cos * dy + half);
                if u < 0.0 || v < 0.0 || u >= side as f64 || v >= side as f64 {
                    continue;
                }
                let (mx, my) = ((u / module_px) as usize, (v / module_px) as usize);
                let dark = mx >= 4
                    && my >= 4
                    && mx < modules + 4
                    && my < modules + 4
                    && colors[(my - 4) * modules + mx - 4] == qrcode::Color::Dark;
                data[y * width + x] = if dark { 40 } else { 210 };
            }
        }
    }
    let mut frame = GreyFrame::from_luma(&data, width, height, width).unwrap();
    if matches!(scene, Scene::BlurredNoisy) {
        frame = blur_with_noise(&frame, &mut noise);
    }
    frame
}

/// A 5x5 box blur, then +-16 of noise on every pixel.
fn blur_with_noise(frame: &GreyFrame, noise: &mut Noise) -> GreyFrame {
    let (w, h) = (frame.width, frame.height);
    let mut data = vec![0u8; w * h];
    for y in 0..h {
        for x in 0..w {
            let (mut sum, mut n) = (0u32, 0u32);
            for yy in y.saturating_sub(2)..(y + 3).min(h) {
                for xx in x.saturating_sub(2)..(x + 3).min(w) {
                    sum += u32::from(frame.data[yy * w + xx]);
                    n += 1;
                }
            }
            let value = (sum / n) as i32 + i32::from(noise.next() % 33) - 16;
            data[y * w + x] = value.clamp(0, 255) as u8;
        }
    }
    GreyFrame::from_luma(&data, w, h, w).unwrap()
}

fn camera_frames(c: &mut Criterion) {
    let mut group = c.benchmark_group("frame");
    group.sample_size(30);
    for (width, height) in [(640, 480), (1280, 720), (1920, 1080)] {
        for (name, scene) in [
            ("clean", Scene::Clean),
            ("blurred_noisy", Scene::BlurredNoisy),
            ("rotated", Scene::Rotated),
            ("no_code", Scene::NoCode),
        ] {
            let frame = frame(width, height, scene);
            let found = decode(&frame, Effort::Frame);
            match scene {
                Scene::NoCode => assert!(found.is_empty()),
                _ => assert_eq!(found, [URI], "{name} {width}x{height} must decode"),
            }
            group.bench_with_input(
                BenchmarkId::new(name, format!("{width}x{height}")),
                &frame,
                |b, frame| b.iter(|| decode(frame, Effort::Frame)),
            );
        }
    }
    group.finish();
}

fn shared_dir() -> Option<std::path::PathBuf> {
    let dir = std::env::var_os("TESSERA_SHARED")
        .map(std::path::PathBuf::from)
        .unwrap_or_else(|| std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared"));
    dir.join("qr").is_dir().then_some(dir)
}

fn still_images(c: &mut Criterion) {
    let Some(shared) = shared_dir() else {
        println!("skipping still-image benches: ../shared/qr not found (set TESSERA_SHARED)");
        return;
    };
    let mut frames = Vec::new();
    for set in 1..=6 {
        let dir = shared.join(format!("qr/zxing/qrcode-{set}"));
        let mut files: Vec<_> = std::fs::read_dir(dir)
            .unwrap()
            .flatten()
            .map(|e| e.path())
            .collect();
        files.sort();
        for file in files
            .iter()
            .filter(|p| p.extension().is_some_and(|e| e == "png"))
        {
            frames.push(scan_image(&std::fs::read(file).unwrap()).unwrap());
        }
    }
    // The median per image, measured once (criterion below gives the mean over the set).
    let mut times: Vec<f64> = frames
        .iter()
        .map(|frame| {
            let start = Instant::now();
            decode(frame, Effort::Still);
            start.elapsed().as_secs_f64() * 1000.0
        })
        .collect();
    times.sort_by(f64::total_cmp);
    println!(
        "still images: {} photos, median {:.2} ms, 90th percentile {:.2} ms, slowest {:.2} ms",
        times.len(),
        times[times.len() / 2],
        times[times.len() * 9 / 10],
        times[times.len() - 1]
    );
    let mut group = c.benchmark_group("still");
    group.sample_size(10);
    group.bench_function(format!("all_{}_zxing_photos", frames.len()), |b| {
        b.iter(|| {
            frames
                .iter()
                .map(|f| decode(f, Effort::Still).len())
                .sum::<usize>()
        })
    });
    group.finish();
}

criterion_group!(benches, camera_frames, still_images);
criterion_main!(benches);

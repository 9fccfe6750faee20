//! The web-view camera script (`src/platform/webcam.js`) in a real headless Chromium, the
//! engine of Android's WebView, with a fake camera device fed by a video of a QR code
//! (`--use-fake-device-for-media-stream --use-file-for-fake-video-capture`). The page is
//! served from 127.0.0.1 (a secure context, so `getUserMedia` exists); a stand-in for Dioxus's
//! bridge (`dioxus.send`/`dioxus.recv`) carries the messages to this test over HTTP, and the
//! grey frames go through the app's own parser (`WebFrames`) into the Rust decoder.
//!
//! Needs Debian's `chromium`; skips with a notice without it unless `TESSERA_REQUIRE_CHROMIUM`
//! is set (CI sets it).

use std::io::{BufRead, BufReader, Read, Write};
use std::net::{TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::mpsc::{Receiver, Sender, channel};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use tessera::platform::webcam::{self, Pumped};
use tessera_core::scan::{CameraError, Effort, FrameSource, decode};

const URI: &str = "otpauth://totp/Contoso:tech@contoso.com?secret=JBSWY3DPEHPK3PXP&issuer=Contoso";

fn chromium() -> Option<PathBuf> {
    for name in ["chromium", "chromium-browser", "google-chrome"] {
        let found = Command::new("sh")
            .args(["-c", &format!("command -v {name}")])
            .output()
            .ok()
            .filter(|o| o.status.success())
            .map(|o| PathBuf::from(String::from_utf8_lossy(&o.stdout).trim()));
        if found.is_some() {
            return found;
        }
    }
    if std::env::var_os("TESSERA_REQUIRE_CHROMIUM").is_some() {
        panic!("chromium is required (TESSERA_REQUIRE_CHROMIUM) but not installed");
    }
    eprintln!("notice: chromium is not installed; the web-view camera test is skipped");
    None
}

/// A 640x480 YUV 4:2:0 video (y4m) of `text` as a QR code on white, `frames` frames long.
fn qr_video(text: &str, path: &Path, frames: usize) {
    let code = qrcode::QrCode::new(text.as_bytes()).unwrap();
    let modules = code.width();
    let colors = code.to_colors();
    let (width, height) = (640usize, 480usize);
    let scale = 380 / (modules + 8);
    let side = (modules + 8) * scale;
    let (left, top) = ((width - side) / 2, (height - side) / 2);
    let mut luma = vec![235u8; width * height];
    for y in 0..side {
        for x in 0..side {
            let (mx, my) = ((x / scale) as isize - 4, (y / scale) as isize - 4);
            let inside = (0..modules as isize).contains(&mx) && (0..modules as isize).contains(&my);
            if inside && colors[my as usize * modules + mx as usize] == qrcode::Color::Dark {
                luma[(top + y) * width + left + x] = 16;
            }
        }
    }
    let chroma = vec![128u8; width * height / 4];
    let mut out = format!("YUV4MPEG2 W{width} H{height} F30:1 Ip A1:1 C420\n").into_bytes();
    for _ in 0..frames {
        out.extend_from_slice(b"FRAME\n");
        out.extend_from_slice(&luma);
        out.extend_from_slice(&chroma);
        out.extend_from_slice(&chroma);
    }
    std::fs::write(path, out).unwrap();
}

/// The page: a video element like the Scan screen's, Dioxus's bridge over HTTP, the script.
/// `gesture_gate` makes `play()` reject as Android's WebView does with its default
/// `mediaPlaybackRequiresUserGesture = true` (wry turns it off; a web view that does not would
/// refuse the picture after granting the camera). Chromium itself lets a muted, audio-less
/// camera picture play under every autoplay policy, so the refusal is injected here.
fn page(gesture_gate: bool) -> String {
    let gate = if gesture_gate {
        r#"HTMLMediaElement.prototype.play = function () {
  return Promise.reject(new DOMException("play() can only be initiated by a user gesture.", "NotAllowedError"));
};"#
    } else {
        ""
    };
    format!(
        r#"<!doctype html><html><body><video id="webcam" autoplay muted playsinline></video>
<script>
{gate}
const dioxus = {{
  send: (m) => {{ fetch("/send", {{ method: "POST", body: m }}); }},
  recv: async () => (await fetch("/recv")).text(),
}};
(async () => {{
{script}
}})().catch((e) => dioxus.send("error:ScriptError:" + e));
</script></body></html>"#,
        script = webcam::script(None)
    )
}

/// The test's HTTP server: serves the page, answers `recv` with "next" until told to stop,
/// and hands every `send` to the test.
struct Server {
    port: u16,
    messages: Receiver<String>,
    stop: Arc<AtomicBool>,
}

fn serve(page: String) -> Server {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let port = listener.local_addr().unwrap().port();
    let (sender, messages) = channel();
    let stop = Arc::new(AtomicBool::new(false));
    let shared = (Arc::new(page), Arc::new(Mutex::new(sender)), stop.clone());
    std::thread::spawn(move || {
        for stream in listener.incoming().flatten() {
            let (page, sender, stop) = (shared.0.clone(), shared.1.clone(), shared.2.clone());
            std::thread::spawn(move || answer(stream, &page, &sender, &stop));
        }
    });
    Server {
        port,
        messages,
        stop,
    }
}

fn answer(stream: TcpStream, page: &str, sender: &Mutex<Sender<String>>, stop: &AtomicBool) {
    let mut reader = BufReader::new(stream.try_clone().unwrap());
    let mut request = String::new();
    if reader.read_line(&mut request).is_err() {
        return;
    }
    let mut length = 0usize;
    loop {
        let mut header = String::new();
        if reader.read_line(&mut header).unwrap_or(0) == 0 || header == "\r\n" {
            break;
        }
        if let Some(v) = header.to_ascii_lowercase().strip_prefix("content-length:") {
            length = v.trim().parse().unwrap_or(0);
        }
    }
    let mut body = vec![0; length];
    let _ = reader.read_exact(&mut body);
    let path = request.split_whitespace().nth(1).unwrap_or("/");
    let (kind, reply) = match path {
        "/page.html" => ("text/html", page.to_owned()),
        "/recv" => {
            let command = if stop.load(Ordering::SeqCst) {
                "stop"
            } else {
                "next"
            };
            ("text/plain", command.to_owned())
        }
        "/send" => {
            let _ = sender
                .lock()
                .unwrap()
                .send(String::from_utf8_lossy(&body).into_owned());
            ("text/plain", "ok".to_owned())
        }
        _ => ("text/plain", String::new()),
    };
    let mut stream = stream;
    let _ = write!(
        stream,
        "HTTP/1.1 200 OK\r\nContent-Type: {kind}\r\nContent-Length: {}\r\nCache-Control: no-store\r\nConnection: close\r\n\r\n{reply}",
        reply.len()
    );
}

/// Headless Chromium on the page with a fake camera playing `video`; `grant` answers the
/// permission prompt with yes. Killed on drop, then its profile folder is removed.
struct Browser {
    child: Child,
    _profile: tempfile::TempDir,
}

impl Drop for Browser {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn browse(chromium: &Path, port: u16, video: &Path, grant: bool) -> Browser {
    let profile = tempfile::tempdir().unwrap();
    let mut command = Command::new(chromium);
    command.args([
        "--headless=new",
        "--no-sandbox",
        "--disable-gpu",
        "--no-first-run",
        "--use-fake-device-for-media-stream",
    ]);
    command.arg(format!(
        "--use-file-for-fake-video-capture={}",
        video.display()
    ));
    command.arg(format!("--user-data-dir={}", profile.path().display()));
    if grant {
        command.arg("--use-fake-ui-for-media-stream");
    }
    command.arg(format!("http://127.0.0.1:{port}/page.html"));
    let child = command
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("chromium starts");
    Browser {
        child,
        _profile: profile,
    }
}

/// A message cut to its first 120 characters (a frame is a megabyte of Base64).
fn short(message: &str) -> String {
    message.chars().take(120).collect()
}

/// The next message of the page before `until`.
fn next_message(server: &Server, until: Instant) -> Option<String> {
    let left = until.checked_duration_since(Instant::now())?;
    server.messages.recv_timeout(left).ok()
}

#[test]
fn the_fake_camera_in_chromium_scans_a_qr_code_through_the_apps_decoder() {
    let Some(chromium) = chromium() else { return };
    let dir = tempfile::tempdir().unwrap();
    let video = dir.path().join("qr.y4m");
    qr_video(URI, &video, 10);
    let server = serve(page(false));
    let _browser = browse(&chromium, server.port, &video, true);
    let (frames, mut camera) = webcam::web_camera(Arc::default());
    // Generous: a cold Chromium start on a loaded 2-core machine takes seconds.
    let until = Instant::now() + Duration::from_secs(120);
    let mut seen = 0;
    let found = loop {
        let message = next_message(&server, until).expect("a frame within two minutes");
        assert!(
            !message.starts_with("error:"),
            "the page failed: {}",
            short(&message)
        );
        if message == "wait" {
            continue;
        }
        assert_eq!(
            frames.take(&message),
            Pumped::Next,
            "a well-formed grey frame"
        );
        let frame = camera.next_frame().unwrap().expect("the frame arrived");
        assert_eq!(
            (frame.width, frame.height),
            (640, 480),
            "the fake camera's size"
        );
        seen += 1;
        let texts = decode(&frame, Effort::Frame);
        if let Some(text) = texts.into_iter().next() {
            break text;
        }
        assert!(seen < 20, "20 frames without a QR code");
    };
    assert_eq!(found, URI);
    server.stop.store(true, Ordering::SeqCst);
}

#[test]
fn a_refused_camera_is_permission_denied_and_a_picture_that_will_not_play_is_not() {
    let Some(chromium) = chromium() else { return };
    let dir = tempfile::tempdir().unwrap();
    let video = dir.path().join("qr.y4m");
    qr_video(URI, &video, 2);

    // No answer to the prompt: headless Chromium refuses.
    let server = serve(page(false));
    let browser = browse(&chromium, server.port, &video, false);
    let until = Instant::now() + Duration::from_secs(120);
    let message = next_message(&server, until).expect("the page reports the refusal");
    drop(browser);
    let (frames, mut camera) = webcam::web_camera(Arc::default());
    let message = short(&message);
    assert_eq!(frames.take(&message), Pumped::Stop, "{message}");
    assert_eq!(
        camera.next_frame().unwrap_err(),
        CameraError::PermissionDenied,
        "{message}"
    );

    // Granted, but the picture will not play (a web view that wants a tap first).
    let server = serve(page(true));
    let _browser = browse(&chromium, server.port, &video, true);
    let until = Instant::now() + Duration::from_secs(120);
    let message = next_message(&server, until).expect("the page reports the play failure");
    let message = short(&message);
    assert!(
        message.starts_with("error:PlayError:NotAllowedError"),
        "{message}"
    );
    let (frames, mut camera) = webcam::web_camera(Arc::default());
    assert_eq!(frames.take(&message), Pumped::Stop);
    let error = camera.next_frame().unwrap_err();
    assert!(matches!(error, CameraError::NotPlaying(_)), "{error:?}");
    assert!(
        !error.advice().contains("system settings"),
        "not the permission advice"
    );
}

//! The app's real entry point opens a real window: the `tessera` binary is started on a private
//! Xvfb display and must show a top-level window titled "Tessera" and keep running.
//!
//! Skipped with a notice when Xvfb or xwininfo is missing (`.ci/setup-debian test` installs both).

use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

mod support;

use support::{Killed, have, xvfb};

fn window_titles(display: &str) -> String {
    Command::new("xwininfo")
        .args(["-root", "-tree"])
        .env("DISPLAY", display)
        .output()
        .map(|o| String::from_utf8_lossy(&o.stdout).into_owned())
        .unwrap_or_default()
}

#[test]
fn app_opens_a_window_titled_tessera() {
    if !have("Xvfb") || !have("xwininfo") {
        eprintln!(
            "note: window test skipped: Xvfb or xwininfo missing (apt-get install xvfb x11-utils)"
        );
        return;
    }
    let xvfb = xvfb();
    let display = xvfb.name.clone();
    let data = std::env::temp_dir().join(format!("tessera-window-test-{}", std::process::id()));
    let mut app = Killed(
        Command::new(env!("CARGO_BIN_EXE_tessera"))
            .env("DISPLAY", &display)
            .env("XDG_DATA_HOME", &data)
            .env("WEBKIT_DISABLE_COMPOSITING_MODE", "1")
            .stdout(Stdio::null())
            .stderr(Stdio::piped())
            .spawn()
            .expect("start the app"),
    );
    let deadline = Instant::now() + Duration::from_secs(60);
    let mut titles = String::new();
    while Instant::now() < deadline {
        if let Some(status) = app.0.try_wait().unwrap() {
            panic!("the app exited early with {status}");
        }
        titles = window_titles(&display);
        if titles.contains("\"Tessera\"") {
            break;
        }
        std::thread::sleep(Duration::from_millis(250));
    }
    assert!(
        titles.contains("\"Tessera\""),
        "no window titled Tessera; windows:\n{titles}"
    );
    std::thread::sleep(Duration::from_secs(2));
    assert!(
        app.0.try_wait().unwrap().is_none(),
        "the app exited right after opening its window"
    );
    let _ = std::fs::remove_dir_all(data);
}

//! Driving the real `tessera` binary in a real window (for the end-to-end tests, included with
//! `#[path]` beside `mod support;`): a private Xvfb display, a fresh vault, the in-app test
//! driver's steps (`TESSERA_TEST_DRIVER`, see src/ui/driver.rs), screenshots, the clipboard,
//! and hooks that let the test act while the app keeps running.

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use serde_json::{Value, json};

use crate::support::{Killed, have, xvfb};

/// The vault password every driven app is created with.
pub const PASSWORD: &str = "correct horse battery";

/// `steps` after creating the vault (keyring unticked) and reaching the empty list.
pub fn after_setup(steps: Value) -> Value {
    let mut all = vec![
        json!({"wait": ["#create-vault", "Create vault"]}),
        json!({"type": ["#new-password", PASSWORD]}),
        json!({"type": ["#new-password-again", PASSWORD]}),
        json!({"click": "main.lock input[type=checkbox]"}),
        json!({"click": "#create-vault"}),
        json!({"wait": ["main.list", "No accounts yet"]}),
    ];
    all.extend(steps.as_array().unwrap().iter().cloned());
    Value::Array(all)
}

pub fn screenshot(display: &str, file: &Path, size: (u32, u32)) {
    if have("import") {
        let crop = format!("{}x{}+0+0", size.0, size.1);
        let _ = Command::new("import")
            .args(["-window", "root", "-crop", &crop, file.to_str().unwrap()])
            .env("DISPLAY", display)
            .status();
    }
}

/// Only one window at a time: the two tests would otherwise share the two cores and the
/// display number.
static ONE_WINDOW: std::sync::Mutex<()> = std::sync::Mutex::new(());

/// Runs the app on a private Xvfb display with a fresh vault and the driver script `steps`,
/// taking the screenshots it asks for; returns the driver's last log entry (`done` or `failed`,
/// with the reads). `None` (with a notice) when Xvfb is missing and not required.
#[allow(dead_code)] // not every test binary drives without a hook
pub fn drive(steps: &Value, env: &[(&str, Option<&std::ffi::OsStr>)]) -> Option<Value> {
    drive_with(steps, env, &mut |_, _, _| {})
}

/// Like [`drive`]; a `{"shot": "hook-NAME"}` step calls `hook(NAME, vault path, display)` instead of
/// taking a screenshot (the app keeps running meanwhile), so a test can act as a second program
/// on the same vault.
pub fn drive_with(
    steps: &Value,
    env: &[(&str, Option<&std::ffi::OsStr>)],
    hook: &mut dyn FnMut(&str, &Path, &str),
) -> Option<Value> {
    if !have("Xvfb") {
        assert!(
            std::env::var_os("TESSERA_REQUIRE_XVFB").is_none(),
            "TESSERA_REQUIRE_XVFB is set but Xvfb is missing"
        );
        eprintln!("note: end-to-end test skipped: Xvfb missing (apt-get install xvfb)");
        return None;
    }
    let _one = ONE_WINDOW.lock().unwrap_or_else(|e| e.into_inner());
    let xvfb = xvfb();
    let display = xvfb.name.clone();
    let dir = tempfile::tempdir().unwrap();
    let script = dir.path().join("steps.json");
    std::fs::write(&script, serde_json::to_vec(steps).unwrap()).unwrap();
    let log = script.with_extension("log");
    let shots = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("target/screenshots");
    std::fs::create_dir_all(&shots).unwrap();
    let started = Instant::now();
    let mut command = Command::new(env!("CARGO_BIN_EXE_tessera"));
    command
        .env("DISPLAY", &display)
        .env("TESSERA_VAULT", dir.path().join("e2e.vault"))
        .env("TESSERA_TEST_DRIVER", &script)
        .env("HOME", dir.path())
        .env("XDG_DATA_HOME", dir.path().join("data"))
        .env("WEBKIT_DISABLE_COMPOSITING_MODE", "1")
        .stdout(Stdio::null())
        .stderr(Stdio::piped());
    for (key, value) in env {
        match value {
            Some(value) => command.env(key, value),
            None => command.env_remove(key),
        };
    }
    let mut app = Killed(command.spawn().expect("start the app"));
    // Time in hooks (which may photograph the window for minutes) does not count.
    let mut deadline = Instant::now() + Duration::from_secs(180);
    let mut acked = Vec::new();
    let mut clipboard = serde_json::Map::new();
    let mut result = loop {
        assert!(
            Instant::now() < deadline,
            "the driver did not finish in 180 s; log:\n{}",
            std::fs::read_to_string(&log).unwrap_or_default()
        );
        let text = std::fs::read_to_string(&log).unwrap_or_default();
        for line in text.lines() {
            let Ok(entry) = serde_json::from_str::<Value>(line) else {
                continue;
            };
            if let Some(name) = entry["shot"].as_str()
                && !acked.contains(&name.to_owned())
            {
                std::thread::sleep(Duration::from_millis(300));
                let size = if name.starts_with("phone") {
                    (360, 800)
                } else {
                    (1280, 800)
                };
                if let Some(clip) = name.strip_prefix("clip-") {
                    clipboard.insert(clip.to_owned(), Value::String(read_clipboard(&display)));
                } else if let Some(name) = name.strip_prefix("hook-") {
                    let hooked = Instant::now();
                    hook(name, &dir.path().join("e2e.vault"), &display);
                    deadline += hooked.elapsed();
                } else {
                    screenshot(&display, &shots.join(format!("{name}.png")), size);
                }
                let mut ack = script.as_os_str().to_owned();
                ack.push(format!(".ack-{name}"));
                std::fs::write(PathBuf::from(ack), b"").unwrap();
                acked.push(name.to_owned());
            }
            if entry.get("done").is_some() || entry.get("failed").is_some() {
                break;
            }
        }
        if let Some(last) = text
            .lines()
            .filter_map(|l| serde_json::from_str::<Value>(l).ok())
            .find(|e| e.get("done").is_some() || e.get("failed").is_some())
        {
            break last;
        }
        if let Some(status) = app.0.try_wait().unwrap() {
            let mut stderr = String::new();
            use std::io::Read;
            let _ = app.0.stderr.take().unwrap().read_to_string(&mut stderr);
            panic!(
                "the app exited ({status}) before the driver finished; log:\n{text}\nstderr:\n{stderr}"
            );
        }
        std::thread::sleep(Duration::from_millis(100));
    };
    eprintln!(
        "end-to-end run took {:.1} s; screenshots in {}",
        started.elapsed().as_secs_f64(),
        shots.display()
    );
    assert!(
        result.get("done").is_some(),
        "the driver failed: {result:#}"
    );
    result["clipboard"] = Value::Object(clipboard);
    Some(result)
}

/// What the X clipboard holds now (`xclip`), empty when nothing owns it.
pub fn read_clipboard(display: &str) -> String {
    assert!(
        have("xclip"),
        "xclip is needed for the clipboard test (apt-get install xclip)"
    );
    let out = Command::new("xclip")
        .args(["-o", "-selection", "clipboard"])
        .env("DISPLAY", display)
        .output()
        .expect("run xclip");
    if out.status.success() {
        String::from_utf8_lossy(&out.stdout).into_owned()
    } else {
        String::new()
    }
}

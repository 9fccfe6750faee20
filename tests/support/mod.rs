//! What the real-window tests share: a child process killed on drop, a check for a program on
//! `PATH`, and a private Xvfb display.

use std::process::{Child, Command, Stdio};
use std::time::Duration;

/// A child process that is killed (and reaped) when dropped.
pub struct Killed(pub Child);

impl Drop for Killed {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

/// Whether `program` is on `PATH`.
pub fn have(program: &str) -> bool {
    Command::new("sh")
        .arg("-c")
        .arg(format!("command -v {program}"))
        .stdout(Stdio::null())
        .status()
        .is_ok_and(|s| s.success())
}

/// Starts Xvfb on `display` (1280x800, no TCP) and waits until it answers (`xdpyinfo`, up to
/// 20 s): a fixed pause was not enough on a loaded machine, and the app then failed to open GTK.
/// A server left by an earlier test on the same number is waited out first.
pub fn xvfb(display: &str) -> Killed {
    let answers = || {
        Command::new("xdpyinfo")
            .args(["-display", display])
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .status()
            .is_ok_and(|s| s.success())
    };
    let deadline = std::time::Instant::now() + Duration::from_secs(20);
    // The previous test's server may still be going away.
    while have("xdpyinfo") && answers() && std::time::Instant::now() < deadline {
        std::thread::sleep(Duration::from_millis(100));
    }
    loop {
        let mut server = Killed(
            Command::new("Xvfb")
                .args([display, "-screen", "0", "1280x800x24", "-nolisten", "tcp"])
                .stdout(Stdio::null())
                .stderr(Stdio::null())
                .spawn()
                .expect("start Xvfb"),
        );
        if !have("xdpyinfo") {
            std::thread::sleep(Duration::from_millis(500));
            return server;
        }
        loop {
            if answers() {
                return server;
            }
            if server.0.try_wait().ok().flatten().is_some() {
                // It exited (the display was still locked): start it again.
                break;
            }
            assert!(
                std::time::Instant::now() < deadline,
                "Xvfb on {display} did not answer within 20 s"
            );
            std::thread::sleep(Duration::from_millis(100));
        }
        assert!(
            std::time::Instant::now() < deadline,
            "Xvfb on {display} could not start within 20 s"
        );
        std::thread::sleep(Duration::from_millis(200));
    }
}

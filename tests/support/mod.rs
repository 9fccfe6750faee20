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

/// Starts Xvfb on `display` (1280x800, no TCP) and gives it half a second to come up.
pub fn xvfb(display: &str) -> Killed {
    let server = Killed(
        Command::new("Xvfb")
            .args([display, "-screen", "0", "1280x800x24", "-nolisten", "tcp"])
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("start Xvfb"),
    );
    std::thread::sleep(Duration::from_millis(500));
    server
}

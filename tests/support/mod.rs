//! What the real-window tests share: a child process killed on drop, a check for a program on
//! `PATH`, and a private Xvfb display on a number of its own.

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

/// A private Xvfb display: the server, killed on drop, and its name (`:N`).
pub struct Display {
    /// The server, stopped when this is dropped.
    pub _server: Killed,
    /// `:N`, for `DISPLAY`.
    pub name: String,
}

/// Starts Xvfb (1280x800, no TCP) on a display number it chooses itself (`-displayfd`: the
/// first free one, so a number a previous window may still hold is never reused), and waits
/// until it accepts connections (`xdpyinfo`, up to 30 s; a fixed pause was not enough on a
/// loaded machine, and the app then failed to open GTK).
pub fn xvfb() -> Display {
    use std::io::BufRead;
    let mut server = Killed(
        Command::new("Xvfb")
            .args([
                "-displayfd",
                "1",
                "-screen",
                "0",
                "1280x800x24",
                "-nolisten",
                "tcp",
            ])
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .expect("start Xvfb"),
    );
    // Xvfb writes the number to the descriptor once it listens.
    let stdout = server.0.stdout.take().expect("piped");
    let mut line = String::new();
    std::io::BufReader::new(stdout)
        .read_line(&mut line)
        .expect("read the display number from Xvfb");
    let number: u32 = line
        .trim()
        .parse()
        .unwrap_or_else(|_| panic!("Xvfb gave no display number (it printed {line:?})"));
    let name = format!(":{number}");
    let deadline = std::time::Instant::now() + Duration::from_secs(30);
    while have("xdpyinfo") {
        let answers = Command::new("xdpyinfo")
            .args(["-display", &name])
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .status()
            .is_ok_and(|s| s.success());
        if answers {
            break;
        }
        assert!(
            server.0.try_wait().ok().flatten().is_none(),
            "Xvfb on {name} exited"
        );
        assert!(
            std::time::Instant::now() < deadline,
            "Xvfb on {name} did not answer within 30 s"
        );
        std::thread::sleep(Duration::from_millis(100));
    }
    Display {
        _server: server,
        name,
    }
}

//! Two vaults kept in step by two real Syncthing instances on loopback (Debian's `syncthing`,
//! discovery, relays, NAT and upgrades off; ../shared/ci-recipes.md), each changed only by
//! `tessera-cli`: add on one, edit on the other, delete on the first, then edits on both sides
//! at once. Skips with a notice when Syncthing is missing, unless TESSERA_REQUIRE_SYNCTHING=1.

use std::net::TcpListener;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use super::sync::{accounts, id_of, new_vault, ok, sync};

/// How long a file may take to cross: generous, so a loaded machine does not fail the test.
const CROSSING: Duration = Duration::from_secs(180);

struct Instance {
    data: PathBuf,
    child: Child,
}

impl Drop for Instance {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

fn syncthing_present() -> bool {
    let found = Command::new("syncthing")
        .arg("--version")
        .output()
        .is_ok_and(|o| o.status.success());
    if !found {
        assert!(
            std::env::var_os("TESSERA_REQUIRE_SYNCTHING").is_none(),
            "TESSERA_REQUIRE_SYNCTHING is set but syncthing is not installed"
        );
        eprintln!("skipped: syncthing is not installed (apt-get install syncthing)");
    }
    found
}

/// Generates a Syncthing home in `dir` and returns its device id.
fn generate(dir: &Path) -> String {
    let home = dir.join("home");
    let out = Command::new("syncthing")
        .args(["generate", "--no-default-folder"])
        .arg(format!("--home={}", home.display()))
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let config = std::fs::read_to_string(home.join("config.xml")).unwrap();
    let start = config.find("<device id=\"").unwrap() + "<device id=\"".len();
    config[start..start + 63].to_owned()
}

/// Writes `dir`'s config: one folder shared with the peer, loopback only, nothing from the
/// internet; then starts it.
fn start(dir: &Path, me: &str, peer: &str, port: u16, peer_port: u16) -> Instance {
    let home = dir.join("home");
    let data = dir.join("data");
    std::fs::create_dir_all(data.join(".stfolder")).unwrap();
    let path = home.join("config.xml");
    let mut config = std::fs::read_to_string(&path).unwrap();
    for (from, to) in [
        (
            "<globalAnnounceEnabled>true<",
            "<globalAnnounceEnabled>false<",
        ),
        (
            "<localAnnounceEnabled>true<",
            "<localAnnounceEnabled>false<",
        ),
        ("<relaysEnabled>true<", "<relaysEnabled>false<"),
        ("<natEnabled>true<", "<natEnabled>false<"),
        ("<startBrowser>true<", "<startBrowser>false<"),
        (
            "<crashReportingEnabled>true<",
            "<crashReportingEnabled>false<",
        ),
        ("<urAccepted>0<", "<urAccepted>-1<"),
        ("<autoUpgradeIntervalH>12<", "<autoUpgradeIntervalH>0<"),
    ] {
        assert!(config.contains(from), "Syncthing's config has no {from}");
        config = config.replace(from, to);
    }
    config = config.replace(
        "<listenAddress>default</listenAddress>",
        &format!("<listenAddress>tcp://127.0.0.1:{port}</listenAddress>"),
    );
    let gui = config.find("<gui ").unwrap();
    let address_start = gui + config[gui..].find("<address>").unwrap();
    let address_end = address_start + config[address_start..].find("</address>").unwrap();
    config.replace_range(
        address_start..address_end,
        &format!("<address>127.0.0.1:{}", free_port()),
    );
    let shared = format!(
        r#"<folder id="tessera-sync" label="Tessera" path="{}" type="sendreceive" rescanIntervalS="2" fsWatcherEnabled="true" fsWatcherDelayS="1">
        <device id="{me}" introducedBy=""></device>
        <device id="{peer}" introducedBy=""></device>
    </folder>
    <device id="{peer}" name="peer" compression="metadata" introducer="false">
        <address>tcp://127.0.0.1:{peer_port}</address>
    </device>
    "#,
        data.display()
    );
    config = config.replacen("<gui ", &format!("{shared}<gui "), 1);
    std::fs::write(&path, config).unwrap();
    let log = std::fs::File::create(dir.join("syncthing.log")).unwrap();
    let child = Command::new("syncthing")
        .args(["serve", "--no-browser", "--no-restart"])
        .arg(format!("--home={}", home.display()))
        .env("STNOUPGRADE", "1")
        .stdin(Stdio::null())
        .stdout(log.try_clone().unwrap())
        .stderr(log)
        .spawn()
        .unwrap();
    Instance { data, child }
}

/// Waits until every device file in `from` is in `to` with the same bytes.
fn crossed(from: &Path, to: &Path, logs: &Path) {
    let start = Instant::now();
    loop {
        let same = std::fs::read_dir(from).unwrap().flatten().all(|entry| {
            let name = entry.file_name();
            let name = name.to_string_lossy();
            !name.ends_with(".tessera-sync")
                || std::fs::read(entry.path()).ok() == std::fs::read(to.join(&*name)).ok()
        });
        if same {
            return;
        }
        if start.elapsed() > CROSSING {
            let log = |side: &str| {
                std::fs::read_to_string(logs.join(side).join("syncthing.log")).unwrap_or_default()
            };
            panic!(
                "the files did not cross in {CROSSING:?}\nA:\n{}\nB:\n{}",
                log("A"),
                log("B")
            );
        }
        std::thread::sleep(Duration::from_millis(200));
    }
}

#[test]
fn two_real_syncthing_instances_keep_two_vaults_in_step() {
    if !syncthing_present() {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let (a_dir, b_dir) = (dir.path().join("A"), dir.path().join("B"));
    let (a_id, b_id) = (generate(&a_dir), generate(&b_dir));
    let (a_port, b_port) = (free_port(), free_port());
    let a = start(&a_dir, &a_id, &b_id, a_port, b_port);
    let b = start(&b_dir, &b_id, &a_id, b_port, a_port);
    let (laptop, phone) = (
        new_vault(dir.path(), "laptop"),
        new_vault(dir.path(), "phone"),
    );

    // Add on the laptop.
    sync(&laptop, &a.data, "laptop");
    ok(
        &laptop,
        &[
            "add",
            "otpauth://totp/Contoso:admin?secret=JBSWY3DPEHPK3PXP&issuer=Contoso",
        ],
    );
    sync(&laptop, &a.data, "laptop");
    crossed(&a.data, &b.data, dir.path());
    let joined = sync(&phone, &b.data, "phone");
    assert!(joined.contains("1 added"), "{joined}");
    // Edit on the phone.
    let id = id_of(&phone, "Contoso");
    ok(
        &phone,
        &["edit", &id, "--note", "re-enrol: admin portal, MFA page"],
    );
    sync(&phone, &b.data, "phone");
    crossed(&b.data, &a.data, dir.path());
    sync(&laptop, &a.data, "laptop");
    assert_eq!(accounts(&laptop)[0].2, "re-enrol: admin portal, MFA page");
    // Delete on the laptop.
    ok(&laptop, &["rm", &id]);
    sync(&laptop, &a.data, "laptop");
    crossed(&a.data, &b.data, dir.path());
    let out = sync(&phone, &b.data, "phone");
    assert!(out.contains("1 to the trash"), "{out}");
    assert_eq!(accounts(&laptop), accounts(&phone));
    // Edits on both sides before either has seen the other's.
    ok(&laptop, &["undelete", &id]);
    ok(
        &phone,
        &[
            "add",
            "otpauth://totp/Fabrikam:guest?secret=GEZDGNBVGY3TQOJQ&issuer=Fabrikam",
        ],
    );
    sync(&laptop, &a.data, "laptop");
    sync(&phone, &b.data, "phone");
    crossed(&a.data, &b.data, dir.path());
    crossed(&b.data, &a.data, dir.path());
    sync(&laptop, &a.data, "laptop");
    sync(&phone, &b.data, "phone");
    let (on_laptop, on_phone) = (accounts(&laptop), accounts(&phone));
    assert_eq!(on_laptop, on_phone);
    assert_eq!(on_laptop.len(), 2, "{on_laptop:?}");
    assert!(
        on_laptop.iter().all(|x| !x.3),
        "restored on one, added on the other"
    );
    drop((a, b));
}

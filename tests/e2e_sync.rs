//! Settings › Sync in a real window (see tests/e2e.rs for the driver): the new user joins a
//! folder with a sync password, a second device (this test, through the core, as another
//! program would) joins the same folder and adds an account, and Sync now brings it into the
//! window's list. Screenshot `target/screenshots/phone-settings-sync.png`.

use serde_json::json;

#[path = "support/driver.rs"]
mod driver;
mod support;

use driver::{after_setup, drive_with};
use tessera_core::otp::parse_otpauth;
use tessera_core::transfer::sync;
use tessera_core::vault::{KdfParams, Vault};

const SYNC: &str = "our sync password";

#[test]
fn a_folder_joined_in_the_window_brings_another_devices_account() {
    let dir = tempfile::tempdir().unwrap();
    let folder = dir.path().join("Syncthing");
    std::fs::create_dir(&folder).unwrap();
    let steps = json!([
        {"resize": [360, 800]},
        {"click": "#nav-settings"},
        {"wait": ["#sync", "Syncthing, Nextcloud or Dropbox"]},
        {"type": ["#sync-dir", folder.to_str().unwrap()]},
        {"type": ["#sync-name", "phone"]},
        {"type": ["#sync-password", SYNC]},
        {"click": "#sync-join"},
        // The sync password's key derivation, measured for this machine, runs first.
        {"wait": ["#sync-folder", "Syncing through", 120]},
        {"shot": "hook-laptop"},
        {"click": "#sync-now"},
        {"wait": ["#toast", "From your other devices: 1 added"]},
        {"wait": ["#sync-devices", "laptop"]},
        {"read": ["devices", "#sync-devices"]},
        {"scroll": "#sync"},
        {"shot": "phone-settings-sync"},
        {"click": "header.bar .back"},
        {"wait": ["main.list", "Contoso"]},
    ]);
    let mut laptop_joined = false;
    let mut hook = |name: &str, _: &std::path::Path, _: &str| {
        assert_eq!(name, "laptop");
        let mut laptop =
            Vault::create(&dir.path().join("laptop.vault"), b"pw", KdfParams::MINIMUM).unwrap();
        let key = sync::prepare_join(&folder, SYNC.as_bytes(), KdfParams::MINIMUM).unwrap();
        assert!(!key.new, "the window's device made the sync");
        sync::join(&mut laptop, &folder, "laptop", &key, 1).unwrap();
        let uri = "otpauth://totp/Contoso:admin?secret=JBSWY3DPEHPK3PXP&issuer=Contoso";
        laptop.add(parse_otpauth(uri).unwrap(), 1).unwrap();
        let report = sync::sync(&mut laptop, &folder, None, 2).unwrap();
        assert_eq!(report.sent, 1);
        laptop_joined = true;
    };
    let Some(result) = drive_with(&after_setup(steps), &[], &mut hook) else {
        return;
    };
    assert!(laptop_joined);
    let devices = result["reads"]["devices"].as_str().unwrap_or_default();
    assert!(
        devices.contains("phone") && devices.contains("this device"),
        "{devices}"
    );
    assert!(
        devices.contains("laptop") && devices.contains("last change"),
        "{devices}"
    );
}

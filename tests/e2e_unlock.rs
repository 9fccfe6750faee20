//! Biometric unlock in a real window (see tests/e2e.rs for the driver), with the window tests'
//! fingerprint (`TESSERA_TEST_BIOMETRIC`: an in-memory biometric store that seals like the
//! Android side and approves every prompt): offered after the vault is created, turned on from
//! the banner, listed in Settings › Unlock, offered on the unlock screen after a lock, opening
//! the vault, and the re-authentication hint. Screenshots in `target/screenshots/`.

use serde_json::json;

#[path = "support/driver.rs"]
mod driver;
mod support;

use driver::{after_setup, drive};

#[test]
fn the_fingerprint_is_offered_turned_on_and_opens_the_vault_after_a_lock() {
    let steps = json!([
        {"resize": [360, 800]},
        {"wait": ["#biometric-offer", "Unlock with your fingerprint next time?"]},
        {"shot": "phone-biometric-offer"},
        {"click": "#biometric-offer-on"},
        {"wait": ["#toast", "Unlock with your fingerprint is on"]},
        {"gone": "#biometric-offer"},
        {"click": "#nav-settings"},
        {"wait": ["#unlock-ways", "Fingerprint or face: on"]},
        {"read": ["ways", "#unlock-ways ul.slots"]},
        {"scroll": "#unlock-ways"},
        {"shot": "phone-settings-unlock"},
        {"click": "header.bar .back"},
        {"click": "#nav-transfer"},
        {"wait": [".reauth-hint", "leave it empty to confirm with your fingerprint"]},
        {"click": "header.bar .back"},
        {"click": "#nav-lock"},
        {"wait": ["#unlock-biometric", "Unlock with your fingerprint"]},
        {"shot": "phone-unlock-biometric"},
        {"click": "#unlock-biometric"},
        {"wait": ["main.list", "No accounts yet"]},
        {"gone": "#biometric-offer"},
    ]);
    let Some(result) = drive(
        &after_setup(steps),
        &[(
            tessera::platform::keystore::TEST_BIOMETRIC_VAR,
            Some(std::ffi::OsStr::new("1")),
        )],
    ) else {
        return;
    };
    let ways = result["reads"]["ways"].as_str().unwrap_or_default();
    assert!(ways.contains("Password: on"), "{ways}");
    assert!(ways.contains("Fingerprint or face: on"), "{ways}");
    assert!(ways.contains("System keyring: off"), "{ways}");
}

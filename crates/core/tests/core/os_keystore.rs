//! The OS keystore (feature `os-keystore`) against a real Secret Service.
//!
//! `.ci/test` runs the tests inside `dbus-run-session` with an unlocked `gnome-keyring-daemon`
//! and sets `TESSERA_REQUIRE_KEYRING=1`, so there this test must run; elsewhere it is skipped with
//! a notice when no session bus is present.

#[cfg(feature = "os-keystore")]
#[test]
fn os_keystore_against_the_real_secret_service() {
    use tessera_core::vault::{Keystore, OsKeystore};

    let required = std::env::var_os("TESSERA_REQUIRE_KEYRING").is_some();
    let store = OsKeystore::with_service(&format!("tessera-test-{}", std::process::id()));
    if std::env::var_os("DBUS_SESSION_BUS_ADDRESS").is_none() || store.get("probe").is_err() {
        assert!(
            !required,
            "TESSERA_REQUIRE_KEYRING is set but no Secret Service answers: {:?}",
            store.get("probe").err()
        );
        eprintln!(
            "note: OS keystore test skipped: no Secret Service on a session bus (see .ci/test)"
        );
        return;
    }
    crate::vault::keystore::conformance(&store, "conformance");
    crate::vault::keystore::slot_life_cycle(&store);
}

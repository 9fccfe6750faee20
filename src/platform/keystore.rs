//! The keystore and biometric store the app uses, chosen in one place (the table below).
//!
//! | platform | keystore slot | biometric slot |
//! |---|---|---|
//! | desktop | the OS keyring (Secret Service, Keychain, Credential Manager) | none |
//! | Android | SharedPreferences encrypted by an AndroidKeyStore key (keyring-core) | AndroidKeyStore key behind `BiometricPrompt` |
//! | iOS | Keychain, this device only | Keychain, `biometryCurrentSet`, this device only |

use std::sync::Arc;

use tessera_core::vault::{BiometricStore, Keystore};

/// What the keystore slot is called on this platform, for the Settings list.
pub const KEYSTORE_NAME: &str = if cfg!(target_os = "android") {
    "Android Keystore"
} else if cfg!(target_os = "ios") {
    "iPhone Keychain"
} else {
    "System keyring"
};

/// The keystore in a sentence ("Unlock with … on this device").
pub const KEYSTORE_PHRASE: &str = if cfg!(target_os = "android") {
    "the Android Keystore"
} else if cfg!(target_os = "ios") {
    "the iPhone's Keychain"
} else {
    "the system keyring"
};

/// Whether the first-run screen ticks keystore unlock by default: on desktop, where the
/// keyring opens with the user's login; not on phones, where anyone holding the unlocked phone
/// could then open Tessera without its password (biometric unlock is offered instead).
pub const KEYSTORE_BY_DEFAULT: bool = cfg!(feature = "desktop");

/// The keystore the app uses (the OS's, or a test's), shared with jobs on other threads.
pub type SharedKeystore = Arc<dyn Keystore + Send + Sync>;

/// The biometric store the app uses (the phone's, or a test's), shared with jobs.
pub type SharedBiometric = Arc<dyn BiometricStore + Send + Sync>;

/// This platform's keystore, if it has one Tessera can use.
pub fn system() -> Option<SharedKeystore> {
    #[cfg(feature = "desktop")]
    {
        Some(Arc::new(tessera_core::vault::OsKeystore::new()))
    }
    #[cfg(all(not(feature = "desktop"), target_os = "ios"))]
    {
        Some(Arc::new(super::ios_keychain::IosKeychain))
    }
    #[cfg(all(not(feature = "desktop"), target_os = "android"))]
    {
        android_keystore()
    }
    #[cfg(not(any(feature = "desktop", target_os = "ios", target_os = "android")))]
    {
        None
    }
}

/// Android's keystore: the store named `tessera` (SharedPreferences file `keyring-tessera`,
/// AndroidKeyStore alias of the same name). `None` when Android refuses to make it.
#[cfg(all(not(feature = "desktop"), target_os = "android"))]
fn android_keystore() -> Option<SharedKeystore> {
    let configuration = std::collections::HashMap::from([("name", "tessera")]);
    let store: Arc<keyring_core::CredentialStore> =
        android_native_keyring_store::Store::new_with_configuration(&configuration).ok()?;
    Some(Arc::new(tessera_core::vault::CredentialStoreKeystore::new(
        store, "tessera",
    )))
}

/// This platform's biometric store, if it has one: the phones'. Whether a fingerprint or face
/// is enrolled is asked later ([`BiometricStore::kind`]), since that changes while the app runs.
pub fn biometric() -> Option<SharedBiometric> {
    #[cfg(all(not(feature = "desktop"), target_os = "android"))]
    {
        Some(Arc::new(super::android_biometric::AndroidBiometric))
    }
    #[cfg(all(not(feature = "desktop"), target_os = "ios"))]
    {
        Some(Arc::new(super::ios_keychain::IosBiometric))
    }
    #[cfg(not(all(
        not(feature = "desktop"),
        any(target_os = "android", target_os = "ios")
    )))]
    {
        test_biometric()
    }
}

/// The window tests' fingerprint (feature `e2e-driver` only, never in what users install):
/// with `TESSERA_TEST_BIOMETRIC` set, an in-memory biometric store whose prompts all succeed,
/// so the real window's biometric screens can be driven on desktop.
#[cfg(feature = "e2e-driver")]
#[cfg_attr(any(target_os = "android", target_os = "ios"), allow(dead_code))]
fn test_biometric() -> Option<SharedBiometric> {
    std::env::var_os(TEST_BIOMETRIC_VAR)
        .map(|_| Arc::new(tessera_core::vault::MemoryBiometric::default()) as SharedBiometric)
}

#[cfg(not(feature = "e2e-driver"))]
#[cfg_attr(any(target_os = "android", target_os = "ios"), allow(dead_code))]
fn test_biometric() -> Option<SharedBiometric> {
    None
}

/// The variable that turns on the window tests' fingerprint (feature `e2e-driver`).
pub const TEST_BIOMETRIC_VAR: &str = "TESSERA_TEST_BIOMETRIC";

//! The OS keystore slot: lets the app open the vault without typing the password.
//!
//! A random 256-bit slot key is kept in the operating system's keystore (Secret Service on
//! Linux, Keychain on macOS and iOS, Credential Manager on Windows, Android Keystore) and wraps
//! the master key like a password would. The keystore sits behind the small [`Keystore`] trait so
//! each platform plugs in its own; [`MemoryKeystore`] is the in-memory one for tests, able to fail
//! on demand, [`OsKeystore`] (feature `os-keystore`) is the desktop one over the keyring crate,
//! and [`CredentialStoreKeystore`] works over any keyring-core store (Android's SharedPreferences
//! encrypted by an AndroidKeyStore key, or keyring-core's mock store in tests).
//! A password slot always remains: if the keystore entry is gone or changed, the password still
//! opens the vault and the keystore slot is made again.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};

use zeroize::Zeroizing;

/// A place to keep one small secret per entry name.
pub trait Keystore {
    /// The secret stored under `entry`, or `None` if there is none.
    fn get(&self, entry: &str) -> Result<Option<Zeroizing<Vec<u8>>>, String>;
    /// Stores (or replaces) the secret under `entry`.
    fn set(&self, entry: &str, secret: &[u8]) -> Result<(), String>;
    /// Deletes `entry`; deleting a missing entry is not an error.
    fn delete(&self, entry: &str) -> Result<(), String>;
}

/// An in-memory keystore for tests: entries in a map, and an error to return on demand.
#[derive(Default)]
pub struct MemoryKeystore {
    entries: Mutex<HashMap<String, Zeroizing<Vec<u8>>>>,
    failure: Mutex<Option<String>>,
}

impl MemoryKeystore {
    /// Makes every following call fail with `message` (or succeed again with `None`).
    pub fn fail_with(&self, message: Option<&str>) {
        *self.failure.lock().expect("not poisoned") = message.map(str::to_owned);
    }

    /// How many entries it holds.
    pub fn len(&self) -> usize {
        self.entries.lock().expect("not poisoned").len()
    }

    /// Whether it holds no entry.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    fn check(&self) -> Result<(), String> {
        match self.failure.lock().expect("not poisoned").as_ref() {
            Some(message) => Err(message.clone()),
            None => Ok(()),
        }
    }
}

impl Keystore for MemoryKeystore {
    fn get(&self, entry: &str) -> Result<Option<Zeroizing<Vec<u8>>>, String> {
        self.check()?;
        Ok(self
            .entries
            .lock()
            .expect("not poisoned")
            .get(entry)
            .cloned())
    }

    fn set(&self, entry: &str, secret: &[u8]) -> Result<(), String> {
        self.check()?;
        self.entries
            .lock()
            .expect("not poisoned")
            .insert(entry.to_owned(), Zeroizing::new(secret.to_vec()));
        Ok(())
    }

    fn delete(&self, entry: &str) -> Result<(), String> {
        self.check()?;
        self.entries.lock().expect("not poisoned").remove(entry);
        Ok(())
    }
}

/// The operating system's keystore through the keyring crate, under the service name `tessera`.
#[cfg(feature = "os-keystore")]
pub struct OsKeystore {
    service: String,
}

#[cfg(feature = "os-keystore")]
impl OsKeystore {
    /// The keystore under the service name `tessera`.
    pub fn new() -> OsKeystore {
        OsKeystore {
            service: "tessera".into(),
        }
    }

    /// The keystore under another service name (tests use their own).
    pub fn with_service(service: &str) -> OsKeystore {
        OsKeystore {
            service: service.into(),
        }
    }

    fn entry(&self, entry: &str) -> Result<keyring::Entry, String> {
        keyring::Entry::new(&self.service, entry).map_err(|e| describe(&e))
    }
}

#[cfg(feature = "os-keystore")]
impl Default for OsKeystore {
    fn default() -> OsKeystore {
        OsKeystore::new()
    }
}

/// keyring's errors can carry the bytes they failed on (`BadEncoding`): never show those.
#[cfg(feature = "os-keystore")]
fn describe(error: &keyring::Error) -> String {
    match error {
        keyring::Error::PlatformFailure(e) | keyring::Error::NoStorageAccess(e) => e.to_string(),
        keyring::Error::BadEncoding(_) => "the stored entry is not what Tessera wrote".into(),
        keyring::Error::NoEntry => "no entry".into(),
        _ => "the keystore refused the request".into(),
    }
}

#[cfg(feature = "os-keystore")]
impl Keystore for OsKeystore {
    fn get(&self, entry: &str) -> Result<Option<Zeroizing<Vec<u8>>>, String> {
        match self.entry(entry)?.get_secret() {
            Ok(secret) => Ok(Some(Zeroizing::new(secret))),
            Err(keyring::Error::NoEntry) => Ok(None),
            Err(e) => Err(describe(&e)),
        }
    }

    fn set(&self, entry: &str, secret: &[u8]) -> Result<(), String> {
        self.entry(entry)?
            .set_secret(secret)
            .map_err(|e| describe(&e))
    }

    fn delete(&self, entry: &str) -> Result<(), String> {
        match self.entry(entry)?.delete_credential() {
            Ok(()) | Err(keyring::Error::NoEntry) => Ok(()),
            Err(e) => Err(describe(&e)),
        }
    }
}

/// The keystore slot over a keyring-core credential store, under one service name. On Android
/// that store is android-native-keyring-store: SharedPreferences encrypted by an AndroidKeyStore
/// AES-GCM key that never leaves the phone's keystore.
///
/// An entry the store can no longer decrypt counts as gone (the store's key was lost, say when
/// the app's data came back on another phone: "Encryption key not found"), so the vault asks
/// for the password and makes the slot again, rather than failing.
pub struct CredentialStoreKeystore {
    store: Arc<keyring_core::CredentialStore>,
    service: String,
}

impl CredentialStoreKeystore {
    /// The keystore over `store`, its entries under `service`.
    pub fn new(
        store: Arc<keyring_core::CredentialStore>,
        service: &str,
    ) -> CredentialStoreKeystore {
        CredentialStoreKeystore {
            store,
            service: service.into(),
        }
    }

    fn entry(&self, entry: &str) -> Result<keyring_core::Entry, String> {
        keyring_core::Entry::new_in_store(&self.store, &self.service, entry)
            .map_err(|e| describe_core(&e))
    }
}

/// keyring-core's errors can carry the bytes they failed on (`BadEncoding`, `BadDataFormat`):
/// never show those.
fn describe_core(error: &keyring_core::Error) -> String {
    use keyring_core::Error;
    match error {
        Error::PlatformFailure(e) => format!("the keystore failed: {e}"),
        Error::NoStorageAccess(e) => format!("the keystore is locked or refused access: {e}"),
        Error::NoEntry => "no entry".into(),
        Error::BadEncoding(_) | Error::BadDataFormat(..) => {
            "the stored entry is not what Tessera wrote".into()
        }
        Error::BadStoreFormat(why) => format!("the keystore's own data is damaged: {why}"),
        _ => "the keystore refused the request".into(),
    }
}

impl Keystore for CredentialStoreKeystore {
    fn get(&self, entry: &str) -> Result<Option<Zeroizing<Vec<u8>>>, String> {
        use keyring_core::Error;
        match self.entry(entry)?.get_secret() {
            Ok(secret) => Ok(Some(Zeroizing::new(secret))),
            Err(Error::NoEntry | Error::BadDataFormat(..) | Error::BadStoreFormat(_)) => Ok(None),
            Err(e) => Err(describe_core(&e)),
        }
    }

    fn set(&self, entry: &str, secret: &[u8]) -> Result<(), String> {
        self.entry(entry)?
            .set_secret(secret)
            .map_err(|e| describe_core(&e))
    }

    fn delete(&self, entry: &str) -> Result<(), String> {
        match self.entry(entry)?.delete_credential() {
            Ok(()) | Err(keyring_core::Error::NoEntry) => Ok(()),
            Err(e) => Err(describe_core(&e)),
        }
    }
}

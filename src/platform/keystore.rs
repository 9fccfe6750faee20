//! The keystore the app uses, chosen in one place: the OS keystore on desktop (Secret Service,
//! Keychain, Credential Manager) and the iOS Keychain; none on Android yet, where the vault opens
//! with the password.

use std::sync::Arc;

use tessera_core::vault::Keystore;

/// The keystore the app uses (the OS's, or a test's), shared with jobs on other threads.
pub type SharedKeystore = Arc<dyn Keystore + Send + Sync>;

/// This platform's keystore, if it has one Tessera can use.
pub fn system() -> Option<SharedKeystore> {
    #[cfg(any(feature = "desktop", target_os = "ios"))]
    {
        Some(Arc::new(tessera_core::vault::OsKeystore::new()))
    }
    #[cfg(not(any(feature = "desktop", target_os = "ios")))]
    {
        None
    }
}

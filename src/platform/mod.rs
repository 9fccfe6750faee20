//! Glue to the operating system, each piece behind a small trait from `tessera-core` so that the
//! app's logic never depends on one platform:
//!
//! - camera: [`tessera_core::scan::FrameSource`]; on desktop [`camera::DesktopCamera`] over
//!   nokhwa (V4L2, AVFoundation, Media Foundation). On phones the camera comes through the web
//!   view's `getUserMedia` ([`webcam`]), whose frames reach the same decoder.
//! - clipboard: [`clipboard::Clipboard`]; on desktop the system clipboard through arboard, on
//!   phones the web view's `navigator.clipboard`.
//! - keystore and biometrics: [`keystore::system`] and [`keystore::biometric`], the one place
//!   the app's keystore and biometric store are chosen; the phones' biometric prompt answers
//!   through [`biometric_prompt`].
//! - the sync folder: [`tessera_core::transfer::sync::SyncFolder`]; a directory, or on Android
//!   a folder from the Storage Access Framework's picker ([`sync_folder`]).
//! - the camera preview ([`preview`]) and, for the end-to-end tests only (feature
//!   `e2e-driver`), a camera that replays image files ([`replay`]).

#[cfg(target_os = "android")]
pub mod android;
#[cfg(target_os = "android")]
pub mod android_biometric;
pub mod biometric_prompt;
#[cfg(feature = "desktop")]
pub mod camera;
pub mod clipboard;
pub mod documents;
pub mod files;
#[cfg(target_os = "ios")]
pub mod ios;
#[cfg(target_os = "ios")]
pub mod ios_keychain;
pub mod jni_calls;
pub mod keystore;
pub mod lifecycle;
pub mod preview;
#[cfg(feature = "e2e-driver")]
pub mod replay;
pub mod scanner;
pub mod sync_folder;
pub mod webcam;

//! Files the user chooses with the system's own dialogs, for backups and exports:
//!
//! - Android: the Storage Access Framework's "create document" dialog, from the activity
//!   ([`super::android`]); the bytes go to the chosen document and are read back from it
//!   (a backup's check proves what the document holds). Asked from the job's worker thread.
//! - Desktop: the native save dialog (rfd: the desktop portal on Linux, AppKit, Win32), which
//!   fills the file field; the field stays, so a path can still be typed (and tests do).
//! - iOS: a typed path in the app's Documents folder, which the Files app shows ("On My
//!   iPhone > Tessera"), from where a backup is moved, shared or AirDropped.
//!
//! Opening a file (restore and import) is the web view's `<input type="file">` everywhere,
//! which already is the system's dialog: Android's document picker (wry's
//! `onShowFileChooser`), iOS's document picker (WKWebView), the native open dialog on desktop.

use std::path::PathBuf;

use tessera_core::file::Destination;

/// What the user must choose a place for: a suggested file name and its type.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Wanted {
    /// The file name offered in the dialog.
    pub name: String,
    /// Its MIME type (Android's dialog filters and names by it).
    pub mime: &'static str,
}

/// Whether backups and exports ask for their place in the job through the system's dialog
/// (Android) instead of a typed path.
pub const ASKS_IN_JOB: bool = cfg!(target_os = "android");

/// A document the system's dialog chose (Android: a `content://` URI).
#[derive(Debug, Clone)]
pub struct Document {
    uri: String,
    name: String,
}

impl Destination for Document {
    fn name(&self) -> PathBuf {
        PathBuf::from(&self.name)
    }

    fn put(&self, bytes: &[u8]) -> Result<(), tessera_core::file::WriteError> {
        #[cfg(target_os = "android")]
        {
            super::android::write_document(&self.uri, bytes).map_err(|e| {
                tessera_core::file::WriteError {
                    path: self.name(),
                    error: std::io::Error::other(e),
                }
            })
        }
        #[cfg(not(target_os = "android"))]
        {
            let _ = bytes;
            Err(tessera_core::file::WriteError {
                path: self.name(),
                error: std::io::Error::other("no document dialog on this platform"),
            })
        }
    }

    fn get(&self, max: usize) -> std::io::Result<Vec<u8>> {
        #[cfg(target_os = "android")]
        {
            super::android::read_document(&self.uri, max).map_err(std::io::Error::other)
        }
        #[cfg(not(target_os = "android"))]
        {
            let _ = max;
            Err(std::io::Error::other("no document dialog on this platform"))
        }
    }

    fn discard(&self) {
        #[cfg(target_os = "android")]
        super::android::delete_document(&self.uri);
    }
}

/// A file just written that can be handed on: the share sheet on both phones, and on iOS the
/// document picker's "save a copy to" (iCloud Drive, another app's folder, a USB drive).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Shareable {
    /// A path (iOS), or a document's URI (Android).
    location: String,
    /// Its type, for the share sheet.
    mime: &'static str,
}

/// Whether this platform hands written files on (phones).
pub const CAN_SHARE: bool = cfg!(any(target_os = "android", target_os = "ios"));

/// Whether this platform offers "save a copy to" with the document picker (iOS).
pub const CAN_SAVE_COPY: bool = cfg!(target_os = "ios");

impl Shareable {
    /// The path just written (iOS shares files by path).
    pub fn path(path: PathBuf, mime: &'static str) -> Shareable {
        Shareable {
            location: path.to_string_lossy().into_owned(),
            mime,
        }
    }

    /// The document just written.
    pub fn document(document: &Document, mime: &'static str) -> Shareable {
        Shareable {
            location: document.uri.clone(),
            mime,
        }
    }

    /// Opens the share sheet (phones; call from a click handler).
    pub fn share(&self) -> Result<(), String> {
        #[cfg(target_os = "android")]
        {
            super::android::share_document(&self.location, self.mime)
        }
        #[cfg(target_os = "ios")]
        {
            use dioxus::mobile::tao::platform::ios::WindowExtIOS;
            let root = dioxus::mobile::window().window.ui_view_controller();
            let path = std::path::Path::new(&self.location);
            super::ios::hand_over(root, path, super::ios::Hand::Share)
        }
        #[cfg(not(any(target_os = "android", target_os = "ios")))]
        {
            let _ = self.mime;
            Err("this platform has no share sheet".into())
        }
    }

    /// Opens the document picker to save a copy elsewhere (iOS).
    pub fn save_copy(&self) -> Result<(), String> {
        #[cfg(target_os = "ios")]
        {
            use dioxus::mobile::tao::platform::ios::WindowExtIOS;
            let root = dioxus::mobile::window().window.ui_view_controller();
            let path = std::path::Path::new(&self.location);
            super::ios::hand_over(root, path, super::ios::Hand::SaveCopy)
        }
        #[cfg(not(target_os = "ios"))]
        {
            Err("only iOS saves copies through its document picker".into())
        }
    }
}

/// Asks the user where `wanted` goes, with the system's dialog (Android; waits for the
/// answer, so call it from a worker thread). `Ok(None)` when the user cancelled. The app's
/// background lock ignores the time the dialog is open.
pub fn ask_where(wanted: &Wanted) -> Result<Option<Document>, String> {
    let _open = super::lifecycle::SystemDialog::open();
    #[cfg(target_os = "android")]
    {
        let uri = super::android::create_document(&wanted.name, wanted.mime)?;
        Ok(uri.map(|uri| Document {
            name: super::android::document_name(&uri),
            uri,
        }))
    }
    #[cfg(not(target_os = "android"))]
    {
        Err(format!(
            "this platform has no document dialog for {} (type where it goes)",
            wanted.name
        ))
    }
}

/// The native save dialog on desktop, starting at `suggested`: the path chosen, or `None`
/// when cancelled (or no dialog could be shown: the portal is missing). Async: the UI awaits
/// it without blocking the window.
#[cfg(feature = "desktop")]
pub async fn pick_save_path(suggested: PathBuf) -> Option<PathBuf> {
    let _open = super::lifecycle::SystemDialog::open();
    let mut dialog = rfd::AsyncFileDialog::new().set_title("Save as");
    if let Some(dir) = suggested.parent() {
        dialog = dialog.set_directory(dir);
    }
    if let Some(name) = suggested.file_name() {
        dialog = dialog.set_file_name(name.to_string_lossy());
    }
    dialog.save_file().await.map(|f| f.path().to_owned())
}

/// The native folder dialog on desktop (automatic backups), starting at `start`.
#[cfg(feature = "desktop")]
pub async fn pick_folder(start: PathBuf) -> Option<PathBuf> {
    let _open = super::lifecycle::SystemDialog::open();
    rfd::AsyncFileDialog::new()
        .set_title("Folder for automatic backups")
        .set_directory(start)
        .pick_folder()
        .await
        .map(|f| f.path().to_owned())
}

/// No native save dialog in this build (phones): `None`.
#[cfg(not(feature = "desktop"))]
pub async fn pick_save_path(_suggested: PathBuf) -> Option<PathBuf> {
    None
}

/// No native folder dialog in this build (phones): `None`.
#[cfg(not(feature = "desktop"))]
pub async fn pick_folder(_start: PathBuf) -> Option<PathBuf> {
    None
}

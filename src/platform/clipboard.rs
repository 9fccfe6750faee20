//! The clipboard behind a small trait: the desktop's through arboard (X11/Wayland, macOS,
//! Windows). Copied codes are cleared after the user's timeout, but only if the clipboard still
//! holds that code (the user may have copied something else since).

use zeroize::Zeroizing;

/// A place to copy codes to.
pub trait Clipboard: Send + Sync {
    /// Puts `text` on the clipboard.
    fn copy(&self, text: &str) -> Result<(), String>;
    /// What the clipboard holds now, if it is text.
    fn read(&self) -> Option<Zeroizing<String>>;
    /// Empties the clipboard if it still holds `text`; true when it did.
    fn clear_if(&self, text: &str) -> bool {
        if self.read().is_some_and(|now| now.as_str() == text) {
            return self.copy("").is_ok();
        }
        false
    }
}

/// The system clipboard on desktop.
#[cfg(feature = "desktop")]
pub struct SystemClipboard;

#[cfg(feature = "desktop")]
impl Clipboard for SystemClipboard {
    fn copy(&self, text: &str) -> Result<(), String> {
        let mut board = arboard::Clipboard::new().map_err(|e| e.to_string())?;
        if text.is_empty() {
            board.clear().map_err(|e| e.to_string())
        } else {
            board.set_text(text.to_owned()).map_err(|e| e.to_string())
        }
    }

    fn read(&self) -> Option<Zeroizing<String>> {
        arboard::Clipboard::new()
            .ok()?
            .get_text()
            .ok()
            .map(Zeroizing::new)
    }
}

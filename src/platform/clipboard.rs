//! The clipboard behind a small trait, chosen in one place ([`system`]): the desktop's through
//! arboard (X11/Wayland, macOS, Windows); Android's `ClipboardManager` with the code marked
//! sensitive (through the activity, [`super::android`]); iOS's `UIPasteboard`, local to the
//! device and expiring ([`super::ios`]); the web view's `navigator.clipboard` elsewhere; and
//! [`MemoryClipboard`] for tests. Copied codes are cleared after the user's timeout, on lock and on quit, but only if
//! the clipboard still holds that code (the user may have copied something else since).
//!
//! The code waiting to be cleared lives here, process-wide ([`remember`], [`take`]), not in
//! the screen that copied it: a timer in a row's scope died with the row (a lock, a search, a
//! new screen), and the code stayed on the clipboard.

use std::sync::Mutex;

use zeroize::Zeroizing;

/// A place to copy codes to.
pub trait Clipboard: Send + Sync {
    /// Puts `text` on the clipboard, marked as sensitive where the platform has a way
    /// (excluded from clipboard history and cloud sync).
    fn copy(&self, text: &str) -> Result<(), String>;
    /// [`Clipboard::copy`], telling a platform that can expire clipboard contents itself (iOS)
    /// to do so after `expire_secs` (0: never); the timed [`Clipboard::clear_if`] runs anyway.
    fn copy_expiring(&self, text: &str, expire_secs: u64) -> Result<(), String> {
        let _ = expire_secs;
        self.copy(text)
    }
    /// What the clipboard holds now, if it is text.
    fn read(&self) -> Option<Zeroizing<String>>;
    /// Empties the clipboard.
    fn clear(&self) -> Result<(), String>;
    /// Empties the clipboard if it still holds `text`; true when it did.
    fn clear_if(&self, text: &str) -> bool {
        if self.read().is_some_and(|now| now.as_str() == text) {
            return self.clear().is_ok();
        }
        false
    }
}

/// The code last copied and not yet cleared, with its ticket.
static PENDING: Mutex<Option<(u64, Zeroizing<String>)>> = Mutex::new(None);

/// Records `code` as the one to clear; returns its ticket for [`take`].
pub fn remember(code: &str) -> u64 {
    let mut pending = PENDING.lock().unwrap_or_else(|e| e.into_inner());
    let ticket = pending.as_ref().map_or(1, |(t, _)| t + 1);
    *pending = Some((ticket, Zeroizing::new(code.to_owned())));
    ticket
}

/// The code to clear: the one with `ticket` (a timer), or whichever is pending (`None`: lock
/// and quit). A later copy replaces an earlier one, whose timer then finds nothing.
pub fn take(ticket: Option<u64>) -> Option<Zeroizing<String>> {
    let mut pending = PENDING.lock().unwrap_or_else(|e| e.into_inner());
    match (&*pending, ticket) {
        (Some((t, _)), Some(wanted)) if *t != wanted => None,
        _ => pending.take().map(|(_, code)| code),
    }
}

/// The system clipboard on desktop. One arboard handle is kept for the life of the process:
/// on X11 the copying program serves the clipboard's contents, and dropping the last handle
/// drops them (unless a clipboard manager takes them over).
#[cfg(feature = "desktop")]
pub struct SystemClipboard;

#[cfg(feature = "desktop")]
fn with_board<R>(
    work: impl FnOnce(&mut arboard::Clipboard) -> Result<R, arboard::Error>,
) -> Result<R, String> {
    static BOARD: Mutex<Option<arboard::Clipboard>> = Mutex::new(None);
    let mut board = BOARD.lock().unwrap_or_else(|e| e.into_inner());
    if board.is_none() {
        *board = Some(arboard::Clipboard::new().map_err(|e| e.to_string())?);
    }
    let board = board.as_mut().expect("just set");
    work(board).map_err(|e| e.to_string())
}

#[cfg(feature = "desktop")]
impl Clipboard for SystemClipboard {
    fn copy(&self, text: &str) -> Result<(), String> {
        with_board(|board| {
            let set = board.set();
            #[cfg(target_os = "linux")]
            let set = arboard::SetExtLinux::exclude_from_history(set);
            #[cfg(target_os = "macos")]
            let set = arboard::SetExtApple::exclude_from_history(set);
            #[cfg(windows)]
            let set = {
                use arboard::SetExtWindows;
                set.exclude_from_history()
                    .exclude_from_cloud()
                    .exclude_from_monitoring()
            };
            set.text(text.to_owned())
        })
    }

    fn read(&self) -> Option<Zeroizing<String>> {
        with_board(|board| board.get_text())
            .ok()
            .map(Zeroizing::new)
    }

    fn clear(&self) -> Result<(), String> {
        with_board(|board| board.clear())
    }
}

/// The web view's clipboard (phones): `navigator.clipboard`, written from the page. The page
/// cannot be read back without a permission prompt, so [`Clipboard::clear_if`] clears whatever
/// is there (the timer only runs while the copied code is the last thing Tessera copied).
pub struct WebViewClipboard;

impl Clipboard for WebViewClipboard {
    fn copy(&self, text: &str) -> Result<(), String> {
        let js = format!(
            "navigator.clipboard.writeText({})",
            serde_json::to_string(text).map_err(|e| e.to_string())?
        );
        dioxus::prelude::document::eval(&js);
        Ok(())
    }

    fn read(&self) -> Option<Zeroizing<String>> {
        None
    }

    fn clear(&self) -> Result<(), String> {
        dioxus::prelude::document::eval("navigator.clipboard.writeText('')");
        Ok(())
    }

    fn clear_if(&self, _text: &str) -> bool {
        self.clear().is_ok()
    }
}

/// Android's clipboard through the activity: the code is marked sensitive
/// (`EXTRA_IS_SENSITIVE`: no preview, kept out of keyboard clipboard history), and the timed
/// clear checks that the clipboard still holds it (done when Tessera is in front again if
/// Android hides the clipboard in the background).
#[cfg(target_os = "android")]
pub struct AndroidClipboard;

#[cfg(target_os = "android")]
impl Clipboard for AndroidClipboard {
    fn copy(&self, text: &str) -> Result<(), String> {
        super::android::copy_sensitive(text)
    }

    fn read(&self) -> Option<Zeroizing<String>> {
        None
    }

    fn clear(&self) -> Result<(), String> {
        Err("Android clears only what Tessera copied".into())
    }

    fn clear_if(&self, text: &str) -> bool {
        super::android::clear_clipboard_if(text)
    }
}

/// The iOS pasteboard: local to this device (no Universal Clipboard) and expiring on its own.
/// Whether it still holds the code is told by its change count after the copy, never by
/// reading it back (which would show iOS's paste banner for other apps' content).
#[cfg(target_os = "ios")]
pub struct IosClipboard;

/// The pasteboard's change count right after Tessera's last copy.
#[cfg(target_os = "ios")]
static IOS_COPIED_AT: std::sync::atomic::AtomicIsize = std::sync::atomic::AtomicIsize::new(-1);

#[cfg(target_os = "ios")]
impl Clipboard for IosClipboard {
    fn copy(&self, text: &str) -> Result<(), String> {
        self.copy_expiring(text, 0)
    }

    fn copy_expiring(&self, text: &str, expire_secs: u64) -> Result<(), String> {
        super::ios::copy_local(text, expire_secs);
        IOS_COPIED_AT.store(
            super::ios::clipboard_change_count(),
            std::sync::atomic::Ordering::SeqCst,
        );
        Ok(())
    }

    fn read(&self) -> Option<Zeroizing<String>> {
        None
    }

    fn clear(&self) -> Result<(), String> {
        super::ios::clear_clipboard();
        Ok(())
    }

    fn clear_if(&self, _text: &str) -> bool {
        let copied = IOS_COPIED_AT.swap(-1, std::sync::atomic::Ordering::SeqCst);
        if copied >= 0 && copied == super::ios::clipboard_change_count() {
            return self.clear().is_ok();
        }
        false
    }
}

/// A clipboard in memory, for tests: what was copied, and an error on demand.
#[derive(Default)]
pub struct MemoryClipboard {
    text: Mutex<Option<Zeroizing<String>>>,
    /// When set, every copy fails with this message.
    pub failure: Option<String>,
}

impl Clipboard for MemoryClipboard {
    fn copy(&self, text: &str) -> Result<(), String> {
        if let Some(failure) = &self.failure {
            return Err(failure.clone());
        }
        *self.text.lock().unwrap_or_else(|e| e.into_inner()) = Some(Zeroizing::new(text.into()));
        Ok(())
    }

    fn read(&self) -> Option<Zeroizing<String>> {
        self.text.lock().unwrap_or_else(|e| e.into_inner()).clone()
    }

    fn clear(&self) -> Result<(), String> {
        *self.text.lock().unwrap_or_else(|e| e.into_inner()) = None;
        Ok(())
    }
}

/// This platform's clipboard: the system's on desktop, Android's and iOS's own on phones, the
/// web view's on any other mobile build.
pub fn system() -> &'static dyn Clipboard {
    #[cfg(feature = "desktop")]
    {
        &SystemClipboard
    }
    #[cfg(all(not(feature = "desktop"), target_os = "android"))]
    {
        &AndroidClipboard
    }
    #[cfg(all(not(feature = "desktop"), target_os = "ios"))]
    {
        &IosClipboard
    }
    #[cfg(not(any(feature = "desktop", target_os = "android", target_os = "ios")))]
    {
        &WebViewClipboard
    }
}

/// Clears the clipboard if it still holds the code Tessera copied last (on lock and quit).
pub fn clear_copied_code() {
    if let Some(code) = take(None) {
        system().clear_if(&code);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_later_copy_replaces_the_pending_one_and_its_timer_finds_nothing() {
        let first = remember("123456");
        let second = remember("654321");
        assert_eq!(take(Some(first)), None);
        assert_eq!(
            take(Some(second)).as_deref().map(String::as_str),
            Some("654321")
        );
        assert_eq!(take(None), None);
        remember("111111");
        assert_eq!(take(None).as_deref().map(String::as_str), Some("111111"));
    }

    #[test]
    fn clearing_leaves_what_the_user_copied_since() {
        let board = MemoryClipboard::default();
        board.copy("123456").unwrap();
        assert!(!board.clear_if("999999"), "another text stays");
        assert_eq!(board.read().as_deref().map(String::as_str), Some("123456"));
        assert!(board.clear_if("123456"));
        assert!(board.read().is_none());
        let failing = MemoryClipboard {
            failure: Some("no display".into()),
            ..MemoryClipboard::default()
        };
        assert_eq!(failing.copy("1"), Err("no display".into()));
    }
}

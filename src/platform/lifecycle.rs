//! The app going to the background and coming back, as the platform reports it: tao's
//! `Suspended`/`Resumed` on phones (Android `onPause`/`onResume`, iOS resign/become active),
//! the web view's `visibilitychange` everywhere.
//!
//! A system dialog Tessera opened itself (the document picker for a backup) also sends the
//! app to the background; that is not the user leaving, so [`SystemDialog`] marks the time
//! one is open and the background lock ([`crate::app::AppState::went_to_background`]) skips it.

use std::sync::atomic::{AtomicUsize, Ordering};

static DIALOGS_OPEN: AtomicUsize = AtomicUsize::new(0);

/// Held while a system dialog Tessera opened is on screen.
#[derive(Debug)]
pub struct SystemDialog(());

impl SystemDialog {
    /// Marks a dialog open until the guard drops.
    pub fn open() -> SystemDialog {
        DIALOGS_OPEN.fetch_add(1, Ordering::SeqCst);
        SystemDialog(())
    }
}

impl Drop for SystemDialog {
    fn drop(&mut self) {
        DIALOGS_OPEN.fetch_sub(1, Ordering::SeqCst);
    }
}

/// Whether a system dialog Tessera opened is on screen now.
pub fn system_dialog_open() -> bool {
    DIALOGS_OPEN.load(Ordering::SeqCst) > 0
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_dialog_counts_as_open_until_its_guard_drops() {
        assert!(!system_dialog_open());
        let first = SystemDialog::open();
        let second = SystemDialog::open();
        drop(first);
        assert!(system_dialog_open(), "one is still open");
        drop(second);
        assert!(!system_dialog_open());
    }
}

//! The lock for leaving the app: when it goes to the background (a phone app switched away
//! from, a window minimised or hidden) and stays away past the grace period of the settings,
//! it locks. Phones suspend the app's timers in the background, so the check runs both on the
//! clock's tick and on coming back ([`AppState::came_to_foreground`]).

use super::AppState;

impl AppState {
    /// The app went to the background at `now`. Ignored while a system dialog Tessera opened
    /// itself is on screen (the document picker of a backup). With no grace period and the
    /// setting on, locks at once; true when it did.
    pub fn went_to_background(&mut self, now: u64) -> bool {
        if crate::platform::lifecycle::system_dialog_open() || self.hidden_since.is_some() {
            return false;
        }
        self.hidden_since = Some(now);
        self.lock_if_away(now)
    }

    /// The app is in front again at `now`: locks if it was away past the grace period; true
    /// when it did.
    pub fn came_to_foreground(&mut self, now: u64) -> bool {
        let locked = self.lock_if_away(now);
        self.hidden_since = None;
        locked
    }

    /// Whether the vault is unlocked and the app has been away past the grace period (with
    /// the setting on).
    pub fn away_too_long(&self, now: u64) -> bool {
        let Some(since) = self.hidden_since else {
            return false;
        };
        self.vault.is_some()
            && self.settings.lock_when_hidden
            && now.saturating_sub(since) >= self.settings.hidden_grace_secs
    }

    /// Locks if [`AppState::away_too_long`]; true when it did.
    pub fn lock_if_away(&mut self, now: u64) -> bool {
        let away = self.away_too_long(now);
        if away {
            self.lock();
        }
        away
    }
}

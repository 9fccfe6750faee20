//! The user's settings, kept as JSON beside the vault (`<vault>.settings.json`): nothing in
//! them is secret.

use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use super::sort::SortOrder;
use super::{AppError, AppState};

/// Light, dark, or follow the system.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Default)]
#[serde(rename_all = "lowercase")]
pub enum Theme {
    /// Follow `prefers-color-scheme`.
    #[default]
    System,
    /// Always light.
    Light,
    /// Always dark.
    Dark,
}

/// How the account list is grouped.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Default)]
#[serde(rename_all = "lowercase")]
pub enum GroupBy {
    /// One list.
    #[default]
    None,
    /// By tenant.
    Tenant,
    /// By first tag.
    Tag,
    /// By issuer.
    Issuer,
}

/// Every setting, with the defaults a new user gets.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct Settings {
    /// Lock after this many seconds without input; 0 = never.
    pub auto_lock_secs: u64,
    /// Lock when the window is minimised or hidden, or the app goes to the background...
    pub lock_when_hidden: bool,
    /// ...once it has been away this many seconds (0: at once).
    pub hidden_grace_secs: u64,
    /// Allow screenshots, screen recording and the app-switcher picture of the codes (Android:
    /// FLAG_SECURE is off). Off by default.
    pub allow_screenshots: bool,
    /// Clear the clipboard this many seconds after copying a code; 0 = never.
    pub clipboard_clear_secs: u64,
    /// Show codes only after a tap.
    pub tap_to_reveal: bool,
    /// The theme.
    pub theme: Theme,
    /// How the list is grouped.
    pub group_by: GroupBy,
    /// How the list is sorted (inside its groups).
    pub sort: SortOrder,
    /// The user's own order: account ids, first to last.
    pub custom_order: Vec<String>,
    /// Seconds added to the system clock for codes (a clock that is known to be off).
    pub clock_offset_secs: i64,
    /// "Not now" was chosen on the offer to unlock with a fingerprint or face (it is not made
    /// again; Settings still turns it on).
    pub biometric_offer_dismissed: bool,
}

impl Default for Settings {
    fn default() -> Settings {
        Settings {
            auto_lock_secs: 300,
            // Phones: leaving the app for more than half a minute locks it. Desktop: off (a
            // window behind another is not a phone in a pocket).
            lock_when_hidden: cfg!(not(feature = "desktop")),
            hidden_grace_secs: 30,
            allow_screenshots: false,
            clipboard_clear_secs: 30,
            tap_to_reveal: false,
            theme: Theme::System,
            group_by: GroupBy::None,
            sort: SortOrder::Issuer,
            custom_order: Vec::new(),
            clock_offset_secs: 0,
            biometric_offer_dismissed: false,
        }
    }
}

impl Settings {
    /// Where the settings of the vault at `vault` live.
    pub fn path(vault: &Path) -> PathBuf {
        let mut name = vault.as_os_str().to_owned();
        name.push(".settings.json");
        PathBuf::from(name)
    }

    /// The saved settings, or the defaults.
    pub fn load(vault: &Path) -> Settings {
        std::fs::read(Settings::path(vault))
            .ok()
            .and_then(|bytes| serde_json::from_slice(&bytes).ok())
            .unwrap_or_default()
    }

    /// Saves them atomically (complete beside the file, synced, renamed into place), readable
    /// only by the user. Best effort: a settings file that cannot be written is not worth an
    /// error over the user's codes; the error is returned for the caller to show.
    pub fn save(&self, vault: &Path) -> Result<(), AppError> {
        let path = Settings::path(vault);
        let json = serde_json::to_vec_pretty(self).map_err(|e| AppError::File {
            message: format!("The settings could not be written: {e}."),
        })?;
        tessera_core::file::write_private(&path, &json).map_err(|e| AppError::File {
            message: format!(
                "The settings could not be saved to {}: {}.",
                e.path.display(),
                e.error
            ),
        })
    }
}

impl AppState {
    /// Saves the settings.
    pub fn save_settings(&self) -> Result<(), AppError> {
        self.settings.save(&self.vault_path)
    }

    /// Changes the settings with `change` and saves them. A change that weakens the lock
    /// ([`AppState::weakens_lock`]) must be confirmed with the password first: the view does
    /// that with [`AppState::reauth`] before calling this.
    pub fn update_settings(&mut self, change: impl FnOnce(&mut Settings)) -> Result<(), AppError> {
        change(&mut self.settings);
        self.save_settings()
    }
}

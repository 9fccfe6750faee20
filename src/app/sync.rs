//! Sync through a folder that Syncthing, Nextcloud or Dropbox keeps in step
//! ([`tessera_core::transfer::sync`]): joining (the sync password's key derivation as a job),
//! syncing by itself after unlock, after every change and every minute while unlocked, the
//! status with its devices and conflicts, removing a device (a new sync password), and leaving.

use std::path::PathBuf;

use tessera_core::otp::unix_now;
use tessera_core::transfer::sync::{self, JoinKey, SyncError, SyncReport, SyncStatus};
use tessera_core::vault::KdfParams;
use zeroize::Zeroizing;

use super::progress::{Progress, kdf_time};
use super::{AppError, AppState};

/// How often the app looks at the folder by itself while unlocked (seconds).
pub const SYNC_EVERY_SECS: u64 = 60;

/// The sync as this session knows it.
#[derive(Debug, Default)]
pub struct SyncRuntime {
    /// The folder, when the unlocked vault syncs.
    folder: Option<PathBuf>,
    /// A change was made since the last sync.
    dirty: bool,
    /// When a sync last ran (or failed).
    last_try: u64,
    /// The last sync's failure, shown in Settings › Sync until one succeeds.
    pub last_error: Option<AppError>,
    /// The status as the last sync left it (reading the folder for every render would be
    /// slow through Android's document provider).
    status: Option<Result<SyncStatus, AppError>>,
}

impl SyncRuntime {
    /// After unlocking: whether this vault syncs, and a sync at once.
    pub(super) fn unlocked(&mut self, folder: Option<PathBuf>) {
        *self = SyncRuntime {
            dirty: folder.is_some(),
            folder,
            ..SyncRuntime::default()
        };
    }

    /// After a change of this device's: sync soon.
    pub(super) fn changed(&mut self) {
        self.dirty = self.folder.is_some();
    }
}

impl From<SyncError> for AppError {
    fn from(error: SyncError) -> AppError {
        match error {
            SyncError::Vault(error) => AppError::Vault(error),
            other => AppError::Sync(other),
        }
    }
}

/// What the key derivation of a join or a re-key needs, gathered on the UI thread.
pub struct SyncKeyJob {
    folder: PathBuf,
    password: Zeroizing<String>,
    /// Only a new key: a new sync, or a device removed.
    new_only: bool,
}

impl std::fmt::Debug for SyncKeyJob {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "SyncKeyJob({:?})", self.folder)
    }
}

impl SyncKeyJob {
    /// Finds the folder's sync key with the password, or makes a new one with settings
    /// measured on this device.
    pub fn run(self, progress: &Progress) -> Result<JoinKey, AppError> {
        let kdf = kdf_time::calibrate(progress, 0.05, 0.4);
        self.run_with(kdf, progress)
    }

    /// [`SyncKeyJob::run`] with given settings for a new key (tests use fast ones).
    pub fn run_with(self, kdf: KdfParams, progress: &Progress) -> Result<JoinKey, AppError> {
        progress.report(0.5, "Opening the sync with its password…");
        let key = if self.new_only {
            sync::new_key(self.password.as_bytes(), kdf)?
        } else {
            let folder = crate::platform::sync_folder::open(&self.folder);
            sync::prepare_join(&*folder, self.password.as_bytes(), kdf)?
        };
        Ok(key)
    }
}

/// One sentence for a sync that brought something.
pub fn summary(report: &SyncReport) -> Option<String> {
    let mut parts = Vec::new();
    for (n, what) in [
        (report.added, "added"),
        (report.changed, "changed"),
        (report.trashed, "moved to the trash"),
        (report.purged, "deleted for good"),
    ] {
        if n > 0 {
            parts.push(format!("{n} {what}"));
        }
    }
    let mut text = if parts.is_empty() {
        String::new()
    } else {
        format!("From your other devices: {}.", parts.join(", "))
    };
    if report.conflicts > 0 {
        text.push_str(&format!(
            " {} conflict copies: two devices changed the same account at once; open it to keep one or both.",
            report.conflicts
        ));
    }
    (!text.is_empty()).then(|| text.trim().to_owned())
}

impl AppState {
    /// The folder this vault syncs with (`None`: no sync, or locked).
    pub fn sync_folder(&self) -> Option<&PathBuf> {
        self.sync.folder.as_ref()
    }

    /// The sync's status as the last sync (or join, or unlock) read it: devices, last sync,
    /// conflicts, files not merged.
    pub fn sync_status(&self) -> Option<Result<SyncStatus, AppError>> {
        self.sync.folder.as_ref()?;
        self.vault.as_ref()?;
        self.sync.status.clone()
    }

    /// Reads the status from the folder again.
    fn read_sync_status(&mut self) {
        let (Some(folder), Some(vault)) = (&self.sync.folder, &self.vault) else {
            self.sync.status = None;
            return;
        };
        let dir = crate::platform::sync_folder::open(folder);
        self.sync.status = Some(sync::status(vault, &*dir).map_err(AppError::from));
    }

    /// The last automatic sync's failure, if the last one failed.
    pub fn sync_error(&self) -> Option<&AppError> {
        self.sync.last_error.as_ref()
    }

    /// A job that opens the sync in `folder` with `password` (or starts one there).
    pub fn sync_join_job(
        &self,
        folder: &str,
        password: Zeroizing<String>,
    ) -> Result<SyncKeyJob, AppError> {
        self.unlocked()?;
        let folder = folder.trim();
        if folder.is_empty() {
            return Err(AppError::input(
                "No sync folder is chosen.",
                "Choose the folder your sync engine (Syncthing, Nextcloud, Dropbox) keeps in step on every device.",
            ));
        }
        if password.is_empty() {
            return Err(AppError::input(
                "The sync password is empty.",
                "Type the sync password set on your first device, or a new one to start a sync.",
            ));
        }
        Ok(SyncKeyJob {
            folder: PathBuf::from(folder),
            password,
            new_only: false,
        })
    }

    /// Joins with the key the job found or made, as the device `name`, and syncs.
    pub fn finish_sync_join(&mut self, name: &str, key: JoinKey) -> Result<SyncReport, AppError> {
        let name = match name.trim() {
            "" => "Tessera".to_owned(),
            name => name.chars().take(64).collect(),
        };
        let folder = self.pending_sync_folder()?;
        let dir = crate::platform::sync_folder::open(&folder);
        let result = sync::join(self.vault_mut()?, &*dir, &name, &key, unix_now());
        let report = self.after_sync(result)?;
        self.sync.unlocked(Some(folder));
        self.sync.dirty = false;
        self.sync.last_try = unix_now();
        self.read_sync_status();
        Ok(report)
    }

    fn pending_sync_folder(&self) -> Result<PathBuf, AppError> {
        self.join_folder
            .clone()
            .ok_or_else(|| AppError::input("No sync folder is chosen.", "Choose the folder again."))
    }

    /// Remembers the folder a join job is for (its result arrives later).
    pub fn set_join_folder(&mut self, folder: &str) {
        self.join_folder = Some(PathBuf::from(folder.trim()));
    }

    /// Syncs now; `None` when this vault does not sync.
    pub fn sync_now(&mut self) -> Result<Option<SyncReport>, AppError> {
        let Some(folder) = self.sync.folder.clone() else {
            return Ok(None);
        };
        self.sync.last_try = unix_now();
        self.sync.dirty = false;
        let dir = crate::platform::sync_folder::open(&folder);
        let result = sync::sync(self.vault_mut()?, &*dir, None, unix_now());
        let result = self.after_sync(result);
        self.read_sync_status();
        match result {
            Ok(report) => {
                self.sync.last_error = None;
                Ok(Some(report))
            }
            Err(error) => {
                self.sync.last_error = Some(error.clone());
                Err(error)
            }
        }
    }

    /// Whether a sync is due: a change since the last one, or a minute gone by.
    pub fn sync_due(&self, now: u64) -> bool {
        self.vault.is_some()
            && self.sync.folder.is_some()
            && (self.sync.dirty || now.saturating_sub(self.sync.last_try) >= SYNC_EVERY_SECS)
    }

    /// The sync the clock runs when due: its news, if it brought any. A failure is kept for
    /// Settings › Sync and said once.
    pub fn sync_if_due(&mut self, now: u64) -> Option<String> {
        if !self.sync_due(now) {
            return None;
        }
        let had_error = self.sync.last_error.is_some();
        match self.sync_now() {
            Ok(Some(report)) => summary(&report),
            Ok(None) => None,
            Err(error) if !had_error => Some(format!("Sync failed: {}", error.message())),
            Err(_) => None,
        }
    }

    /// Follows a re-key (another device removed one): syncs with the key the new sync password
    /// opened.
    pub fn finish_sync_rekeyed(&mut self, key: JoinKey) -> Result<SyncReport, AppError> {
        let folder = self
            .sync
            .folder
            .clone()
            .ok_or(AppError::Sync(SyncError::NotSetUp))?;
        let dir = crate::platform::sync_folder::open(&folder);
        let result = sync::sync(self.vault_mut()?, &*dir, Some(&key), unix_now());
        let report = self.after_sync(result)?;
        self.sync.last_error = None;
        self.read_sync_status();
        Ok(report)
    }

    /// A job that makes the new sync key for removing a device (`again` must match).
    pub fn sync_rekey_job(
        &self,
        password: Zeroizing<String>,
        again: &str,
    ) -> Result<SyncKeyJob, AppError> {
        let folder = self
            .sync
            .folder
            .clone()
            .ok_or(AppError::Sync(SyncError::NotSetUp))?;
        if password.as_str() != again {
            return Err(AppError::input(
                "The two new sync passwords differ.",
                "Type the same new sync password twice.",
            ));
        }
        if password.chars().count() < sync::MIN_PASSWORD_CHARS {
            return Err(AppError::Sync(SyncError::WeakPassword));
        }
        Ok(SyncKeyJob {
            folder,
            password,
            new_only: true,
        })
    }

    /// Removes the device `who` (name or id) with the new key; what the user must still do.
    pub fn finish_remove_device(&mut self, who: &str, key: JoinKey) -> Result<String, AppError> {
        let folder = self
            .sync
            .folder
            .clone()
            .ok_or(AppError::Sync(SyncError::NotSetUp))?;
        let dir = crate::platform::sync_folder::open(&folder);
        let removed = sync::remove_device(self.vault_mut()?, &*dir, who, &key, unix_now());
        self.forget_derived();
        self.read_sync_status();
        let removed = removed?;
        Ok(format!(
            "{} is removed and the sync has a new password: type it on your other devices (Settings › Sync). {} already holds the seeds of {} accounts; they stay valid on it until you enrol those accounts again.",
            removed.name, removed.name, removed.accounts
        ))
    }

    /// A job that opens the sync again with its new password (after a re-key elsewhere).
    pub fn sync_follow_job(&self, password: Zeroizing<String>) -> Result<SyncKeyJob, AppError> {
        let folder = self
            .sync
            .folder
            .clone()
            .ok_or(AppError::Sync(SyncError::NotSetUp))?;
        Ok(SyncKeyJob {
            folder,
            password,
            new_only: false,
        })
    }

    /// Stops syncing this vault (the accounts stay).
    pub fn leave_sync(&mut self) -> Result<(), AppError> {
        sync::leave(self.unlocked()?)?;
        self.sync.unlocked(None);
        Ok(())
    }

    /// A sync's result: the vault changed, so the list is derived again and the automatic
    /// backup made; a merge from another program is said.
    fn after_sync(
        &mut self,
        result: Result<SyncReport, SyncError>,
    ) -> Result<SyncReport, AppError> {
        self.forget_derived();
        let report = result.map_err(AppError::from)?;
        if summary(&report).is_some()
            && let Some(vault) = &self.vault
        {
            let _ = tessera_core::transfer::autobackup::after_change(vault, unix_now());
        }
        Ok(report)
    }
}

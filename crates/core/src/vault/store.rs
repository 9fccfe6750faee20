//! Writing the vault file so that no crash can lose it, and reading the newest good generation.
//!
//! A save writes a temporary file in the same folder, fsyncs it, keeps the current file as
//! generation `.1` (shifting `.1`->`.2`->`.3`), renames the temporary file over the vault and
//! fsyncs the folder. The vault path holds the old or the new content at every instant.
//!
//! A save that changes only bookkeeping (when a code was last copied) replaces the vault without
//! shifting the generations, so `.1`-`.3` hold the three previous *content* versions.
//!
//! Every read-modify-write holds an advisory lock on `tessera.vault.lock` beside the vault
//! ([`lock`]), so two programs (the app and `tessera-cli`) never save at the same time.

use std::fs::{self, File, OpenOptions};
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use super::error::VaultError;
use crate::file::{Step, write_private_with};

/// How many previous generations are kept beside the vault.
pub const GENERATIONS: usize = 3;

/// A step of a save at which a test can make it stop, as a crash would.
#[doc(hidden)]
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FailPoint {
    /// Half the temporary file written.
    PartialWrite,
    /// All written, not yet fsynced.
    BeforeFsync,
    /// Generations partly shifted.
    MidRotation,
    /// Generations shifted, the new file not yet renamed over the vault.
    BeforeRename,
    /// Renamed, the folder not yet fsynced.
    BeforeDirSync,
}

/// `tessera.vault` -> `tessera.vault.N`.
pub fn generation_path(path: &Path, n: usize) -> PathBuf {
    let mut name = path.file_name().unwrap_or_default().to_os_string();
    name.push(format!(".{n}"));
    path.with_file_name(name)
}

/// `tessera.vault` -> `tessera.vault.lock`, the file whose lock guards every save.
pub fn lock_path(path: &Path) -> PathBuf {
    let mut name = path.file_name().unwrap_or_default().to_os_string();
    name.push(".lock");
    path.with_file_name(name)
}

/// How long a save waits for another program's save to finish before it gives up.
const LOCK_WAIT: Duration = Duration::from_secs(10);

/// Holds the vault's write lock until dropped.
pub(crate) struct WriteLock(File);

impl Drop for WriteLock {
    fn drop(&mut self) {
        let _ = self.0.unlock();
    }
}

/// Takes the exclusive advisory lock on the vault's lock file, waiting up to 10 s for another
/// program's save (which takes milliseconds) to end.
pub(crate) fn lock(path: &Path) -> Result<WriteLock, VaultError> {
    let lock_file = lock_path(path);
    if let Some(dir) = lock_file.parent().filter(|d| !d.as_os_str().is_empty()) {
        fs::create_dir_all(dir).map_err(|e| VaultError::io(dir, e))?;
    }
    let mut options = OpenOptions::new();
    options.read(true).write(true).create(true).truncate(false);
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
    let file = options
        .open(&lock_file)
        .map_err(|e| VaultError::io(&lock_file, e))?;
    let start = Instant::now();
    loop {
        match file.try_lock() {
            Ok(()) => return Ok(WriteLock(file)),
            Err(fs::TryLockError::WouldBlock) if start.elapsed() < LOCK_WAIT => {
                std::thread::sleep(Duration::from_millis(20));
            }
            Err(fs::TryLockError::WouldBlock) => return Err(VaultError::Busy(path.to_owned())),
            Err(fs::TryLockError::Error(e)) => return Err(VaultError::io(&lock_file, e)),
        }
    }
}

/// The vault file's bytes as they are now; `None` if there is no file. Refuses (never reads
/// whole) a file larger than any vault Tessera writes.
pub(crate) fn read_current(path: &Path) -> Result<Option<Vec<u8>>, VaultError> {
    match read_capped(path) {
        Ok(bytes) => Ok(Some(bytes)),
        Err(VaultError::Io { .. }) if !path.exists() => Ok(None),
        Err(error) => Err(error),
    }
}

/// The largest vault file read: 64 MiB holds well over 100,000 accounts with notes.
pub const MAX_VAULT_BYTES: u64 = 64 * 1024 * 1024;

/// Reads a vault or generation file whole, after checking its size.
pub(crate) fn read_capped(path: &Path) -> Result<Vec<u8>, VaultError> {
    let size = fs::metadata(path)
        .map_err(|e| VaultError::io(path, e))?
        .len();
    if size > MAX_VAULT_BYTES {
        return Err(VaultError::Damaged {
            path: path.to_owned(),
            what: "the file is larger than any vault (over 64 MiB)",
        });
    }
    fs::read(path).map_err(|e| VaultError::io(path, e))
}

fn crashed(point: FailPoint) -> VaultError {
    VaultError::Io {
        path: PathBuf::new(),
        message: format!("simulated crash at {point:?}"),
    }
}

/// Writes `bytes` to `path` atomically ([`crate::file`]); with `rotate`, the current file
/// becomes generation `.1` first (the older ones shift). Call with the [`lock`] held.
pub(crate) fn write_atomic(
    path: &Path,
    bytes: &[u8],
    rotate: bool,
    fail: Option<FailPoint>,
) -> Result<(), VaultError> {
    let stop = |point: FailPoint| {
        if fail == Some(point) {
            Err(crashed(point))
        } else {
            Ok(())
        }
    };
    write_private_with(
        path,
        bytes,
        |step| match step {
            Step::HalfWritten => stop(FailPoint::PartialWrite),
            Step::Written => stop(FailPoint::BeforeFsync),
            Step::Synced => {
                if rotate && path.exists() {
                    self::rotate(path, fail)?;
                }
                stop(FailPoint::BeforeRename)
            }
            Step::Renamed => stop(FailPoint::BeforeDirSync),
        },
        |file, error| VaultError::io(&file, error),
    )
}

/// Shifts `.2`->`.3`, `.1`->`.2`, and makes `.1` a copy of the current vault (a hard link where
/// the file system has them), leaving the vault itself in place.
fn rotate(path: &Path, fail: Option<FailPoint>) -> Result<(), VaultError> {
    for n in (1..GENERATIONS).rev() {
        let from = generation_path(path, n);
        if from.exists() {
            let to = generation_path(path, n + 1);
            fs::rename(&from, &to).map_err(|e| VaultError::io(&to, e))?;
        }
        if n == 1 && fail == Some(FailPoint::MidRotation) {
            return Err(crashed(FailPoint::MidRotation));
        }
    }
    let first = generation_path(path, 1);
    let _ = fs::remove_file(&first);
    if fs::hard_link(path, &first).is_err() {
        fs::copy(path, &first).map_err(|e| VaultError::io(&first, e))?;
        File::open(&first)
            .and_then(|f| f.sync_all())
            .map_err(|e| VaultError::io(&first, e))?;
    }
    Ok(())
}

/// The vault and its generations that exist, newest first: (generation number, path).
pub(crate) fn candidates(path: &Path) -> Vec<(usize, PathBuf)> {
    std::iter::once((0, path.to_owned()))
        .chain((1..=GENERATIONS).map(|n| (n, generation_path(path, n))))
        .filter(|(_, p)| p.exists())
        .collect()
}

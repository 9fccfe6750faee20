//! Writing the vault file so that no crash can lose it, and reading the newest good generation.
//!
//! A save writes a temporary file in the same folder, fsyncs it, keeps the current file as
//! generation `.1` (shifting `.1`->`.2`->`.3`), renames the temporary file over the vault and
//! fsyncs the folder. The vault path holds the old or the new content at every instant.

use std::fs::{self, File, OpenOptions};
use std::io::Write;
use std::path::{Path, PathBuf};

use super::error::VaultError;

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

fn tmp_prefix(path: &Path) -> String {
    format!(
        ".{}.tmp-",
        path.file_name().unwrap_or_default().to_string_lossy()
    )
}

fn crashed(point: FailPoint) -> VaultError {
    VaultError::Io {
        path: PathBuf::new(),
        message: format!("simulated crash at {point:?}"),
    }
}

/// Writes `bytes` to `path` atomically, keeping previous generations.
pub(crate) fn write_atomic(
    path: &Path,
    bytes: &[u8],
    fail: Option<FailPoint>,
) -> Result<(), VaultError> {
    let dir = match path.parent() {
        Some(dir) if !dir.as_os_str().is_empty() => dir.to_owned(),
        _ => PathBuf::from("."),
    };
    fs::create_dir_all(&dir).map_err(|e| VaultError::io(&dir, e))?;
    remove_stale_temporaries(path, &dir);
    let tmp = dir.join(format!(
        "{}{}",
        tmp_prefix(path),
        hex(&super::keys::random::<8>())
    ));
    let io = |e| VaultError::io(&tmp, e);
    let mut options = OpenOptions::new();
    options.write(true).create_new(true);
    // Only the user may read the vault (and so its generations, which are links or copies).
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
    let mut file = options.open(&tmp).map_err(io)?;
    let half = bytes.len() / 2;
    file.write_all(&bytes[..half]).map_err(io)?;
    if fail == Some(FailPoint::PartialWrite) {
        return Err(crashed(FailPoint::PartialWrite));
    }
    file.write_all(&bytes[half..]).map_err(io)?;
    if fail == Some(FailPoint::BeforeFsync) {
        return Err(crashed(FailPoint::BeforeFsync));
    }
    file.sync_all().map_err(io)?;
    drop(file);

    if path.exists() {
        rotate(path, fail)?;
    }
    if fail == Some(FailPoint::BeforeRename) {
        return Err(crashed(FailPoint::BeforeRename));
    }
    fs::rename(&tmp, path).map_err(|e| VaultError::io(path, e))?;
    if fail == Some(FailPoint::BeforeDirSync) {
        return Err(crashed(FailPoint::BeforeDirSync));
    }
    sync_dir(&dir);
    Ok(())
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

fn remove_stale_temporaries(path: &Path, dir: &Path) {
    let prefix = tmp_prefix(path);
    if let Ok(entries) = fs::read_dir(dir) {
        for entry in entries.flatten() {
            if entry.file_name().to_string_lossy().starts_with(&prefix) {
                let _ = fs::remove_file(entry.path());
            }
        }
    }
}

fn sync_dir(dir: &Path) {
    // Folders cannot be opened for fsync on every platform (Windows); the rename is still atomic.
    if let Ok(handle) = File::open(dir) {
        let _ = handle.sync_all();
    }
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// The vault and its generations that exist, newest first: (generation number, path).
pub(crate) fn candidates(path: &Path) -> Vec<(usize, PathBuf)> {
    std::iter::once((0, path.to_owned()))
        .chain((1..=GENERATIONS).map(|n| (n, generation_path(path, n))))
        .filter(|(_, p)| p.exists())
        .collect()
}

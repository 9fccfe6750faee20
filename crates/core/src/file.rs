//! The one way Tessera writes a file: whole, private, atomically. The vault, backups, exports
//! and the app's settings all go through [`write_private`] (the vault through
//! [`write_private_with`], which lets it keep the previous generation and stop at test points).
//!
//! The bytes go to a temporary file in the target's folder (created new, mode 0600 on Unix, so
//! no other user can read a seed even for a moment), are fsynced, and the temporary file is
//! renamed over the target; then the folder is fsynced, so the rename itself survives a power
//! cut. At every instant the target holds the old content or the new, never a part.

use std::fs::{self, File, OpenOptions};
use std::io::{self, Write};
use std::path::{Path, PathBuf};
use std::time::Duration;

/// Random bytes from the operating system (keys, salts, nonces, temporary names: one source).
pub(crate) fn random<const N: usize>() -> [u8; N] {
    use rand::RngCore;
    let mut bytes = [0u8; N];
    rand::rngs::OsRng.fill_bytes(&mut bytes);
    bytes
}

/// Lower-case hexadecimal.
pub(crate) fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// A failure writing `path` (or its temporary file, or its folder).
#[derive(Debug)]
pub struct WriteError {
    /// The file or folder the system refused.
    pub path: PathBuf,
    /// What the system said.
    pub error: io::Error,
}

/// Somewhere a whole file goes: a path, or a document the system's file dialog chose (Android's
/// Storage Access Framework hands the app a URI, not a path). Backups and exports are written
/// through it, and a backup is read back from the very place it went to be checked.
pub trait Destination {
    /// How to name it to the user (the path, or the document's name).
    fn name(&self) -> PathBuf;
    /// Replaces its content with `bytes`, whole.
    fn put(&self, bytes: &[u8]) -> Result<(), WriteError>;
    /// Its content now; more than `max` bytes is an error.
    fn get(&self, max: usize) -> io::Result<Vec<u8>>;
    /// Deletes it (a backup that failed its check); best effort.
    fn discard(&self);
    /// Whether this is a path in a folder, where a format that writes several files (Google's
    /// QR images) can put its other files beside it.
    fn as_path(&self) -> Option<&Path> {
        None
    }
}

/// A path: written with [`write_private`].
impl Destination for PathBuf {
    fn name(&self) -> PathBuf {
        self.clone()
    }

    fn put(&self, bytes: &[u8]) -> Result<(), WriteError> {
        write_private(self, bytes)
    }

    fn get(&self, max: usize) -> io::Result<Vec<u8>> {
        let size = fs::metadata(self)?.len();
        if size > max as u64 {
            return Err(io::Error::other(format!("it is larger than {max} bytes")));
        }
        fs::read(self)
    }

    fn discard(&self) {
        let _ = fs::remove_file(self);
    }

    fn as_path(&self) -> Option<&Path> {
        Some(self.as_path())
    }
}

/// The steps of a write at which [`write_private_with`] calls its hook.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Step {
    /// Half the temporary file is written.
    HalfWritten,
    /// All of it is written, not yet fsynced.
    Written,
    /// The temporary file is fsynced; the target is not replaced yet (the vault keeps its
    /// previous generation here).
    Synced,
    /// Renamed into place; the folder is not fsynced yet.
    Renamed,
}

/// Writes `bytes` to `path` atomically and privately (see the module's text). Creates the
/// folder if needed.
pub fn write_private(path: &Path, bytes: &[u8]) -> Result<(), WriteError> {
    write_private_with(
        path,
        bytes,
        |_| Ok(()),
        |path, error| WriteError { path, error },
    )
}

/// [`write_private`] with a hook called at each [`Step`]; an error from it stops the write
/// there, as a crash would. `io` turns a system error into the caller's error type.
pub(crate) fn write_private_with<E>(
    path: &Path,
    bytes: &[u8],
    mut at: impl FnMut(Step) -> Result<(), E>,
    io: impl Fn(PathBuf, io::Error) -> E,
) -> Result<(), E> {
    let dir = match path.parent() {
        Some(dir) if !dir.as_os_str().is_empty() => dir.to_owned(),
        _ => PathBuf::from("."),
    };
    fs::create_dir_all(&dir).map_err(|e| io(dir.clone(), e))?;
    remove_stale_temporaries(path, &dir);
    let tmp = dir.join(format!("{}{}", tmp_prefix(path), hex(&random::<8>())));
    let mut options = OpenOptions::new();
    options.write(true).create_new(true);
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
    let mut file = options.open(&tmp).map_err(|e| io(tmp.clone(), e))?;
    // An error from the hook is a simulated crash: the temporary file stays, as a crash
    // leaves it (the next write clears it once stale). A real failure removes it.
    let mut crashed = false;
    let mut step = |s: Step| at(s).inspect_err(|_| crashed = true);
    let written = (|| {
        let half = bytes.len() / 2;
        file.write_all(&bytes[..half])
            .map_err(|e| io(tmp.clone(), e))?;
        step(Step::HalfWritten)?;
        file.write_all(&bytes[half..])
            .map_err(|e| io(tmp.clone(), e))?;
        step(Step::Written)?;
        file.sync_all().map_err(|e| io(tmp.clone(), e))?;
        drop(file);
        step(Step::Synced)?;
        fs::rename(&tmp, path).map_err(|e| io(path.to_owned(), e))
    })();
    if written.is_err() && !crashed {
        let _ = fs::remove_file(&tmp);
    }
    written?;
    at(Step::Renamed)?;
    // Folders cannot be opened for fsync on every platform (Windows); the rename stands.
    if let Ok(folder) = File::open(&dir) {
        let _ = folder.sync_all();
    }
    Ok(())
}

/// The name temporary files of `path` start with.
fn tmp_prefix(path: &Path) -> String {
    format!(
        ".{}.tmp-",
        path.file_name().unwrap_or_default().to_string_lossy()
    )
}

/// Removes temporary files a crashed write left. Only files over an hour old go, so that even
/// a writer that takes no lock (an older Tessera, a second export) never loses the file it is
/// writing.
fn remove_stale_temporaries(path: &Path, dir: &Path) {
    let prefix = tmp_prefix(path);
    let stale = |entry: &fs::DirEntry| {
        entry
            .metadata()
            .and_then(|m| m.modified())
            .ok()
            .and_then(|t| t.elapsed().ok())
            .is_some_and(|age| age > Duration::from_secs(3600))
    };
    if let Ok(entries) = fs::read_dir(dir) {
        for entry in entries.flatten() {
            if entry.file_name().to_string_lossy().starts_with(&prefix) && stale(&entry) {
                let _ = fs::remove_file(entry.path());
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn writes_whole_and_private_and_replaces() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("sub").join("out.json");
        write_private(&path, b"first").unwrap();
        write_private(&path, b"second").unwrap();
        assert_eq!(fs::read(&path).unwrap(), b"second");
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let mode = fs::metadata(&path).unwrap().permissions().mode();
            assert_eq!(mode & 0o777, 0o600);
        }
        let left: Vec<_> = fs::read_dir(path.parent().unwrap()).unwrap().collect();
        assert_eq!(left.len(), 1, "no temporary file left: {left:?}");
    }

    #[test]
    fn a_failed_write_keeps_the_old_content() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("out");
        write_private(&path, b"old").unwrap();
        let result = write_private_with(
            &path,
            b"new",
            |step| {
                if step == Step::Synced {
                    Err("stop")
                } else {
                    Ok(())
                }
            },
            |_, _| "io",
        );
        assert_eq!(result, Err("stop"));
        assert_eq!(fs::read(&path).unwrap(), b"old");
    }

    #[test]
    fn a_folder_in_the_way_is_an_error_naming_it() {
        let dir = tempfile::tempdir().unwrap();
        let error = write_private(dir.path(), b"x").unwrap_err();
        assert_eq!(error.path, dir.path());
    }
}

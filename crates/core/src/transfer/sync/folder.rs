//! The sync folder (docs/sync-format.md, "The folder"): which names are device files and which
//! are a sync engine's conflict copies of one (read and merged alike), which are temporaries
//! (ignored), and reading every file with its problems named rather than merged.

use std::path::{Path, PathBuf};
use std::time::SystemTime;

use super::file::{DeviceFile, MAX_FILE_BYTES, SyncFileError, SyncKey, open};
use super::record::DeviceId;

/// The extension of device files.
pub const EXTENSION: &str = "tessera-sync";

/// What a name in the folder is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Name {
    /// A device's own file.
    Device(DeviceId),
    /// A sync engine's conflict copy of a device's file (Syncthing, Dropbox, Nextcloud).
    ConflictCopy(DeviceId),
}

/// How many files a device spreads its records over, by the first hex digit of the account's
/// id: one change rewrites the file of its sixteenth, never every record the device wrote.
pub const BUCKETS: u8 = 16;

/// The most device files and conflict copies read from one folder: 64 devices' 16 files, and
/// as many conflict copies again three times.
pub const MAX_FILES: usize = 64 * BUCKETS as usize * 4;

/// Which of a device's files holds the record of `account`.
pub fn bucket_of(account: uuid::Uuid) -> u8 {
    account.as_bytes()[0] >> 4
}

/// The name of `device`'s file for `bucket` (`<device>-<bucket in hex>.tessera-sync`).
pub fn file_name(device: DeviceId, bucket: u8) -> String {
    format!("{device}-{:x}.{EXTENSION}", bucket % BUCKETS)
}

/// What `name` is; `None` for anything Tessera does not read (temporaries included).
pub fn classify(name: &str) -> Option<Name> {
    if name.starts_with('.') || name.starts_with('~') {
        return None;
    }
    let stem = name.strip_suffix(&format!(".{EXTENSION}"))?;
    if let Some(device) = device_id(stem) {
        return Some(Name::Device(device));
    }
    // Syncthing: `<stem>.sync-conflict-<date>-<time>-<id>`; Dropbox: `<stem> (<host>'s
    // conflicted copy <date>)`; Nextcloud: `<stem> (conflicted copy <date> <time>)`.
    let base = if let Some((base, _)) = stem.split_once(".sync-conflict-") {
        base
    } else if let Some((base, rest)) = stem.split_once(" (")
        && rest.contains("conflicted copy")
        && rest.ends_with(')')
    {
        base
    } else {
        return None;
    };
    device_id(base).map(Name::ConflictCopy)
}

/// The device of a file's stem: `<32 hex>-<hex digit>`.
fn device_id(text: &str) -> Option<DeviceId> {
    let (id, bucket) = text.split_at_checked(text.len().checked_sub(2)?)?;
    let bucket_ok = bucket.len() == 2
        && bucket.starts_with('-')
        && bucket[1..]
            .bytes()
            .all(|b| matches!(b, b'0'..=b'9' | b'a'..=b'f'));
    bucket_ok.then(|| plain_id(id)).flatten()
}

fn plain_id(text: &str) -> Option<DeviceId> {
    let lower_hex =
        text.len() == 32 && text.bytes().all(|b| matches!(b, b'0'..=b'9' | b'a'..=b'f'));
    lower_hex
        .then(|| uuid::Uuid::try_parse(text).ok().map(DeviceId))
        .flatten()
}

/// A sync folder as sync needs it: a directory (desktop, iOS, the command line), or a folder
/// the system's picker granted (Android's Storage Access Framework, in the app), so that the
/// same sync runs over both.
pub trait SyncFolder {
    /// How to name it to the user (a path, or the picker's URI), and what the sync state keeps.
    fn location(&self) -> PathBuf;
    /// Whether it can be used: it exists, and is a folder.
    fn check(&self) -> std::io::Result<()>;
    /// The names of its files (not of folders in it), with when each last changed, if known.
    fn list(&self) -> std::io::Result<Vec<(String, Option<SystemTime>)>>;
    /// A file's bytes; an error of kind `NotFound` when it is gone, another when it is larger
    /// than `max`.
    fn read(&self, name: &str, max: usize) -> std::io::Result<Vec<u8>>;
    /// Replaces (or makes) the file `name` with `bytes`, whole, atomically where the folder
    /// allows it.
    fn write(&self, name: &str, bytes: &[u8]) -> std::io::Result<()>;
}

impl SyncFolder for Path {
    fn location(&self) -> PathBuf {
        self.to_owned()
    }

    fn check(&self) -> std::io::Result<()> {
        if std::fs::metadata(self)?.is_dir() {
            Ok(())
        } else {
            Err(std::io::Error::other("it is a file, not a folder"))
        }
    }

    fn list(&self) -> std::io::Result<Vec<(String, Option<SystemTime>)>> {
        let mut names = Vec::new();
        for entry in std::fs::read_dir(self)? {
            let entry = entry?;
            let Ok(meta) = entry.metadata() else { continue };
            if meta.is_file() {
                let name = entry.file_name().to_string_lossy().into_owned();
                names.push((name, meta.modified().ok()));
            }
        }
        Ok(names)
    }

    fn read(&self, name: &str, max: usize) -> std::io::Result<Vec<u8>> {
        use std::io::Read;
        let file = std::fs::File::open(self.join(name))?;
        let mut bytes = Vec::new();
        file.take(max as u64 + 1).read_to_end(&mut bytes)?;
        if bytes.len() > max {
            return Err(std::io::Error::other("larger than any sync file"));
        }
        Ok(bytes)
    }

    fn write(&self, name: &str, bytes: &[u8]) -> std::io::Result<()> {
        crate::file::write_private(&self.join(name), bytes).map_err(|e| e.error)
    }
}

impl SyncFolder for PathBuf {
    fn location(&self) -> PathBuf {
        self.as_path().location()
    }
    fn check(&self) -> std::io::Result<()> {
        self.as_path().check()
    }
    fn list(&self) -> std::io::Result<Vec<(String, Option<SystemTime>)>> {
        self.as_path().list()
    }
    fn read(&self, name: &str, max: usize) -> std::io::Result<Vec<u8>> {
        self.as_path().read(name, max)
    }
    fn write(&self, name: &str, bytes: &[u8]) -> std::io::Result<()> {
        self.as_path().write(name, bytes)
    }
}

/// Every readable file of a folder, and the ones that were not merged with why.
#[derive(Debug, Default)]
pub struct FolderRead {
    /// The files opened: path and content.
    pub files: Vec<(PathBuf, DeviceFile)>,
    /// The files skipped: path and why.
    pub problems: Vec<(PathBuf, SyncFileError)>,
}

/// Reads every device file and conflict copy in `dir` with `key`.
pub fn read_folder<F: SyncFolder + ?Sized>(dir: &F, key: &SyncKey) -> std::io::Result<FolderRead> {
    let mut names: Vec<String> = dir
        .list()?
        .into_iter()
        .map(|(name, _)| name)
        .filter(|name| classify(name).is_some())
        .collect();
    names.sort();
    let location = dir.location();
    let mut read = FolderRead::default();
    if names.len() > MAX_FILES {
        names.truncate(MAX_FILES);
        read.problems
            .push((location.clone(), SyncFileError::TooMany(MAX_FILES)));
    }
    for name in names {
        let path = location.join(&name);
        match dir.read(&name, MAX_FILE_BYTES) {
            Ok(bytes) => match open(&bytes, key) {
                Ok(file) => read.files.push((path, file)),
                Err(error) => read.problems.push((path, error)),
            },
            // Gone between the listing and the read (the engine replaced it): next time.
            Err(error) if error.kind() == std::io::ErrorKind::NotFound => {}
            Err(_) => read
                .problems
                .push((path, SyncFileError::Damaged("it could not be read"))),
        }
    }
    Ok(read)
}

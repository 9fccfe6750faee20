//! The sync folder on each platform ([`tessera_core::transfer::sync::SyncFolder`]): a directory
//! on desktop and iOS (a typed path; on iOS one in the app's Documents, which the Files app
//! shows), and on Android a folder chosen with the Storage Access Framework's picker, which is
//! how Syncthing-Fork and Nextcloud expose theirs: the sync state keeps its tree URI as the
//! folder's location, and the activity lists, reads and replaces its files by name
//! (`android/MainActivity.kt`).

use std::io;
use std::path::{Path, PathBuf};
use std::time::{Duration, SystemTime};

use tessera_core::transfer::sync::SyncFolder;

/// Whether the folder comes from the system's picker (a URI) rather than a typed path.
pub const PICKS_TREE: bool = cfg!(target_os = "android");

/// The folder at `location` (what the sync state keeps, or what was typed or picked).
pub fn open(location: &Path) -> Box<dyn SyncFolder> {
    let text = location.to_string_lossy();
    if text.starts_with("content://") {
        Box::new(DocumentTree {
            uri: text.into_owned(),
        })
    } else {
        Box::new(location.to_path_buf())
    }
}

/// A folder the Storage Access Framework granted, by its tree URI.
#[derive(Debug, Clone)]
pub struct DocumentTree {
    uri: String,
}

#[cfg(not(target_os = "android"))]
fn unsupported() -> io::Error {
    io::Error::new(
        io::ErrorKind::Unsupported,
        "a content:// folder can only be used on Android",
    )
}

impl SyncFolder for DocumentTree {
    fn location(&self) -> PathBuf {
        PathBuf::from(&self.uri)
    }

    fn check(&self) -> io::Result<()> {
        self.list().map(|_| ())
    }

    fn list(&self) -> io::Result<Vec<(String, Option<SystemTime>)>> {
        #[cfg(target_os = "android")]
        {
            let text = super::android::list_folder(&self.uri).map_err(io::Error::other)?;
            Ok(parse_listing(&text))
        }
        #[cfg(not(target_os = "android"))]
        Err(unsupported())
    }

    fn read(&self, name: &str, max: usize) -> io::Result<Vec<u8>> {
        #[cfg(target_os = "android")]
        {
            super::android::read_in_folder(&self.uri, name, max)
                .map_err(io::Error::other)?
                .ok_or_else(|| io::Error::new(io::ErrorKind::NotFound, "no such file"))
        }
        #[cfg(not(target_os = "android"))]
        {
            let _ = (name, max);
            Err(unsupported())
        }
    }

    fn write(&self, name: &str, bytes: &[u8]) -> io::Result<()> {
        #[cfg(target_os = "android")]
        {
            super::android::write_in_folder(&self.uri, name, bytes).map_err(io::Error::other)
        }
        #[cfg(not(target_os = "android"))]
        {
            let _ = (name, bytes);
            Err(unsupported())
        }
    }
}

/// `listFolder`'s answer: one `name<TAB>last modified in ms` per line (0 or junk: unknown).
pub fn parse_listing(text: &str) -> Vec<(String, Option<SystemTime>)> {
    text.lines()
        .filter_map(|line| {
            let (name, millis) = line.rsplit_once('\t').unwrap_or((line, ""));
            let modified = millis
                .parse::<u64>()
                .ok()
                .filter(|ms| *ms > 0)
                .map(|ms| SystemTime::UNIX_EPOCH + Duration::from_millis(ms));
            (!name.is_empty()).then(|| (name.to_owned(), modified))
        })
        .collect()
}

/// Asks for the sync folder with the system's picker (Android: the folder picker, on a worker
/// thread; desktop: the native folder dialog, starting at `start`). `None` when cancelled or
/// where there is none (iOS: the path is typed).
pub async fn pick(start: PathBuf) -> Option<PathBuf> {
    #[cfg(target_os = "android")]
    {
        let _ = start;
        let (tx, rx) = futures_channel::oneshot::channel();
        std::thread::spawn(move || {
            let _ = tx.send(super::android::pick_folder());
        });
        let uri = rx.await.ok()?.ok()??;
        Some(PathBuf::from(uri))
    }
    #[cfg(not(target_os = "android"))]
    {
        super::documents::pick_folder(start).await
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_activitys_listing_is_read_with_its_times() {
        let listed = parse_listing(
            "0123-0.tessera-sync\t1764763200000\nnotes.txt\t0\n.tmp\tjunk\n\nname\twith tab\t5",
        );
        let names: Vec<&str> = listed.iter().map(|(n, _)| n.as_str()).collect();
        assert_eq!(
            names,
            ["0123-0.tessera-sync", "notes.txt", ".tmp", "name\twith tab"]
        );
        assert_eq!(
            listed[0].1,
            Some(SystemTime::UNIX_EPOCH + Duration::from_secs(1_764_763_200))
        );
        assert_eq!((listed[1].1, listed[2].1), (None, None));
    }

    #[test]
    fn a_uri_is_a_document_tree_and_a_path_a_directory() {
        let dir = tempfile::tempdir().unwrap();
        let folder = open(dir.path());
        folder.check().unwrap();
        folder.write("a.tessera-sync", b"bytes").unwrap();
        assert_eq!(folder.read("a.tessera-sync", 100).unwrap(), b"bytes");
        let tree = open(Path::new(
            "content://com.android.externalstorage.documents/tree/primary%3ASync",
        ));
        assert_eq!(
            tree.location(),
            PathBuf::from("content://com.android.externalstorage.documents/tree/primary%3ASync")
        );
        if !PICKS_TREE {
            let error = tree.check().unwrap_err();
            assert!(
                error.to_string().contains("only be used on Android"),
                "{error}"
            );
        }
    }
}

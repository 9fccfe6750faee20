//! Where the app keeps and offers files: the vault in a folder the operating system protects
//! (or `TESSERA_VAULT`), and the documents folder offered for backups and exports.
//!
//! - Android: the app's no-backup files folder (`Context.getNoBackupFilesDir`), which Android
//!   leaves out of cloud backup and device-to-device transfer. An app process has no `HOME`,
//!   so the desktop rule would give a relative path in an unwritable folder.
//! - iOS: Application Support inside the app's container, marked
//!   `NSFileProtectionComplete` (unreadable while the phone is locked).
//! - Desktop: the platform data folder (`~/.local/share/tessera`, `~/Library/Application
//!   Support/app.Tessera.Tessera`, `%APPDATA%\Tessera\Tessera\data`).
//!
//! The choice itself is [`choose_vault_path`], tested with injected folders; it never gives a
//! relative path, and when no folder can be found the app says so and creates nothing.

use std::ffi::OsString;
use std::path::PathBuf;

/// The vault file's name inside the platform folder.
pub const VAULT_FILE: &str = "tessera.vault";

/// No folder for the vault could be found: the app shows this and stops before creating
/// anything.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NoVaultFolder {
    /// What went wrong, for the user.
    pub reason: String,
}

impl std::fmt::Display for NoVaultFolder {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "Tessera found no folder to keep its vault in: {}. Nothing was created. \
             Reinstall the app, or on a computer set TESSERA_VAULT to the vault file's full path.",
            self.reason
        )
    }
}

/// The vault path from the `TESSERA_VAULT` override (if set) and the platform's folder (if
/// one was found): the override when given, else `tessera.vault` in the folder. Both must be
/// absolute.
pub fn choose_vault_path(
    env_override: Option<OsString>,
    platform_folder: Result<PathBuf, String>,
) -> Result<PathBuf, NoVaultFolder> {
    if let Some(path) = env_override.filter(|p| !p.is_empty()) {
        let path = PathBuf::from(path);
        if path.is_absolute() {
            return Ok(path);
        }
        return Err(NoVaultFolder {
            reason: format!(
                "TESSERA_VAULT is the relative path {}; give the full path",
                path.display()
            ),
        });
    }
    let folder = platform_folder.map_err(|reason| NoVaultFolder { reason })?;
    if !folder.is_absolute() {
        return Err(NoVaultFolder {
            reason: format!("the system gave the relative folder {}", folder.display()),
        });
    }
    Ok(folder.join(VAULT_FILE))
}

/// The vault the app opens: [`choose_vault_path`] with this platform's folder.
pub fn vault_path() -> Result<PathBuf, NoVaultFolder> {
    choose_vault_path(std::env::var_os("TESSERA_VAULT"), platform_folder())
}

/// This platform's folder for the vault (not created yet on desktop; on iOS created and
/// protected here).
fn platform_folder() -> Result<PathBuf, String> {
    #[cfg(target_os = "android")]
    {
        super::android::no_backup_files_dir()
    }
    #[cfg(target_os = "ios")]
    {
        super::ios::protected_support_dir()
    }
    #[cfg(not(any(target_os = "android", target_os = "ios")))]
    {
        directories::ProjectDirs::from("app", "Tessera", "Tessera")
            .map(|dirs| dirs.data_dir().to_owned())
            .ok_or_else(|| "the system names no home folder (HOME is not set)".to_owned())
    }
}

/// The folder offered for backups and exports when they are typed paths: the user's documents
/// (else home) folder on desktop; on iOS the app's Documents folder, which the Files app shows
/// ("On My iPhone > Tessera"); on Android the system's document dialog is used instead, and
/// this is only the app's own folder.
pub fn documents() -> PathBuf {
    #[cfg(target_os = "ios")]
    if let Some(dir) = super::ios::documents_dir() {
        return dir;
    }
    #[cfg(target_os = "android")]
    if let Ok(dir) = super::android::no_backup_files_dir() {
        return dir;
    }
    directories::UserDirs::new()
        .map(|d| d.document_dir().unwrap_or(d.home_dir()).to_owned())
        .unwrap_or_else(std::env::temp_dir)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn absolute(path: &str) -> PathBuf {
        std::env::temp_dir().join(path)
    }

    #[test]
    fn the_vault_goes_in_the_platform_folder_unless_the_override_names_a_file() {
        let folder = absolute("data");
        assert_eq!(
            choose_vault_path(None, Ok(folder.clone())),
            Ok(folder.join(VAULT_FILE))
        );
        let chosen = absolute("elsewhere/my.vault");
        assert_eq!(
            choose_vault_path(Some(chosen.clone().into()), Ok(folder.clone())),
            Ok(chosen.clone())
        );
        assert_eq!(
            choose_vault_path(Some(chosen.clone().into()), Err("none".into())),
            Ok(chosen)
        );
        // An empty override is no override.
        assert_eq!(
            choose_vault_path(Some(OsString::new()), Ok(folder.clone())),
            Ok(folder.join(VAULT_FILE))
        );
    }

    #[test]
    fn never_a_relative_path_and_no_folder_is_said_plainly() {
        let relative = choose_vault_path(None, Ok(PathBuf::from("files"))).unwrap_err();
        assert!(
            relative.reason.contains("relative folder files"),
            "{relative}"
        );
        let env = choose_vault_path(Some("tessera.vault".into()), Ok(absolute("data")));
        assert!(env.unwrap_err().reason.contains("TESSERA_VAULT"));
        let none = choose_vault_path(None, Err("HOME is not set".into())).unwrap_err();
        let text = none.to_string();
        assert!(text.contains("HOME is not set") && text.contains("Nothing was created"));
    }
}

//! Where the app keeps and offers files: the vault in the platform's data folder (or
//! `TESSERA_VAULT`), and the documents folder offered for backups and exports.

use std::path::PathBuf;

/// The vault the app opens: `TESSERA_VAULT`, else `tessera.vault` in the platform data folder.
pub fn vault_path() -> PathBuf {
    if let Some(path) = std::env::var_os("TESSERA_VAULT") {
        return PathBuf::from(path);
    }
    directories::ProjectDirs::from("app", "Tessera", "Tessera")
        .map(|dirs| dirs.data_dir().join("tessera.vault"))
        .unwrap_or_else(|| PathBuf::from("tessera.vault"))
}

/// The folder offered for backups and exports: the user's documents (else home) folder.
pub fn documents() -> PathBuf {
    directories::UserDirs::new()
        .map(|d| d.document_dir().unwrap_or(d.home_dir()).to_owned())
        .unwrap_or_else(|| PathBuf::from("."))
}

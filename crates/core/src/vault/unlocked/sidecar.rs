//! Files a feature keeps beside the vault, sealed under the vault's master key (the sync
//! state, [`crate::transfer::sync`]), and changes to many accounts saved in one write.
//!
//! A sidecar is `<vault>.<name>`: the magic, the name, a salt and a nonce, then AES-256-GCM
//! under HKDF-SHA256(master key, salt, `tessera-sidecar-v1:<name>`), every byte before it
//! authenticated. It is written atomically and sealed again under the new key when the password
//! changes, so it opens whenever the vault does and never outlives the key it was sealed under.

use std::path::{Path, PathBuf};

use aes_gcm::aead::{Aead, KeyInit, Payload};
use aes_gcm::{Aes256Gcm, Nonce};
use zeroize::Zeroizing;

use super::super::error::VaultError;
use super::super::keys::{self, Key};
use super::super::model::Entry;
use super::super::sealed::BackupEntry;
use super::super::store::{self, WriteLock};
use super::Vault;
use super::saving::Change;
use crate::otp::AccountId;

/// The sidecars this version writes (sealed again on a password change).
pub(super) const SIDECARS: [&str; 1] = ["sync-state"];

const MAGIC: &[u8; 13] = b"TESSERA\x00SIDE\n";
const MAX_SIDECAR_BYTES: u64 = 64 * 1024 * 1024;

/// Holds a sidecar's lock (see [`Vault::lock_sidecar`]) until dropped.
pub struct SidecarLock(#[allow(dead_code)] WriteLock);

impl std::fmt::Debug for SidecarLock {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("SidecarLock")
    }
}

fn sidecar_key(master: &Key, name: &str, salt: &[u8]) -> Key {
    let mut key = Zeroizing::new([0u8; 32]);
    hkdf::Hkdf::<sha2::Sha256>::new(Some(salt), master.as_ref())
        .expand(
            format!("tessera-sidecar-v1:{name}").as_bytes(),
            key.as_mut(),
        )
        .expect("32 bytes is a valid HKDF-SHA256 output length");
    key
}

fn seal(master: &Key, name: &str, plain: &[u8]) -> Vec<u8> {
    let salt = keys::random::<32>();
    let nonce = keys::random::<12>();
    let mut out = Vec::with_capacity(MAGIC.len() + 1 + name.len() + 44 + plain.len() + 16);
    out.extend_from_slice(MAGIC);
    out.push(name.len() as u8);
    out.extend_from_slice(name.as_bytes());
    out.extend_from_slice(&salt);
    out.extend_from_slice(&nonce);
    let sealed = Aes256Gcm::new(sidecar_key(master, name, &salt).as_ref().into())
        .encrypt(
            Nonce::from_slice(&nonce),
            Payload {
                msg: plain,
                aad: &out,
            },
        )
        .expect("AES-GCM encryption of a sidecar cannot fail");
    out.extend_from_slice(&sealed);
    out
}

/// `None` when the bytes are not a sidecar of that name sealed under `master`.
fn open(master: &Key, name: &str, bytes: &[u8]) -> Option<Zeroizing<Vec<u8>>> {
    let start = MAGIC.len() + 1 + name.len() + 44;
    if bytes.len() < start
        || &bytes[..MAGIC.len()] != MAGIC
        || bytes[MAGIC.len()] as usize != name.len()
        || &bytes[MAGIC.len() + 1..MAGIC.len() + 1 + name.len()] != name.as_bytes()
    {
        return None;
    }
    let salt = &bytes[start - 44..start - 12];
    let nonce = &bytes[start - 12..start];
    Aes256Gcm::new(sidecar_key(master, name, salt).as_ref().into())
        .decrypt(
            Nonce::from_slice(nonce),
            Payload {
                msg: &bytes[start..],
                aad: &bytes[..start],
            },
        )
        .ok()
        .map(Zeroizing::new)
}

fn read(path: &Path) -> Result<Option<Vec<u8>>, VaultError> {
    match std::fs::metadata(path) {
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(None),
        Err(e) => Err(VaultError::io(path, e)),
        Ok(meta) if meta.len() > MAX_SIDECAR_BYTES => Err(VaultError::Damaged {
            path: path.to_owned(),
            what: "the file is larger than Tessera writes (over 64 MiB)",
        }),
        Ok(_) => std::fs::read(path)
            .map(Some)
            .map_err(|e| VaultError::io(path, e)),
    }
}

impl Vault {
    /// Where the sidecar `name` lives: `<vault>.<name>`.
    pub fn sidecar_path(&self, name: &str) -> PathBuf {
        let mut file = self.path.file_name().unwrap_or_default().to_os_string();
        file.push(format!(".{name}"));
        self.path.with_file_name(file)
    }

    /// Takes the sidecar's own lock (not the vault's: saves happen while it is held), waiting
    /// up to 10 s for another program; [`VaultError::Busy`] after that.
    pub fn lock_sidecar(&self, name: &str) -> Result<SidecarLock, VaultError> {
        store::lock(&self.sidecar_path(name)).map(SidecarLock)
    }

    /// The sidecar's contents; `None` when there is none. [`VaultError::Damaged`] when it does
    /// not open under this vault's key (altered, or sealed before another program changed the
    /// password).
    pub fn read_sidecar(&self, name: &str) -> Result<Option<Zeroizing<Vec<u8>>>, VaultError> {
        let path = self.sidecar_path(name);
        let Some(bytes) = read(&path)? else {
            return Ok(None);
        };
        open(&self.master, name, &bytes).map(Some).ok_or(VaultError::Damaged {
            path,
            what: "it does not open with this vault's key (altered, or the password was changed by another program: lock and unlock)",
        })
    }

    /// Seals `plain` under the vault's key and writes it atomically as the sidecar `name`.
    pub fn write_sidecar(&self, name: &str, plain: &[u8]) -> Result<(), VaultError> {
        assert!(name.len() < 64, "sidecar names are short constants");
        let path = self.sidecar_path(name);
        store::write_atomic(&path, &seal(&self.master, name, plain), false, self.fail)
    }

    /// Deletes the sidecar `name`; whether there was one.
    pub fn remove_sidecar(&self, name: &str) -> Result<bool, VaultError> {
        let path = self.sidecar_path(name);
        match std::fs::remove_file(&path) {
            Ok(()) => Ok(true),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(false),
            Err(e) => Err(VaultError::io(&path, e)),
        }
    }

    /// Seals every sidecar that `old` opens again under the current key.
    pub(super) fn reseal_sidecars(&self, old: &Key) -> Result<(), VaultError> {
        for name in SIDECARS {
            let path = self.sidecar_path(name);
            let _lock = store::lock(&path)?;
            if let Some(plain) = read(&path)?.and_then(|bytes| open(old, name, &bytes)) {
                store::write_atomic(&path, &seal(&self.master, name, &plain), false, None)?;
            }
        }
        Ok(())
    }

    /// Puts `upserts` in place of the accounts with their ids (adding those the vault does not
    /// have) and deletes `removals`, in one save; nothing changes if it fails. For sync, which
    /// applies what the merge says as it is (no duplicate check) and removes only accounts in
    /// the trash or conflict copies it made itself.
    pub fn apply_entries(
        &mut self,
        upserts: Vec<BackupEntry>,
        removals: &[AccountId],
    ) -> Result<(), VaultError> {
        let purges = removals;
        if upserts.is_empty() && purges.is_empty() {
            return Ok(());
        }
        let before: Vec<Entry> = self
            .entries
            .iter()
            .map(|e| Entry::new(e.account.clone(), e.trashed))
            .collect();
        self.entries.retain(|e| !purges.contains(&e.account.id));
        for (account, trashed) in upserts {
            match self.entries.iter_mut().find(|e| e.account.id == account.id) {
                Some(entry) => {
                    entry.account = account;
                    entry.trashed = trashed;
                    entry.reindex();
                }
                None => self.entries.push(Entry::new(account, trashed)),
            }
        }
        // Emptying is allowed: only what the user threw away elsewhere is ever removed.
        self.save_or_undo(Change::Content, true, move |v| v.entries = before)
    }
}

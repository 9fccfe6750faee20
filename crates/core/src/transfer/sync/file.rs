//! A device file of the sync folder (docs/sync-format.md, "A device file"): magic, version, a
//! JSON header (device, key id, salt, nonce, the join slot), and the payload sealed with
//! AES-256-GCM under a key derived from the sync key, every byte before it authenticated.
//! Reading tells apart a file that is not one, a newer version, another sync key, and a cut or
//! altered file, and refuses sizes beyond the limits before allocating for them.

use std::collections::BTreeMap;

use aes_gcm::aead::{Aead, KeyInit, Payload};
use aes_gcm::{Aes256Gcm, Nonce};
use base64::Engine as _;
use base64::engine::general_purpose::STANDARD as B64;
use serde::{Deserialize, Serialize};
use zeroize::Zeroizing;

use super::record::{DeviceId, Record};
use crate::vault::{KdfParams, Key, VaultError, derive_slot_key, random, unwrap_key, wrap_key};

/// The magic bytes every device file starts with.
pub const MAGIC: &[u8; 13] = b"TESSERA\x00SYNC\n";
/// The format version this code writes.
pub const VERSION: (u8, u8) = (1, 0);
/// The largest device file read.
pub const MAX_FILE_BYTES: usize = 16 * 1024 * 1024;
/// The most records one file may hold.
pub const MAX_RECORDS: usize = 100_000;
/// The most devices a file may name.
pub const MAX_DEVICES: usize = 64;
const MAX_HEADER: usize = 64 * 1024;
const FILE_INFO: &[u8] = b"tessera-sync-file-v1";
const KEY_ID_INFO: &[u8] = b"tessera-sync-key-id-v1";

/// Why a file of the folder was not merged.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum SyncFileError {
    /// Not a Tessera sync file.
    #[error("not a Tessera sync file")]
    NotSyncFile,
    /// A newer major version.
    #[error("made by a newer Tessera (sync format {0}); this version reads format 1")]
    Newer(u8),
    /// Sealed with another sync key.
    #[error(
        "sealed with another sync key (another person's folder, or a device removed from this sync)"
    )]
    OtherKey,
    /// The right key, but the file is cut short or was changed.
    #[error("cut short or altered ({0}); it was not merged")]
    Damaged(&'static str),
    /// The sync password does not open the file's join slot.
    #[error("that is not the sync password")]
    WrongPassword,
    /// Written by a device removed from the sync.
    #[error("written by a device removed from this sync; it was not merged")]
    Removed,
    /// More files than a sync of 64 devices can have.
    #[error("the folder holds more sync files than Tessera reads ({0}); the rest were not merged")]
    TooMany(usize),
}

impl SyncFileError {
    /// What the user can do about it.
    pub fn advice(&self) -> &'static str {
        match self {
            SyncFileError::NotSyncFile => "Nothing to do: Tessera ignores it.",
            SyncFileError::Newer(_) => {
                "Update Tessera on this device to merge that device's changes."
            }
            SyncFileError::OtherKey => {
                "Nothing to do if the folder is shared on purpose; otherwise join this sync again with its current password."
            }
            SyncFileError::Damaged(_) => {
                "The sync engine may still be copying it: sync again in a moment. If it stays, that device writes it again at its next change."
            }
            SyncFileError::WrongPassword => "Type the sync password set on the first device.",
            SyncFileError::Removed => {
                "Nothing to do: a removed device's files are ignored. Delete the file once that device is gone."
            }
            SyncFileError::TooMany(_) => {
                "Delete the files of devices that are gone (each name starts with the device's id), or choose a folder only Tessera uses."
            }
        }
    }
}

/// The key shared by the devices of one sync group. Never printed.
#[derive(Clone)]
pub struct SyncKey(Key);

impl std::fmt::Debug for SyncKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("SyncKey(…)")
    }
}

/// The sync key wrapped by the sync password (Argon2id), so that a device joins from any file.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct JoinSlot {
    kdf: KdfParams,
    salt: String,
    nonce: String,
    wrapped: String,
}

impl SyncKey {
    /// A new random sync key (a new sync group, or a re-key after removing a device).
    pub fn random() -> SyncKey {
        SyncKey(Zeroizing::new(random::<32>()))
    }

    /// The key's id in file headers: the first 8 bytes of HKDF-SHA256(key, info
    /// `tessera-sync-key-id-v1`).
    pub fn id(&self) -> [u8; 8] {
        let mut id = [0u8; 8];
        hkdf::Hkdf::<sha2::Sha256>::new(None, self.0.as_ref())
            .expand(KEY_ID_INFO, &mut id)
            .expect("8 bytes is a valid HKDF-SHA256 output length");
        id
    }

    /// Wraps this key with the sync password (slow: the key derivation).
    pub fn join_slot(&self, password: &[u8], kdf: KdfParams) -> Result<JoinSlot, VaultError> {
        let salt = random::<16>();
        let slot_key = derive_slot_key(password, &salt, kdf)?;
        let (nonce, wrapped) = wrap_key(&slot_key, "sync", &self.0);
        Ok(JoinSlot {
            kdf,
            salt: B64.encode(salt),
            nonce: B64.encode(nonce),
            wrapped: B64.encode(wrapped),
        })
    }

    /// The sync key a join slot holds, with the sync password (slow: the key derivation).
    pub fn from_join(slot: &JoinSlot, password: &[u8]) -> Result<SyncKey, SyncFileError> {
        let field = |text: &str| {
            B64.decode(text)
                .map_err(|_| SyncFileError::Damaged("a join slot field is not Base64"))
        };
        let slot_key = derive_slot_key(password, &field(&slot.salt)?, slot.kdf).map_err(|_| {
            SyncFileError::Damaged("the join slot's key derivation is out of bounds")
        })?;
        unwrap_key(
            &slot_key,
            "sync",
            &field(&slot.nonce)?,
            &field(&slot.wrapped)?,
        )
        .map(SyncKey)
        .ok_or(SyncFileError::WrongPassword)
    }

    /// The key as Base64, for this device's sealed sync state only.
    pub(crate) fn to_b64(&self) -> Zeroizing<String> {
        Zeroizing::new(B64.encode(self.0.as_ref()))
    }

    /// Back from [`SyncKey::to_b64`].
    pub(crate) fn from_b64(text: &str) -> Option<SyncKey> {
        let bytes = Zeroizing::new(B64.decode(text).ok()?);
        let key: [u8; 32] = bytes.as_slice().try_into().ok()?;
        Some(SyncKey(Zeroizing::new(key)))
    }

    fn file_key(&self, salt: &[u8]) -> Key {
        let mut key = Zeroizing::new([0u8; 32]);
        hkdf::Hkdf::<sha2::Sha256>::new(Some(salt), self.0.as_ref())
            .expand(FILE_INFO, key.as_mut())
            .expect("32 bytes is a valid HKDF-SHA256 output length");
        key
    }
}

/// What a device knows of another.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct DeviceInfo {
    /// The name its user gave it.
    pub name: String,
    /// Removed from the sync: its files are ignored for good.
    #[serde(default)]
    pub removed: bool,
}

/// A device file's payload.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct DeviceFile {
    /// The device that wrote it.
    pub device: DeviceId,
    /// Its name.
    pub name: String,
    /// When it was written (Unix seconds).
    pub written: u64,
    /// Its event counter.
    pub counter: u64,
    /// The devices it knows.
    #[serde(default)]
    pub devices: BTreeMap<DeviceId, DeviceInfo>,
    /// Its records, one per account it changed.
    pub records: Vec<Record>,
}

/// The header, stored as JSON.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct Header {
    /// The device that wrote the file.
    pub device: DeviceId,
    key_id: String,
    salt: String,
    nonce: String,
    /// The sync key, wrapped by the sync password.
    pub join: JoinSlot,
}

/// Seals `file` under `key`, with `join` in the header.
pub fn seal(file: &DeviceFile, key: &SyncKey, join: &JoinSlot) -> Vec<u8> {
    let salt = random::<32>();
    let nonce = random::<12>();
    let header = Header {
        device: file.device,
        key_id: B64.encode(key.id()),
        salt: B64.encode(salt),
        nonce: B64.encode(nonce),
        join: join.clone(),
    };
    let json = serde_json::to_vec(&header).expect("a header always serializes");
    let mut out = Vec::with_capacity(MAGIC.len() + 6 + json.len());
    out.extend_from_slice(MAGIC);
    out.extend_from_slice(&[VERSION.0, VERSION.1]);
    out.extend_from_slice(&(json.len() as u32).to_le_bytes());
    out.extend_from_slice(&json);
    let plain = Zeroizing::new(serde_json::to_vec(file).expect("a device file always serializes"));
    let sealed = Aes256Gcm::new(key.file_key(&salt).as_ref().into())
        .encrypt(
            Nonce::from_slice(&nonce),
            Payload {
                msg: &plain,
                aad: &out,
            },
        )
        .expect("AES-GCM encryption of a sync file cannot fail");
    out.extend_from_slice(&sealed);
    out
}

/// The header and where the sealed payload starts, without a key (to join, and to say which
/// device a file is from).
pub fn read_header(bytes: &[u8]) -> Result<(Header, usize), SyncFileError> {
    if bytes.len() < MAGIC.len() || &bytes[..MAGIC.len()] != MAGIC {
        return Err(SyncFileError::NotSyncFile);
    }
    if bytes.len() > MAX_FILE_BYTES {
        return Err(SyncFileError::Damaged("larger than any sync file"));
    }
    let rest = &bytes[MAGIC.len()..];
    let [major, _minor, l0, l1, l2, l3, rest @ ..] = rest else {
        return Err(SyncFileError::Damaged("the header is cut short"));
    };
    if *major != VERSION.0 {
        return Err(SyncFileError::Newer(*major));
    }
    let len = u32::from_le_bytes([*l0, *l1, *l2, *l3]) as usize;
    if len > MAX_HEADER || len > rest.len() {
        return Err(SyncFileError::Damaged(
            "the header is cut short or too long",
        ));
    }
    let header: Header = serde_json::from_slice(&rest[..len])
        .map_err(|_| SyncFileError::Damaged("the header is not Tessera's"))?;
    Ok((header, MAGIC.len() + 6 + len))
}

/// Opens a device file with the sync key.
pub fn open(bytes: &[u8], key: &SyncKey) -> Result<DeviceFile, SyncFileError> {
    let (header, start) = read_header(bytes)?;
    let field = |text: &str| {
        B64.decode(text)
            .map_err(|_| SyncFileError::Damaged("a header field is not Base64"))
    };
    if field(&header.key_id)? != key.id() {
        return Err(SyncFileError::OtherKey);
    }
    let salt = field(&header.salt)?;
    let nonce = field(&header.nonce)?;
    if nonce.len() != 12 {
        return Err(SyncFileError::Damaged("the nonce is not 12 bytes"));
    }
    let plain = Aes256Gcm::new(key.file_key(&salt).as_ref().into())
        .decrypt(
            Nonce::from_slice(&nonce),
            Payload {
                msg: &bytes[start..],
                aad: &bytes[..start],
            },
        )
        .map(Zeroizing::new)
        .map_err(|_| SyncFileError::Damaged("it does not authenticate"))?;
    let file: DeviceFile = serde_json::from_slice(&plain)
        .map_err(|_| SyncFileError::Damaged("its records are not Tessera's"))?;
    if file.device != header.device {
        return Err(SyncFileError::Damaged(
            "the header and the records name other devices",
        ));
    }
    if file.records.len() > MAX_RECORDS
        || file.devices.len() > MAX_DEVICES
        || file.records.iter().any(|r| r.vv.0.len() > MAX_DEVICES)
    {
        return Err(SyncFileError::Damaged(
            "more records or devices than the format allows",
        ));
    }
    Ok(file)
}

//! The container shared by vaults and backups: sealing accounts under a master key, and
//! recovering that key from a slot (a password, or a key kept in the OS keystore).
//!
//! Untrusted files set the cost of opening them, so opening is budgeted: at most
//! [`MAX_PASSWORD_SLOTS`] password slots are tried, and their key derivations together may not
//! ask for more than [`MAX_KDF_WORK_KIB`] (memory times passes).

use std::io::Write;
use std::path::Path;

use zeroize::Zeroizing;

use super::biometric::{BiometricError, BiometricStore};
use super::error::VaultError;
use super::format::{self, Header, Slot, b64, unb64};
use super::keys::{self, KdfParams, Key};
use super::keystore::Keystore;
use super::model::{Entry, Payload, StoredAccount, Unreadable};

/// The most password slots tried when opening one file.
pub const MAX_PASSWORD_SLOTS: usize = 4;
/// The most key-derivation work (KiB of memory times passes, summed over the slots tried) one
/// file may ask for: two slots at the largest accepted settings (1 GiB, 10 passes).
pub const MAX_KDF_WORK_KIB: u64 = 2 * 1_048_576 * 10;

/// Slot keys already derived from one password: (salt, settings, key).
pub(crate) type DerivedKeys = std::cell::RefCell<Vec<(Vec<u8>, KdfParams, Key)>>;

/// How a vault is being opened.
pub(crate) enum Unlocker<'a> {
    /// The password, and the slot keys already derived from it (salt, settings, key): the
    /// generations of one vault share their password slot, so falling back to an older one
    /// does not run the KDF again.
    Password(&'a [u8], &'a DerivedKeys),
    Keystore(&'a dyn Keystore),
    /// The phone's biometric key, and the slot keys it already released (sealed bytes, key):
    /// falling back to an older generation with the same slot asks for no second check.
    Biometric(&'a dyn BiometricStore, &'a OpenedSlotKeys),
}

/// Slot keys a biometric check already released: (the slot's `sealed` field, key).
pub(crate) type OpenedSlotKeys = std::cell::RefCell<Vec<(String, Key)>>;

impl Unlocker<'_> {
    /// Recovers the master key from the first slot this unlocker opens.
    pub(crate) fn master_key(&self, file: &Path, slots: &[Slot]) -> Result<Key, VaultError> {
        match self {
            Unlocker::Password(password, derived) => {
                let password_slots: Vec<_> = slots
                    .iter()
                    .filter_map(|slot| match slot {
                        Slot::Password {
                            kdf,
                            salt,
                            nonce,
                            wrapped,
                        } => Some((kdf, salt, nonce, wrapped)),
                        _ => None,
                    })
                    .collect();
                // The whole cost is known before any key derivation runs.
                let mut work = 0u64;
                for (kdf, ..) in &password_slots {
                    let kdf = kdf.check()?;
                    work = work.saturating_add(u64::from(kdf.m_kib) * u64::from(kdf.t));
                }
                if password_slots.len() > MAX_PASSWORD_SLOTS || work > MAX_KDF_WORK_KIB {
                    return Err(VaultError::Damaged {
                        path: file.to_owned(),
                        what: "it asks for more key derivations than any Tessera file does",
                    });
                }
                for (kdf, salt, nonce, wrapped) in password_slots {
                    let salt = unb64(file, salt)?;
                    let known = derived
                        .borrow()
                        .iter()
                        .find(|(s, k, _)| *s == salt && k == kdf)
                        .map(|(_, _, key)| key.clone());
                    let slot_key = match known {
                        Some(key) => key,
                        None => {
                            let key = keys::derive_slot_key(password, &salt, *kdf)?;
                            derived.borrow_mut().push((salt, *kdf, key.clone()));
                            key
                        }
                    };
                    if let Some(key) = keys::unwrap(
                        &slot_key,
                        "password",
                        &unb64(file, nonce)?,
                        &unb64(file, wrapped)?,
                    ) {
                        return Ok(key);
                    }
                }
                Err(VaultError::WrongPassword)
            }
            Unlocker::Keystore(keystore) => {
                let (entry, nonce, wrapped) = slots
                    .iter()
                    .find_map(|s| match s {
                        Slot::Keystore {
                            entry,
                            nonce,
                            wrapped,
                        } => Some((entry, nonce, wrapped)),
                        _ => None,
                    })
                    .ok_or_else(|| {
                        VaultError::Keystore("keystore unlock is not set up for this vault".into())
                    })?;
                let stored = keystore
                    .get(entry)
                    .map_err(VaultError::Keystore)?
                    .ok_or_else(|| VaultError::Keystore("the keystore entry is gone".into()))?;
                let slot_key = <[u8; 32]>::try_from(stored.as_slice())
                    .map(Zeroizing::new)
                    .map_err(|_| VaultError::Keystore("the keystore entry was changed".into()))?;
                keys::unwrap(
                    &slot_key,
                    "keystore",
                    &unb64(file, nonce)?,
                    &unb64(file, wrapped)?,
                )
                .ok_or_else(|| VaultError::Keystore("the keystore entry was changed".into()))
            }
            Unlocker::Biometric(store, opened) => {
                let (entry, sealed, nonce, wrapped) = slots
                    .iter()
                    .find_map(|s| match s {
                        Slot::Biometric {
                            entry,
                            sealed,
                            nonce,
                            wrapped,
                        } => Some((entry, sealed, nonce, wrapped)),
                        _ => None,
                    })
                    .ok_or_else(|| {
                        VaultError::Biometric(BiometricError::Unavailable(
                            "biometric unlock is not set up for this vault".into(),
                        ))
                    })?;
                let known = opened
                    .borrow()
                    .iter()
                    .find(|(s, _)| s == sealed)
                    .map(|(_, key)| key.clone());
                let slot_key = match known {
                    Some(key) => key,
                    None => {
                        let released = store
                            .open(entry, &unb64(file, sealed)?)
                            .map_err(VaultError::Biometric)?;
                        let key = <[u8; 32]>::try_from(released.as_slice())
                            .map(Zeroizing::new)
                            .map_err(|_| VaultError::Biometric(BiometricError::Damaged))?;
                        opened.borrow_mut().push((sealed.clone(), key.clone()));
                        key
                    }
                };
                keys::unwrap(
                    &slot_key,
                    "biometric",
                    &unb64(file, nonce)?,
                    &unb64(file, wrapped)?,
                )
                .ok_or(VaultError::Biometric(BiometricError::Damaged))
            }
        }
    }
}

/// A whole file: header with `slots`, and `entries` sealed under `master` with a fresh salt and
/// nonce.
pub(crate) fn encode(master: &Key, slots: &[Slot], entries: &[Entry]) -> Vec<u8> {
    let salt = keys::random::<32>();
    let nonce = keys::random::<12>();
    let header = Header {
        slots: slots.to_vec(),
        payload_salt: b64(&salt),
        payload_nonce: b64(&nonce),
    };
    let aad = format::header_bytes(&header);
    let payload = Payload {
        accounts: entries.iter().map(StoredAccount::from_entry).collect(),
    };
    let plain = to_zeroizing_json(&payload);
    let sealed = keys::seal_payload(master, &salt, &nonce, &aad, &plain);
    format::file_bytes(&aad, &sealed)
}

/// Counts the bytes written to it.
struct Counter(usize);

impl Write for Counter {
    fn write(&mut self, bytes: &[u8]) -> std::io::Result<usize> {
        self.0 += bytes.len();
        Ok(bytes.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

/// `value` as JSON in a buffer sized exactly beforehand and zeroized when dropped: a `Vec` that
/// grows while serializing would free unzeroed copies of every seed on the way.
pub(crate) fn to_zeroizing_json(value: &impl serde::Serialize) -> Zeroizing<Vec<u8>> {
    let mut counter = Counter(0);
    serde_json::to_writer(&mut counter, value).expect("accounts always serialize");
    let mut plain = Zeroizing::new(Vec::with_capacity(counter.0));
    serde_json::to_writer(&mut *plain, value).expect("accounts always serialize");
    debug_assert_eq!(plain.capacity(), counter.0);
    plain
}

/// Reads a whole file (`file` names it in errors): the master key from the first slot the
/// unlocker opens, the slots, and the entries.
pub(crate) fn decode(
    file: &Path,
    bytes: &[u8],
    unlocker: &Unlocker,
) -> Result<(Key, Vec<Slot>, Vec<Entry>), VaultError> {
    let parsed = format::parse(file, bytes)?;
    let damaged = |what| VaultError::Damaged {
        path: file.to_owned(),
        what,
    };
    let master = unlocker.master_key(file, &parsed.header.slots)?;
    let entries = open_entries(file, &parsed, &master)?
        .ok_or_else(|| damaged("the accounts do not authenticate"))?;
    Ok((master, parsed.header.slots, entries))
}

/// The entries of a parsed file, decrypted with `master`; `None` when they do not authenticate
/// under it (another master key, or altered).
pub(crate) fn open_entries(
    file: &Path,
    parsed: &format::Parsed,
    master: &Key,
) -> Result<Option<Vec<Entry>>, VaultError> {
    let damaged = |what| VaultError::Damaged {
        path: file.to_owned(),
        what,
    };
    let salt = unb64(file, &parsed.header.payload_salt)?;
    let nonce = unb64(file, &parsed.header.payload_nonce)?;
    let Some(plain) = keys::open_payload(master, &salt, &nonce, &parsed.aad, &parsed.sealed) else {
        return Ok(None);
    };
    let payload: Payload =
        serde_json::from_slice(&plain).map_err(|_| damaged("the accounts are not valid"))?;
    payload
        .accounts
        .into_iter()
        .map(|account| {
            account.into_entry().map_err(|why| match why {
                Unreadable::Invalid => damaged("an account is not valid"),
                // Not damage: an older copy must not be opened in its place.
                Unreadable::NewerKind(kind) => VaultError::NewerKind {
                    path: file.to_owned(),
                    kind,
                },
            })
        })
        .collect::<Result<Vec<_>, _>>()
        .map(Some)
}

pub(crate) fn password_slot(
    password: &[u8],
    kdf: KdfParams,
    master: &Key,
) -> Result<Slot, VaultError> {
    let salt = keys::random::<16>();
    let slot_key = keys::derive_slot_key(password, &salt, kdf)?;
    let (nonce, wrapped) = keys::wrap(&slot_key, "password", master);
    Ok(Slot::Password {
        kdf,
        salt: b64(&salt),
        nonce: b64(&nonce),
        wrapped: b64(&wrapped),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::vault::Vault;

    fn slot(kdf: KdfParams) -> Slot {
        let master = keys::new_master_key();
        password_slot(b"pw", kdf, &master).unwrap()
    }

    fn forged(kdf: KdfParams) -> Slot {
        Slot::Password {
            kdf,
            salt: b64(&[0; 16]),
            nonce: b64(&[0; 12]),
            wrapped: b64(&[0; 48]),
        }
    }

    #[test]
    fn a_header_asking_for_too_much_key_derivation_fails_before_any_runs() {
        let path = Path::new("hostile.vault");
        let heavy = KdfParams {
            m_kib: 1_048_576,
            t: 10,
            p: 1,
        };
        // Three slots of 1 GiB x 10 passes: refused at once (running even one would take
        // seconds and a gigabyte).
        let started = std::time::Instant::now();
        let unlocker = Unlocker::Password(b"pw", &DerivedKeys::default());
        let error = unlocker
            .master_key(path, &[forged(heavy), forged(heavy), forged(heavy)])
            .unwrap_err();
        assert!(matches!(error, VaultError::Damaged { .. }), "{error:?}");
        assert!(started.elapsed() < std::time::Duration::from_secs(1));
        // More than four password slots, however cheap: refused.
        let cheap: Vec<Slot> = (0..5).map(|_| forged(KdfParams::MINIMUM)).collect();
        let unlocker = Unlocker::Password(b"pw", &DerivedKeys::default());
        assert!(matches!(
            unlocker.master_key(path, &cheap),
            Err(VaultError::Damaged { .. })
        ));
        // Four are tried (and are simply the wrong password).
        let unlocker = Unlocker::Password(b"pw", &DerivedKeys::default());
        assert_eq!(
            unlocker.master_key(path, &cheap[..4]),
            Err(VaultError::WrongPassword)
        );
        let _ = slot(KdfParams::MINIMUM);
    }

    #[test]
    fn unknown_slot_types_are_kept_on_rewrite() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("tessera.vault");
        let master = keys::new_master_key();
        let unknown: serde_json::Map<String, serde_json::Value> = serde_json::from_str(
            r#"{"type":"passkey","entry":"face-1","wrapped":"AAAA","since":"1.1"}"#,
        )
        .unwrap();
        let slots = vec![
            password_slot(b"pw", KdfParams::MINIMUM, &master).unwrap(),
            Slot::Unknown(unknown.clone()),
        ];
        std::fs::write(&path, encode(&master, &slots, &[])).unwrap();
        let (mut vault, _) = Vault::unlock(&path, b"pw").unwrap();
        let enrolment =
            crate::otp::parse_otpauth("otpauth://totp/A:a?secret=JBSWY3DPEHPK3PXP&issuer=A")
                .unwrap();
        vault.add(enrolment, 1).unwrap();
        let bytes = std::fs::read(&path).unwrap();
        let parsed = format::parse(&path, &bytes).unwrap();
        assert_eq!(parsed.header.slots.len(), 2);
        assert_eq!(parsed.header.slots[1], Slot::Unknown(unknown));
        assert!(!vault.has_keystore_slot());
    }

    #[test]
    fn the_plaintext_buffer_is_sized_once() {
        let value = serde_json::json!({"accounts": [{"secret": "JBSWY3DPEHPK3PXP", "note": "x".repeat(5000)}]});
        let plain = to_zeroizing_json(&value);
        assert_eq!(plain.len(), plain.capacity());
        assert_eq!(&plain[..], serde_json::to_vec(&value).unwrap().as_slice());
    }
}

//! The key schedule, in one place.
//!
//! ```text
//! master key (32 random bytes)
//!   ├─ wrapped by each slot: AES-256-GCM(slot key, slot nonce, master key, AAD = "tessera-slot-v1:" + slot type)
//!   │    password slot: slot key = Argon2id(password, salt, m, t, p)
//!   └─ payload key = HKDF-SHA256(ikm = master key, salt = per-save random 32 bytes, info = "tessera-vault-payload-v1")
//!        payload = AES-256-GCM(payload key, per-save random nonce, accounts JSON, AAD = every byte before it)
//! ```
//!
//! The payload key exists only inside [`open_payload`] and [`seal_payload`], which take the header
//! bytes as associated data: no caller can decrypt accounts without the header being checked.
//! A fresh salt and nonce on every save means no (key, nonce) pair ever repeats.

use aes_gcm::aead::{Aead, KeyInit, Payload};
use aes_gcm::{Aes256Gcm, Nonce};
use argon2::{Algorithm, Argon2, Params, Version};
use zeroize::Zeroizing;

use super::error::VaultError;

/// A 256-bit key, zeroized on drop, never printed.
pub(crate) type Key = Zeroizing<[u8; 32]>;

const PAYLOAD_INFO: &[u8] = b"tessera-vault-payload-v1";
const SLOT_AAD_PREFIX: &str = "tessera-slot-v1:";

pub(crate) use crate::file::random;

/// A fresh random master key.
pub(crate) fn new_master_key() -> Key {
    Zeroizing::new(random::<32>())
}

/// Argon2id cost parameters, as stored in a password slot.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct KdfParams {
    /// Memory in KiB.
    pub m_kib: u32,
    /// Passes.
    pub t: u32,
    /// Lanes.
    pub p: u32,
}

impl KdfParams {
    /// RFC 9106's second recommended choice: 64 MiB, 3 passes, 4 lanes.
    pub const DEFAULT: KdfParams = KdfParams {
        m_kib: 64 * 1024,
        t: 3,
        p: 4,
    };
    /// The least Tessera writes (OWASP's floor): 19 MiB, 2 passes, 1 lane.
    pub const FLOOR: KdfParams = KdfParams {
        m_kib: 19 * 1024,
        t: 2,
        p: 1,
    };
    /// The cheapest parameters a reader accepts: 19 MiB, 1 pass. For tests and slow devices only.
    pub const MINIMUM: KdfParams = KdfParams {
        m_kib: 19 * 1024,
        t: 1,
        p: 1,
    };

    /// Refuses parameters outside 19 MiB-1 GiB, 1-10 passes, 1-16 lanes: too weak to protect
    /// the seeds, or so costly that opening the file would exhaust the device.
    pub fn check(self) -> Result<KdfParams, VaultError> {
        let ok = (19 * 1024..=1024 * 1024).contains(&self.m_kib)
            && (1..=10).contains(&self.t)
            && (1..=16).contains(&self.p);
        if ok {
            Ok(self)
        } else {
            Err(VaultError::KdfOutOfBounds {
                m_kib: self.m_kib,
                t: self.t,
                p: self.p,
            })
        }
    }

    /// Picks parameters that take about 0.5-1 s here: the default, lowered toward the floor on a
    /// slow machine, or with more passes on a fast one. Returns them with the measured time.
    pub fn calibrate() -> (KdfParams, std::time::Duration) {
        let salt = random::<16>();
        let time = |params: KdfParams| {
            let start = std::time::Instant::now();
            let _ = derive_slot_key(b"calibration", &salt, params);
            start.elapsed()
        };
        let second = std::time::Duration::from_secs(1);
        let half = std::time::Duration::from_millis(500);
        let mut params = KdfParams::DEFAULT;
        let mut took = time(params);
        for slower in [
            KdfParams {
                m_kib: 46 * 1024,
                t: 2,
                p: 4,
            },
            KdfParams::FLOOR,
        ] {
            if took <= second {
                break;
            }
            params = slower;
            took = time(params);
        }
        // Fast machine: more passes aiming at 0.75 s, then more memory (up to 256 MiB),
        // re-measured each time.
        while took < half && (params.t < 10 || params.m_kib < 256 * 1024) {
            if params.t < 10 {
                let per_pass = took.as_secs_f64() / f64::from(params.t);
                let wanted = (0.75 / per_pass.max(1e-6)).ceil() as u32;
                params.t = wanted.clamp(params.t + 1, 10);
            } else {
                params.m_kib *= 2;
            }
            took = time(params);
        }
        (params, took)
    }
}

/// Argon2id(password, salt) with checked parameters.
pub(crate) fn derive_slot_key(
    password: &[u8],
    salt: &[u8],
    params: KdfParams,
) -> Result<Key, VaultError> {
    let params = params.check()?;
    let argon = Argon2::new(
        Algorithm::Argon2id,
        Version::V0x13,
        Params::new(params.m_kib, params.t, params.p, Some(32)).map_err(|_| {
            VaultError::KdfOutOfBounds {
                m_kib: params.m_kib,
                t: params.t,
                p: params.p,
            }
        })?,
    );
    let mut key = Zeroizing::new([0u8; 32]);
    argon
        .hash_password_into(password, salt, key.as_mut())
        .map_err(|_| VaultError::KdfOutOfBounds {
            m_kib: params.m_kib,
            t: params.t,
            p: params.p,
        })?;
    Ok(key)
}

/// Wraps the master key under a slot key; returns (nonce, ciphertext with tag).
pub(crate) fn wrap(slot_key: &Key, slot_type: &str, master: &Key) -> ([u8; 12], Vec<u8>) {
    let nonce = random::<12>();
    let aad = format!("{SLOT_AAD_PREFIX}{slot_type}");
    let wrapped = Aes256Gcm::new(slot_key.as_ref().into())
        .encrypt(
            Nonce::from_slice(&nonce),
            Payload {
                msg: master.as_ref(),
                aad: aad.as_bytes(),
            },
        )
        .expect("AES-GCM encryption of 32 bytes cannot fail");
    (nonce, wrapped)
}

/// Unwraps the master key; `None` if the slot key is wrong or the slot was altered.
pub(crate) fn unwrap(slot_key: &Key, slot_type: &str, nonce: &[u8], wrapped: &[u8]) -> Option<Key> {
    if nonce.len() != 12 {
        return None;
    }
    let aad = format!("{SLOT_AAD_PREFIX}{slot_type}");
    let plain = Zeroizing::new(
        Aes256Gcm::new(slot_key.as_ref().into())
            .decrypt(
                Nonce::from_slice(nonce),
                Payload {
                    msg: wrapped,
                    aad: aad.as_bytes(),
                },
            )
            .ok()?,
    );
    let mut key = Zeroizing::new([0u8; 32]);
    (plain.len() == 32).then(|| key.copy_from_slice(&plain))?;
    Some(key)
}

fn payload_key(master: &Key, salt: &[u8]) -> Key {
    let mut key = Zeroizing::new([0u8; 32]);
    hkdf::Hkdf::<sha2::Sha256>::new(Some(salt), master.as_ref())
        .expand(PAYLOAD_INFO, key.as_mut())
        .expect("32 bytes is a valid HKDF-SHA256 output length");
    key
}

/// Encrypts the accounts with a per-save key; the header bytes are the associated data.
pub(crate) fn seal_payload(
    master: &Key,
    salt: &[u8; 32],
    nonce: &[u8; 12],
    header: &[u8],
    plain: &[u8],
) -> Vec<u8> {
    Aes256Gcm::new(payload_key(master, salt).as_ref().into())
        .encrypt(
            Nonce::from_slice(nonce),
            Payload {
                msg: plain,
                aad: header,
            },
        )
        .expect("AES-GCM encryption of a vault payload cannot fail")
}

/// Decrypts the accounts; fails if any header byte or ciphertext byte was changed.
pub(crate) fn open_payload(
    master: &Key,
    salt: &[u8],
    nonce: &[u8],
    header: &[u8],
    sealed: &[u8],
) -> Option<Zeroizing<Vec<u8>>> {
    if nonce.len() != 12 {
        return None;
    }
    Aes256Gcm::new(payload_key(master, salt).as_ref().into())
        .decrypt(
            Nonce::from_slice(nonce),
            Payload {
                msg: sealed,
                aad: header,
            },
        )
        .ok()
        .map(Zeroizing::new)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bounds_refuse_weak_and_costly_parameters() {
        assert!(KdfParams::DEFAULT.check().is_ok());
        assert!(KdfParams::MINIMUM.check().is_ok());
        for bad in [
            KdfParams {
                m_kib: 1024,
                t: 3,
                p: 1,
            },
            KdfParams {
                m_kib: 2 * 1024 * 1024,
                t: 3,
                p: 1,
            },
            KdfParams {
                m_kib: 65536,
                t: 0,
                p: 1,
            },
            KdfParams {
                m_kib: 65536,
                t: 11,
                p: 1,
            },
            KdfParams {
                m_kib: 65536,
                t: 3,
                p: 17,
            },
        ] {
            assert_eq!(
                bad.check(),
                Err(VaultError::KdfOutOfBounds {
                    m_kib: bad.m_kib,
                    t: bad.t,
                    p: bad.p
                })
            );
        }
    }

    #[test]
    fn wrap_unwrap_and_tamper() {
        let slot = Zeroizing::new(random::<32>());
        let master = new_master_key();
        let (nonce, wrapped) = wrap(&slot, "password", &master);
        assert_eq!(
            unwrap(&slot, "password", &nonce, &wrapped)
                .unwrap()
                .as_ref(),
            master.as_ref()
        );
        assert!(unwrap(&slot, "keystore", &nonce, &wrapped).is_none());
        let other = Zeroizing::new(random::<32>());
        assert!(unwrap(&other, "password", &nonce, &wrapped).is_none());
    }

    #[test]
    fn payload_needs_the_same_header() {
        let master = new_master_key();
        let (salt, nonce) = (random::<32>(), random::<12>());
        let sealed = seal_payload(&master, &salt, &nonce, b"header", b"accounts");
        assert_eq!(
            open_payload(&master, &salt, &nonce, b"header", &sealed)
                .unwrap()
                .as_slice(),
            b"accounts"
        );
        assert!(open_payload(&master, &salt, &nonce, b"headeR", &sealed).is_none());
        assert!(open_payload(&master, &random::<32>(), &nonce, b"header", &sealed).is_none());
    }
}

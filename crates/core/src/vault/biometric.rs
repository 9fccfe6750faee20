//! The biometric slot: a key the phone releases only after a fingerprint or face check.
//!
//! A random 256-bit slot key wraps the master key (as the password and keystore slots do), and
//! the phone keeps that slot key under a key of its own that works only after the user's
//! biometric check: on Android an AndroidKeyStore AES-GCM key that requires authentication and
//! is invalidated when a fingerprint is added, used only through `BiometricPrompt` with a
//! `CryptoObject`; on iOS a Keychain item with `biometryCurrentSet`, kept on this device only.
//! The check is therefore part of the decryption, not an `if` in the app that a patched binary
//! could skip. [`BiometricStore`] is that phone key; [`MemoryBiometric`] is the in-memory one for
//! tests, able to cancel, fail and be invalidated on demand.
//!
//! A biometric key can stop working for good (a new fingerprint or face, app data restored to
//! another phone, a keystore bug): [`BiometricError::Invalidated`]. The password slot always
//! remains, so the vault still opens with the password, and biometric unlock can be turned on
//! again; nothing is lost.

use std::collections::{HashMap, VecDeque};
use std::sync::Mutex;

use aes_gcm::aead::{Aead, KeyInit};
use aes_gcm::{Aes256Gcm, Nonce};
use zeroize::Zeroizing;

/// What the phone checks.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BiometricKind {
    /// A fingerprint (Android's sensor, Touch ID).
    Fingerprint,
    /// A face (Face ID, Android face unlock of the strong class).
    Face,
    /// The phone's strong biometrics, whichever are enrolled (Android does not say which).
    Any,
}

impl BiometricKind {
    /// The words for a button or setting: "fingerprint", "face", "fingerprint or face".
    pub fn name(self) -> &'static str {
        match self {
            BiometricKind::Fingerprint => "fingerprint",
            BiometricKind::Face => "face",
            BiometricKind::Any => "fingerprint or face",
        }
    }
}

/// Why the phone did not release (or keep) the key.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum BiometricError {
    /// The user dismissed the prompt or chose the password instead.
    #[error("the {0} check was cancelled")]
    Cancelled(&'static str),
    /// The phone's key is gone for good: biometrics were added or changed, or the app's data
    /// came from another phone.
    #[error(
        "biometric unlock stopped working: the fingerprints or faces on this phone changed (or the app's data came from another phone), so the phone dropped its key"
    )]
    Invalidated,
    /// What the vault keeps for the slot does not decrypt, or decrypts to something else.
    #[error("the biometric slot's stored key is damaged")]
    Damaged,
    /// No strong biometric is enrolled, or the phone has no sensor.
    #[error("biometric unlock is not available on this phone: {0}")]
    Unavailable(String),
    /// Too many attempts, a hardware error, or a prompt that never answered.
    #[error("the biometric check failed: {0}")]
    Failed(String),
}

/// A phone's biometric-bound key store: seals a slot key so that only a successful biometric
/// check opens it again. Calls may show the system's prompt and wait for the user, so call them
/// off the UI thread.
pub trait BiometricStore {
    /// The biometric the phone offers now, or why there is none.
    fn kind(&self) -> Result<BiometricKind, BiometricError>;
    /// Seals `secret` under the phone's key for `entry` (making that key if needed); returns
    /// what to keep in the vault's slot (empty when the phone keeps the secret itself).
    fn seal(&self, entry: &str, secret: &[u8]) -> Result<Vec<u8>, BiometricError>;
    /// Opens what [`BiometricStore::seal`] returned, after the user's biometric check.
    fn open(&self, entry: &str, sealed: &[u8]) -> Result<Zeroizing<Vec<u8>>, BiometricError>;
    /// Deletes the phone's key for `entry`; deleting a missing one is not an error.
    fn delete(&self, entry: &str) -> Result<(), String>;
}

/// The framing of a slot key sealed by a phone's AES-GCM key (Android): a version byte, the IV's
/// length and the IV, then the ciphertext with its 16-byte tag at the end, as `Cipher.doFinal`
/// returns it.
///
/// ```text
/// 0x01 | iv length (12..=16) | iv | ciphertext || tag (17..=1024 bytes)
/// ```
#[derive(Clone, PartialEq, Eq)]
pub struct SealedKey {
    /// The cipher's IV (chosen by the keystore; 12 bytes for AndroidKeyStore's GCM).
    pub iv: Vec<u8>,
    /// The ciphertext followed by the GCM tag.
    pub ciphertext: Vec<u8>,
}

impl std::fmt::Debug for SealedKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "SealedKey({} + {} bytes)",
            self.iv.len(),
            self.ciphertext.len()
        )
    }
}

/// GCM's tag length.
pub const GCM_TAG_LEN: usize = 16;
const SEALED_VERSION: u8 = 1;
const MAX_SEALED_CIPHERTEXT: usize = 1024;

impl SealedKey {
    /// A sealed key from what the phone's cipher gave, checked like a parsed one.
    pub fn new(iv: Vec<u8>, ciphertext: Vec<u8>) -> Result<SealedKey, BiometricError> {
        let key = SealedKey { iv, ciphertext };
        key.check()?;
        Ok(key)
    }

    fn check(&self) -> Result<(), BiometricError> {
        let iv_ok = (12..=16).contains(&self.iv.len());
        let ct_ok = (GCM_TAG_LEN + 1..=MAX_SEALED_CIPHERTEXT).contains(&self.ciphertext.len());
        if iv_ok && ct_ok {
            Ok(())
        } else {
            Err(BiometricError::Damaged)
        }
    }

    /// The framed bytes (kept Base64 in the vault's slot).
    pub fn to_bytes(&self) -> Vec<u8> {
        let mut out = Vec::with_capacity(2 + self.iv.len() + self.ciphertext.len());
        out.push(SEALED_VERSION);
        out.push(self.iv.len() as u8);
        out.extend_from_slice(&self.iv);
        out.extend_from_slice(&self.ciphertext);
        out
    }

    /// Reads framed bytes; [`BiometricError::Damaged`] for anything else (another version, a
    /// cut or padded frame).
    pub fn parse(bytes: &[u8]) -> Result<SealedKey, BiometricError> {
        let [version, iv_len, rest @ ..] = bytes else {
            return Err(BiometricError::Damaged);
        };
        let iv_len = usize::from(*iv_len);
        if *version != SEALED_VERSION || rest.len() < iv_len {
            return Err(BiometricError::Damaged);
        }
        let (iv, ciphertext) = rest.split_at(iv_len);
        SealedKey::new(iv.to_vec(), ciphertext.to_vec())
    }
}

/// What the next check of a [`MemoryBiometric`] does.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PromptAnswer {
    /// The user's finger or face matched.
    Approve,
    /// The user dismissed the prompt.
    Cancel,
    /// The phone refused (too many attempts, hardware error).
    Fail(String),
}

/// An in-memory biometric store for tests: an AES-256-GCM key per entry (sealing with
/// [`SealedKey`]'s framing, as the Android side does), scripted answers to the prompts, and
/// [`MemoryBiometric::invalidate`] to drop every key as a new fingerprint would.
pub struct MemoryBiometric {
    keys: Mutex<HashMap<String, Zeroizing<[u8; 32]>>>,
    answers: Mutex<VecDeque<PromptAnswer>>,
    kind: Mutex<Result<BiometricKind, BiometricError>>,
    prompts: Mutex<usize>,
}

impl Default for MemoryBiometric {
    fn default() -> MemoryBiometric {
        MemoryBiometric {
            keys: Mutex::default(),
            answers: Mutex::default(),
            kind: Mutex::new(Ok(BiometricKind::Fingerprint)),
            prompts: Mutex::default(),
        }
    }
}

impl MemoryBiometric {
    /// Queues the answers of the next prompts (each prompt takes one; approve when none is left).
    pub fn answer(&self, answers: &[PromptAnswer]) {
        self.lock_answers().extend(answers.iter().cloned());
    }

    /// Drops every key, as adding a fingerprint does on a phone.
    pub fn invalidate(&self) {
        self.keys.lock().expect("not poisoned").clear();
    }

    /// Sets what [`BiometricStore::kind`] answers.
    pub fn set_kind(&self, kind: Result<BiometricKind, BiometricError>) {
        *self.kind.lock().expect("not poisoned") = kind;
    }

    /// How many prompts were shown.
    pub fn prompts(&self) -> usize {
        *self.prompts.lock().expect("not poisoned")
    }

    /// How many keys it holds.
    pub fn keys(&self) -> usize {
        self.keys.lock().expect("not poisoned").len()
    }

    fn lock_answers(&self) -> std::sync::MutexGuard<'_, VecDeque<PromptAnswer>> {
        self.answers.lock().expect("not poisoned")
    }

    fn prompt(&self) -> Result<(), BiometricError> {
        self.kind()?;
        *self.prompts.lock().expect("not poisoned") += 1;
        match self.lock_answers().pop_front() {
            None | Some(PromptAnswer::Approve) => Ok(()),
            Some(PromptAnswer::Cancel) => Err(BiometricError::Cancelled("fingerprint")),
            Some(PromptAnswer::Fail(why)) => Err(BiometricError::Failed(why)),
        }
    }
}

impl BiometricStore for MemoryBiometric {
    fn kind(&self) -> Result<BiometricKind, BiometricError> {
        self.kind.lock().expect("not poisoned").clone()
    }

    fn seal(&self, entry: &str, secret: &[u8]) -> Result<Vec<u8>, BiometricError> {
        self.prompt()?;
        let mut keys = self.keys.lock().expect("not poisoned");
        let key = keys
            .entry(entry.to_owned())
            .or_insert_with(|| Zeroizing::new(rand::random()));
        let iv: [u8; 12] = rand::random();
        let ciphertext = Aes256Gcm::new(key.as_ref().into())
            .encrypt(Nonce::from_slice(&iv), secret)
            .map_err(|_| BiometricError::Failed("the test key did not encrypt".into()))?;
        Ok(SealedKey::new(iv.to_vec(), ciphertext)?.to_bytes())
    }

    fn open(&self, entry: &str, sealed: &[u8]) -> Result<Zeroizing<Vec<u8>>, BiometricError> {
        let key = self
            .keys
            .lock()
            .expect("not poisoned")
            .get(entry)
            .cloned()
            .ok_or(BiometricError::Invalidated)?;
        let sealed = SealedKey::parse(sealed)?;
        self.prompt()?;
        Aes256Gcm::new(key.as_ref().into())
            .decrypt(Nonce::from_slice(&sealed.iv[..12]), &sealed.ciphertext[..])
            .map(Zeroizing::new)
            .map_err(|_| BiometricError::Damaged)
    }

    fn delete(&self, entry: &str) -> Result<(), String> {
        self.keys.lock().expect("not poisoned").remove(entry);
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sealed_keys_round_trip_through_their_framing() {
        let key = SealedKey::new(vec![7; 12], vec![9; 48]).unwrap();
        let bytes = key.to_bytes();
        assert_eq!(bytes.len(), 2 + 12 + 48);
        assert_eq!(&bytes[..2], &[1, 12]);
        assert_eq!(SealedKey::parse(&bytes).unwrap(), key);
    }

    #[test]
    fn damaged_frames_are_refused() {
        let good = SealedKey::new(vec![7; 12], vec![9; 48]).unwrap().to_bytes();
        let mut other_version = good.clone();
        other_version[0] = 2;
        let mut long_iv = good.clone();
        long_iv[1] = 200;
        let cases: [&[u8]; 6] = [
            &[],
            &[1],
            &good[..20],
            &other_version,
            &long_iv,
            &[1, 12, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 5],
        ];
        for case in cases {
            assert_eq!(SealedKey::parse(case), Err(BiometricError::Damaged));
        }
        assert!(SealedKey::new(vec![0; 8], vec![0; 48]).is_err());
        assert!(SealedKey::new(vec![0; 12], vec![0; 2000]).is_err());
    }

    #[test]
    fn the_memory_store_seals_opens_and_forgets_like_a_phone() {
        let store = MemoryBiometric::default();
        let sealed = store.seal("e", &[5; 32]).unwrap();
        assert_eq!(store.open("e", &sealed).unwrap().as_slice(), &[5; 32]);
        assert_eq!(store.prompts(), 2);

        store.answer(&[
            PromptAnswer::Cancel,
            PromptAnswer::Fail("locked out".into()),
        ]);
        assert!(matches!(
            store.open("e", &sealed),
            Err(BiometricError::Cancelled(_))
        ));
        assert_eq!(
            store.open("e", &sealed),
            Err(BiometricError::Failed("locked out".into()))
        );

        let mut flipped = sealed.clone();
        *flipped.last_mut().unwrap() ^= 1;
        assert_eq!(store.open("e", &flipped), Err(BiometricError::Damaged));

        store.invalidate();
        assert_eq!(store.open("e", &sealed), Err(BiometricError::Invalidated));
        store.set_kind(Err(BiometricError::Unavailable("no fingerprint".into())));
        assert!(matches!(
            store.seal("e", &[1; 32]),
            Err(BiometricError::Unavailable(_))
        ));
    }
}

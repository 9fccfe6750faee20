//! The phone slots: the keystore slot over a keyring-core store (what Android uses, through
//! android-native-keyring-store) tested against keyring-core's mock store with injected
//! failures, and the biometric slot against the in-memory biometric store (cancel, failure,
//! invalidation, damage). In every case the password still opens the vault.

use std::path::{Path, PathBuf};
use std::sync::Arc;

use keyring_core::mock;
use tessera_core::otp::parse_otpauth;
use tessera_core::vault::{
    BiometricError, BiometricKind, BiometricStore, CredentialStoreKeystore, KdfParams, Keystore,
    MemoryBiometric, PromptAnswer, Vault, VaultError, generation_path,
};

const PASSWORD: &[u8] = b"correct horse battery staple";

fn new_vault(dir: &Path) -> (PathBuf, Vault) {
    let path = dir.join("tessera.vault");
    let mut vault = Vault::create(&path, PASSWORD, KdfParams::MINIMUM).unwrap();
    let enrolment =
        parse_otpauth("otpauth://totp/Contoso:alice?secret=JBSWY3DPEHPK3PXP&issuer=Contoso")
            .unwrap();
    vault.add(enrolment, 1).unwrap();
    (path, vault)
}

fn names(vault: &Vault) -> Vec<String> {
    vault.accounts().iter().map(|a| a.name.clone()).collect()
}

fn header(path: &Path) -> serde_json::Value {
    let bytes = std::fs::read(path).unwrap();
    let len = u32::from_le_bytes(bytes[16..20].try_into().unwrap()) as usize;
    serde_json::from_slice(&bytes[20..20 + len]).unwrap()
}

fn slot_types(path: &Path) -> Vec<String> {
    header(path)["slots"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["type"].as_str().unwrap().to_owned())
        .collect()
}

fn mock_keystore() -> (Arc<mock::Store>, CredentialStoreKeystore) {
    let store = mock::Store::new().unwrap();
    let shared: Arc<keyring_core::CredentialStore> = store.clone();
    (store, CredentialStoreKeystore::new(shared, "tessera"))
}

/// Makes the next call on the mock credential `entry` fail with `error`.
fn inject(store: &Arc<mock::Store>, entry: &str, error: keyring_core::Error) {
    let shared: Arc<keyring_core::CredentialStore> = store.clone();
    let handle = keyring_core::Entry::new_in_store(&shared, "tessera", entry).unwrap();
    let cred: &mock::Cred = handle.as_any().downcast_ref().unwrap();
    cred.set_error(error);
}

fn keystore_entry(path: &Path) -> String {
    header(path)["slots"][1]["entry"]
        .as_str()
        .unwrap()
        .to_owned()
}

#[test]
fn the_keyring_core_keystore_conforms_and_carries_the_slot() {
    let (_store, keystore) = mock_keystore();
    crate::vault::keystore::conformance(&keystore, "conformance");
    crate::vault::keystore::slot_life_cycle(&keystore);
}

#[test]
fn a_keystore_that_cannot_decrypt_its_entry_counts_as_gone_and_the_password_remakes_it() {
    let (store, keystore) = mock_keystore();
    let dir = tempfile::tempdir().unwrap();
    let (path, mut vault) = new_vault(dir.path());
    vault.enable_keystore(&keystore).unwrap();
    let entry = keystore_entry(&path);
    assert!(Vault::unlock_with_keystore(&path, &keystore).is_ok());

    // The app's data came back on another phone: the store's AndroidKeyStore key is gone.
    inject(
        &store,
        &entry,
        keyring_core::Error::BadStoreFormat("Encryption key not found".into()),
    );
    let error = Vault::unlock_with_keystore(&path, &keystore).unwrap_err();
    assert_eq!(
        error,
        VaultError::Keystore("the keystore entry is gone".into())
    );
    // Its entries no longer decrypt (the store made a new key); the bytes are never shown.
    inject(
        &store,
        &entry,
        keyring_core::Error::BadDataFormat(vec![0xAB; 48], "Decryption failed".into()),
    );
    let error = Vault::unlock_with_keystore(&path, &keystore).unwrap_err();
    assert!(!format!("{error} {error:?}").contains("171"), "{error:?}");
    assert_eq!(
        error,
        VaultError::Keystore("the keystore entry is gone".into())
    );

    // A locked or failing store is an error that says so, and changes nothing.
    inject(
        &store,
        &entry,
        keyring_core::Error::NoStorageAccess("user not signed in".into()),
    );
    let error = Vault::unlock_with_keystore(&path, &keystore).unwrap_err();
    assert!(error.to_string().contains("refused access"), "{error}");
    assert!(error.advice().contains("password"));

    // Missing entry: the password opens it and the slot is made again under a new entry.
    keystore.delete(&entry).unwrap();
    let (mut vault, _) = Vault::unlock(&path, PASSWORD).unwrap();
    assert!(vault.repair_keystore(&keystore).unwrap());
    assert_ne!(keystore_entry(&path), entry);
    assert_eq!(
        names(&Vault::unlock_with_keystore(&path, &keystore).unwrap().0),
        ["alice"]
    );
}

#[test]
fn a_keystore_entry_of_another_slot_does_not_open_the_vault() {
    let (_store, keystore) = mock_keystore();
    let dir = tempfile::tempdir().unwrap();
    let (path, mut vault) = new_vault(dir.path());
    vault.enable_keystore(&keystore).unwrap();
    let entry = keystore_entry(&path);
    // Another vault's slot key, and a value of the wrong size.
    keystore.set(&entry, &[7; 32]).unwrap();
    let changed = VaultError::Keystore("the keystore entry was changed".into());
    assert_eq!(
        Vault::unlock_with_keystore(&path, &keystore).unwrap_err(),
        changed
    );
    keystore.set(&entry, &[7; 16]).unwrap();
    assert_eq!(
        Vault::unlock_with_keystore(&path, &keystore).unwrap_err(),
        changed
    );
    assert_eq!(names(&Vault::unlock(&path, PASSWORD).unwrap().0), ["alice"]);
}

#[test]
fn biometric_unlock_opens_the_vault_after_one_check_and_keeps_the_password_slot() {
    let phone = MemoryBiometric::default();
    let dir = tempfile::tempdir().unwrap();
    let (path, mut vault) = new_vault(dir.path());
    assert!(matches!(
        Vault::unlock_with_biometric(&path, &phone),
        Err(VaultError::Biometric(BiometricError::Unavailable(_)))
    ));
    vault.enable_biometric(&phone).unwrap();
    assert!(vault.has_biometric_slot());
    assert_eq!(slot_types(&path), ["password", "biometric"]);
    assert_eq!(phone.prompts(), 1, "sealing asks for the finger once");

    let (opened, _) = Vault::unlock_with_biometric(&path, &phone).unwrap();
    assert_eq!(names(&opened), ["alice"]);
    assert_eq!(phone.prompts(), 2);
    assert_eq!(names(&Vault::unlock(&path, PASSWORD).unwrap().0), ["alice"]);

    // The slot keeps only what the phone sealed: no slot key in the clear.
    let slot = &header(&path)["slots"][1];
    let sealed = slot["sealed"].as_str().unwrap();
    use base64::Engine;
    let framed = base64::engine::general_purpose::STANDARD
        .decode(sealed)
        .unwrap();
    assert_eq!(framed.len(), 2 + 12 + 32 + 16, "version, IV, key and tag");

    // Turning it on again replaces the slot and deletes the old phone key.
    vault.enable_biometric(&phone).unwrap();
    assert_eq!(slot_types(&path), ["password", "biometric"]);
    assert_eq!(phone.keys(), 1);
    vault.disable_biometric(&phone).unwrap();
    assert_eq!(slot_types(&path), ["password"]);
    assert_eq!(phone.keys(), 0);
}

#[test]
fn a_cancelled_or_failed_check_opens_nothing_and_changes_nothing() {
    let phone = MemoryBiometric::default();
    let dir = tempfile::tempdir().unwrap();
    let (path, mut vault) = new_vault(dir.path());
    vault.enable_biometric(&phone).unwrap();
    let before = std::fs::read(&path).unwrap();
    phone.answer(&[
        PromptAnswer::Cancel,
        PromptAnswer::Fail("too many attempts".into()),
    ]);
    let cancelled = Vault::unlock_with_biometric(&path, &phone).unwrap_err();
    assert!(matches!(
        cancelled,
        VaultError::Biometric(BiometricError::Cancelled(_))
    ));
    assert!(cancelled.advice().contains("password"));
    assert_eq!(
        Vault::unlock_with_biometric(&path, &phone).unwrap_err(),
        VaultError::Biometric(BiometricError::Failed("too many attempts".into()))
    );
    assert_eq!(std::fs::read(&path).unwrap(), before);
    // Turning it on and being cancelled leaves the old slot and no new phone key.
    phone.answer(&[PromptAnswer::Cancel]);
    assert!(vault.enable_biometric(&phone).is_err());
    assert_eq!(std::fs::read(&path).unwrap(), before);
    assert_eq!(phone.keys(), 1);
    assert!(Vault::unlock_with_biometric(&path, &phone).is_ok());
}

#[test]
fn an_invalidated_phone_key_leaves_the_password_and_biometrics_can_be_enrolled_again() {
    let phone = MemoryBiometric::default();
    let dir = tempfile::tempdir().unwrap();
    let (path, mut vault) = new_vault(dir.path());
    vault.enable_biometric(&phone).unwrap();
    vault.lock();
    // A new fingerprint was added: the phone dropped the key.
    phone.invalidate();
    let error = Vault::unlock_with_biometric(&path, &phone).unwrap_err();
    assert_eq!(error, VaultError::Biometric(BiometricError::Invalidated));
    assert!(error.to_string().contains("stopped working"), "{error}");
    assert!(
        error.advice().contains("nothing is lost"),
        "{}",
        error.advice()
    );
    let (mut vault, _) = Vault::unlock(&path, PASSWORD).unwrap();
    assert_eq!(names(&vault), ["alice"]);
    vault.enable_biometric(&phone).unwrap();
    assert_eq!(
        names(&Vault::unlock_with_biometric(&path, &phone).unwrap().0),
        ["alice"]
    );
}

#[test]
fn a_damaged_biometric_slot_is_reported_and_the_password_still_opens() {
    let phone = MemoryBiometric::default();
    let dir = tempfile::tempdir().unwrap();
    let (path, mut vault) = new_vault(dir.path());
    vault.enable_biometric(&phone).unwrap();
    let entry = vault.biometric_entry().unwrap();
    // The phone's key released something that is not this slot's key.
    let other = phone.seal(&entry, &[3; 32]).unwrap();
    let original = header(&path)["slots"][1]["sealed"]
        .as_str()
        .unwrap()
        .to_owned();
    use base64::Engine;
    let b64 = base64::engine::general_purpose::STANDARD;
    let forged = crate::vault::forge_header(&std::fs::read(&path).unwrap(), |h| {
        h["slots"][1]["sealed"] = b64.encode(&other).into();
    });
    std::fs::write(&path, forged).unwrap();
    assert_eq!(
        Vault::unlock_with_biometric(&path, &phone).unwrap_err(),
        VaultError::Biometric(BiometricError::Damaged)
    );
    // A frame cut short.
    let cut = crate::vault::forge_header(&std::fs::read(&path).unwrap(), |h| {
        h["slots"][1]["sealed"] = b64.encode(&b64.decode(&original).unwrap()[..20]).into();
    });
    std::fs::write(&path, cut).unwrap();
    assert_eq!(
        Vault::unlock_with_biometric(&path, &phone).unwrap_err(),
        VaultError::Biometric(BiometricError::Damaged)
    );
    assert_eq!(names(&Vault::unlock(&path, PASSWORD).unwrap().0), ["alice"]);
}

#[test]
fn an_older_generation_opens_without_a_second_check() {
    let phone = MemoryBiometric::default();
    let dir = tempfile::tempdir().unwrap();
    let (path, mut vault) = new_vault(dir.path());
    vault.enable_biometric(&phone).unwrap();
    let enrolment =
        parse_otpauth("otpauth://totp/Fabrikam:bob?secret=GEZDGNBVGY3TQOJQ&issuer=Fabrikam")
            .unwrap();
    vault.add(enrolment, 2).unwrap();
    vault.lock();
    assert!(generation_path(&path, 1).exists());
    let mut bytes = std::fs::read(&path).unwrap();
    let middle = bytes.len() / 2;
    bytes[middle] ^= 0xFF;
    std::fs::write(&path, bytes).unwrap();
    let prompts = phone.prompts();
    let (opened, report) = Vault::unlock_with_biometric(&path, &phone).unwrap();
    assert_eq!(report.generation, 1);
    assert_eq!(names(&opened), ["alice"]);
    assert_eq!(phone.prompts(), prompts + 1, "one check for both files");
}

#[test]
fn a_password_change_drops_the_biometric_slot_and_says_which_phone_key_to_delete() {
    let phone = MemoryBiometric::default();
    let dir = tempfile::tempdir().unwrap();
    let (path, mut vault) = new_vault(dir.path());
    vault.enable_biometric(&phone).unwrap();
    let entry = vault.biometric_entry().unwrap();
    vault
        .change_password(b"a new password", KdfParams::MINIMUM, None)
        .unwrap();
    assert!(!vault.has_biometric_slot(), "it wrapped the old key");
    assert_eq!(slot_types(&path), ["password"]);
    phone.delete(&entry).unwrap();
    assert_eq!(phone.keys(), 0);
}

#[test]
fn a_slot_prepared_before_a_password_change_is_refused_and_its_phone_key_deleted() {
    let phone = MemoryBiometric::default();
    let dir = tempfile::tempdir().unwrap();
    let (path, mut vault) = new_vault(dir.path());
    assert!(!Vault::file_has_biometric_slot(&path));
    let prepared = vault.password_check().prepare_biometric(&phone).unwrap();
    assert_eq!(phone.keys(), 1);
    vault
        .change_password(b"a new password", KdfParams::MINIMUM, None)
        .unwrap();
    assert!(matches!(
        vault.apply_biometric(prepared, &phone),
        Err(VaultError::ChangedElsewhere(_))
    ));
    assert_eq!(phone.keys(), 0);
    assert!(!Vault::file_has_biometric_slot(&path));
    let prepared = vault.password_check().prepare_biometric(&phone).unwrap();
    vault.apply_biometric(prepared, &phone).unwrap();
    assert!(Vault::file_has_biometric_slot(&path));
}

#[test]
fn re_authentication_by_biometric_checks_the_session_key() {
    let phone = MemoryBiometric::default();
    let dir = tempfile::tempdir().unwrap();
    let (_path, mut vault) = new_vault(dir.path());
    assert!(!vault.password_check().has_biometric());
    vault.enable_biometric(&phone).unwrap();
    let check = vault.password_check();
    assert!(check.has_biometric());
    check.verify_biometric(&phone).unwrap();
    phone.answer(&[PromptAnswer::Cancel]);
    assert!(check.verify_biometric(&phone).is_err());
    assert_eq!(phone.kind(), Ok(BiometricKind::Fingerprint));
    assert_eq!(BiometricKind::Face.name(), "face");
}

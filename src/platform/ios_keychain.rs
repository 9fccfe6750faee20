//! The iOS Keychain slots, both kept on this device only (`...ThisDeviceOnly`), so neither an
//! iCloud backup nor an encrypted iTunes/Finder backup restored to another iPhone carries a
//! usable key:
//!
//! - [`IosKeychain`], the keystore slot: a generic password under the service `tessera`,
//!   `kSecAttrAccessibleWhenUnlockedThisDeviceOnly`.
//! - [`IosBiometric`], the biometric slot: a generic password under `tessera-biometric` with a
//!   `SecAccessControl` of `biometryCurrentSet` and `kSecAttrAccessibleWhenPasscodeSetThisDeviceOnly`.
//!   Reading it makes iOS show Face ID or Touch ID and release the bytes only on a match; a
//!   changed enrolment (a new face or finger) or a removed passcode makes iOS delete it, which
//!   Tessera reports as [`BiometricError::Invalidated`].
//!
//! Reads can block on the biometric check, so they run on a job's worker thread.

use objc2_local_authentication::{LABiometryType, LAContext, LAPolicy};
use security_framework::access_control::{ProtectionMode, SecAccessControl};
use security_framework::passwords::{
    AccessControlOptions, PasswordOptions, delete_generic_password_options, generic_password,
    set_generic_password_options,
};
use tessera_core::vault::{BiometricError, BiometricKind, BiometricStore, Keystore};
use zeroize::Zeroizing;

const KEYSTORE_SERVICE: &str = "tessera";
const BIOMETRIC_SERVICE: &str = "tessera-biometric";

// OSStatus codes (Security/SecBase.h).
const ERR_ITEM_NOT_FOUND: i32 = -25300;
const ERR_USER_CANCELED: i32 = -128;
const ERR_AUTH_FAILED: i32 = -25293;
const ERR_INTERACTION_NOT_ALLOWED: i32 = -25308;

// LAError codes (LocalAuthentication/LAError.h).
const LA_PASSCODE_NOT_SET: isize = -5;
const LA_BIOMETRY_NOT_ENROLLED: isize = -7;
const LA_BIOMETRY_LOCKOUT: isize = -8;

fn describe(error: security_framework::base::Error) -> String {
    match error.code() {
        ERR_INTERACTION_NOT_ALLOWED => "the iPhone is locked; unlock it and try again".into(),
        code => format!("the Keychain refused (OSStatus {code})"),
    }
}

/// The keystore slot in the Keychain, this device only.
pub struct IosKeychain;

impl Keystore for IosKeychain {
    fn get(&self, entry: &str) -> Result<Option<Zeroizing<Vec<u8>>>, String> {
        match generic_password(PasswordOptions::new_generic_password(
            KEYSTORE_SERVICE,
            entry,
        )) {
            Ok(secret) => Ok(Some(Zeroizing::new(secret))),
            Err(e) if e.code() == ERR_ITEM_NOT_FOUND => Ok(None),
            Err(e) => Err(describe(e)),
        }
    }

    fn set(&self, entry: &str, secret: &[u8]) -> Result<(), String> {
        let _ = self.delete(entry);
        let mut options = PasswordOptions::new_generic_password(KEYSTORE_SERVICE, entry);
        let access = SecAccessControl::create_with_protection(
            Some(ProtectionMode::AccessibleWhenUnlockedThisDeviceOnly),
            0,
        )
        .map_err(describe)?;
        options.set_access_control(access);
        set_generic_password_options(secret, options).map_err(describe)
    }

    fn delete(&self, entry: &str) -> Result<(), String> {
        delete(KEYSTORE_SERVICE, entry)
    }
}

fn delete(service: &str, entry: &str) -> Result<(), String> {
    match delete_generic_password_options(PasswordOptions::new_generic_password(service, entry)) {
        Err(e) if e.code() != ERR_ITEM_NOT_FOUND => Err(describe(e)),
        _ => Ok(()),
    }
}

/// The biometric slot in the Keychain: Face ID or Touch ID of the current enrolment.
pub struct IosBiometric;

impl BiometricStore for IosBiometric {
    fn kind(&self) -> Result<BiometricKind, BiometricError> {
        // SAFETY: LAContext is created, asked and dropped on this thread; the calls take no
        // pointers of ours.
        unsafe {
            let context = LAContext::new();
            match context.canEvaluatePolicy_error(LAPolicy::DeviceOwnerAuthenticationWithBiometrics)
            {
                Ok(()) => Ok(match context.biometryType() {
                    LABiometryType::FaceID => BiometricKind::Face,
                    LABiometryType::TouchID => BiometricKind::Fingerprint,
                    _ => BiometricKind::Any,
                }),
                Err(error) => Err(BiometricError::Unavailable(match error.code() {
                    LA_BIOMETRY_NOT_ENROLLED => {
                        "no face or fingerprint is set up in the iPhone's settings".into()
                    }
                    LA_PASSCODE_NOT_SET => "set a passcode on the iPhone first".into(),
                    LA_BIOMETRY_LOCKOUT => {
                        "Face ID or Touch ID is locked after too many attempts; unlock the iPhone with its passcode first".into()
                    }
                    _ => "this iPhone offers no Face ID or Touch ID".into(),
                })),
            }
        }
    }

    /// Keeps `secret` in the Keychain behind the biometric check; the slot itself keeps
    /// nothing (the returned bytes are empty).
    fn seal(&self, entry: &str, secret: &[u8]) -> Result<Vec<u8>, BiometricError> {
        self.kind()?;
        // Face ID and Touch ID make the app inactive: that is not the user leaving.
        let _open = super::lifecycle::SystemDialog::open();
        let _ = delete(BIOMETRIC_SERVICE, entry);
        let access = SecAccessControl::create_with_protection(
            Some(ProtectionMode::AccessibleWhenPasscodeSetThisDeviceOnly),
            AccessControlOptions::BIOMETRY_CURRENT_SET.bits(),
        )
        .map_err(|e| BiometricError::Failed(describe(e)))?;
        let mut options = PasswordOptions::new_generic_password(BIOMETRIC_SERVICE, entry);
        options.set_access_control(access);
        set_generic_password_options(secret, options)
            .map_err(|e| BiometricError::Failed(describe(e)))?;
        Ok(Vec::new())
    }

    fn open(&self, entry: &str, _sealed: &[u8]) -> Result<Zeroizing<Vec<u8>>, BiometricError> {
        let _open = super::lifecycle::SystemDialog::open();
        match generic_password(PasswordOptions::new_generic_password(
            BIOMETRIC_SERVICE,
            entry,
        )) {
            Ok(secret) => Ok(Zeroizing::new(secret)),
            Err(e) => Err(match e.code() {
                ERR_ITEM_NOT_FOUND => BiometricError::Invalidated,
                ERR_USER_CANCELED => BiometricError::Cancelled("Face ID or Touch ID"),
                ERR_AUTH_FAILED => {
                    BiometricError::Failed("Face ID or Touch ID did not recognise you".into())
                }
                _ => BiometricError::Failed(describe(e)),
            }),
        }
    }

    fn delete(&self, entry: &str) -> Result<(), String> {
        delete(BIOMETRIC_SERVICE, entry)
    }
}

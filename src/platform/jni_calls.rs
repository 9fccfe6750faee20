//! The Java methods Tessera calls on Android, each with its JNI descriptor: the pure part of
//! the JNI glue ([`super::android`]), compiled and tested on every platform. A descriptor that
//! does not match the Kotlin method fails only at run time on a phone (`NoSuchMethodError`),
//! so `tests/phone_config.rs` derives each descriptor from `android/MainActivity.kt` with
//! [`descriptor`] and compares.

/// A method: where it is, its name and its JNI descriptor.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Method {
    /// `MainActivity` (ours) or an Android class (`Context`, `File`).
    pub class: &'static str,
    /// The method's name.
    pub name: &'static str,
    /// Its JNI descriptor, e.g. `(Ljava/lang/String;)Z`.
    pub descriptor: &'static str,
}

const fn activity(name: &'static str, descriptor: &'static str) -> Method {
    Method {
        class: "MainActivity",
        name,
        descriptor,
    }
}

/// `Context.getNoBackupFilesDir()`: the vault's folder.
pub const NO_BACKUP_FILES_DIR: Method = Method {
    class: "android.content.Context",
    name: "getNoBackupFilesDir",
    descriptor: "()Ljava/io/File;",
};
/// `File.getAbsolutePath()`.
pub const ABSOLUTE_PATH: Method = Method {
    class: "java.io.File",
    name: "getAbsolutePath",
    descriptor: "()Ljava/lang/String;",
};
/// Screenshots allowed (true) or forbidden (FLAG_SECURE), now and at every start.
pub const SET_SCREENSHOTS_ALLOWED: Method = activity("setScreenshotsAllowed", "(Z)V");
/// The system's "create document" dialog: a URI, or null when cancelled.
pub const CREATE_DOCUMENT: Method = activity(
    "createDocument",
    "(Ljava/lang/String;Ljava/lang/String;)Ljava/lang/String;",
);
/// The system's "open document" dialog: a URI, or null when cancelled.
pub const OPEN_DOCUMENT: Method = activity("openDocument", "()Ljava/lang/String;");
/// Writes the whole document.
pub const WRITE_DOCUMENT: Method = activity("writeDocument", "(Ljava/lang/String;[B)V");
/// Reads the whole document, up to a limit.
pub const READ_DOCUMENT: Method = activity("readDocument", "(Ljava/lang/String;I)[B");
/// The document's name as the user sees it.
pub const DOCUMENT_NAME: Method =
    activity("documentName", "(Ljava/lang/String;)Ljava/lang/String;");
/// Deletes a document Tessera created.
pub const DELETE_DOCUMENT: Method = activity("deleteDocument", "(Ljava/lang/String;)Z");
/// The share sheet for a document Tessera wrote.
pub const SHARE_DOCUMENT: Method =
    activity("shareDocument", "(Ljava/lang/String;Ljava/lang/String;)V");
/// The system's folder picker for the sync folder: a tree URI with a persistable grant, or
/// null when cancelled.
pub const PICK_FOLDER: Method = activity("pickFolder", "()Ljava/lang/String;");
/// The sync folder's files, one `name<TAB>last modified ms` per line.
pub const LIST_FOLDER: Method = activity("listFolder", "(Ljava/lang/String;)Ljava/lang/String;");
/// A file of the sync folder by name, up to a limit; null when there is none.
pub const READ_IN_FOLDER: Method =
    activity("readInFolder", "(Ljava/lang/String;Ljava/lang/String;I)[B");
/// Replaces a file of the sync folder whole (a temporary file renamed over it).
pub const WRITE_IN_FOLDER: Method =
    activity("writeInFolder", "(Ljava/lang/String;Ljava/lang/String;[B)V");
/// Copies a code, marked sensitive.
pub const COPY_SENSITIVE: Method = activity("copySensitive", "(Ljava/lang/String;)V");
/// Clears the clipboard if it still holds the code.
pub const CLEAR_CLIPBOARD_IF: Method = activity("clearClipboardIf", "(Ljava/lang/String;)Z");

/// Which strong biometric the phone offers (one of the `BIO_*` answers below).
pub const BIOMETRIC_AVAILABILITY: Method = activity("biometricAvailability", "()I");
/// Seals a slot key under the biometric key `alias` (made if missing) after the prompt;
/// answers through `onBiometricResult` with the request id.
pub const BIOMETRIC_SEAL: Method = activity("biometricSeal", "(ILjava/lang/String;[B)V");
/// Opens a sealed slot key (IV, ciphertext and tag) after the prompt; answers likewise.
pub const BIOMETRIC_OPEN: Method = activity("biometricOpen", "(ILjava/lang/String;[B[B)V");
/// Deletes the biometric key `alias`.
pub const BIOMETRIC_DELETE: Method = activity("biometricDelete", "(Ljava/lang/String;)V");

/// Every method Tessera calls on its own activity.
pub const ACTIVITY_METHODS: [Method; 18] = [
    SET_SCREENSHOTS_ALLOWED,
    CREATE_DOCUMENT,
    OPEN_DOCUMENT,
    WRITE_DOCUMENT,
    READ_DOCUMENT,
    DOCUMENT_NAME,
    DELETE_DOCUMENT,
    SHARE_DOCUMENT,
    PICK_FOLDER,
    LIST_FOLDER,
    READ_IN_FOLDER,
    WRITE_IN_FOLDER,
    COPY_SENSITIVE,
    CLEAR_CLIPBOARD_IF,
    BIOMETRIC_AVAILABILITY,
    BIOMETRIC_SEAL,
    BIOMETRIC_OPEN,
    BIOMETRIC_DELETE,
];

/// The native method the activity calls with a prompt's answer (`external fun` in Kotlin,
/// `Java_dev_dioxus_main_MainActivity_onBiometricResult` in Rust): request id, one of the
/// `PROMPT_*` codes, the IV and data (both null unless it succeeded), and the system's message.
pub const ON_BIOMETRIC_RESULT: Method =
    activity("onBiometricResult", "(II[B[BLjava/lang/String;)V");

/// `biometricAvailability()`'s answers and the prompt's `PROMPT_*` codes, as the companion
/// object of `MainActivity.kt` defines them (`tests/phone_config.rs` compares).
pub mod codes {
    /// The phone has no biometric sensor of the strong class.
    pub const BIO_NO_HARDWARE: i32 = 0;
    /// It has one, but no fingerprint or face is enrolled.
    pub const BIO_NONE_ENROLLED: i32 = 1;
    /// Android older than 11 (crypto-bound strong biometrics need API 30).
    pub const BIO_OLD_ANDROID: i32 = 2;
    /// Fingerprint only.
    pub const BIO_FINGERPRINT: i32 = 10;
    /// Face only.
    pub const BIO_FACE: i32 = 11;
    /// Several kinds, or Android does not say which.
    pub const BIO_ANY: i32 = 12;

    /// The check passed and the cipher ran: IV and data follow.
    pub const PROMPT_OK: i32 = 0;
    /// Dismissed, or "Use password" chosen.
    pub const PROMPT_CANCELLED: i32 = 1;
    /// Lockout, hardware error, or the cipher failed.
    pub const PROMPT_FAILED: i32 = 2;
    /// The key is gone or permanently invalidated (new biometrics enrolled).
    pub const PROMPT_INVALIDATED: i32 = 3;
    /// No strong biometric now (none enrolled, too old an Android).
    pub const PROMPT_UNAVAILABLE: i32 = 4;
    /// The sealed data did not decrypt (its tag failed).
    pub const PROMPT_DAMAGED: i32 = 5;

    /// Every code by its Kotlin name.
    pub const ALL: [(&str, i32); 12] = [
        ("BIO_NO_HARDWARE", BIO_NO_HARDWARE),
        ("BIO_NONE_ENROLLED", BIO_NONE_ENROLLED),
        ("BIO_OLD_ANDROID", BIO_OLD_ANDROID),
        ("BIO_FINGERPRINT", BIO_FINGERPRINT),
        ("BIO_FACE", BIO_FACE),
        ("BIO_ANY", BIO_ANY),
        ("PROMPT_OK", PROMPT_OK),
        ("PROMPT_CANCELLED", PROMPT_CANCELLED),
        ("PROMPT_FAILED", PROMPT_FAILED),
        ("PROMPT_INVALIDATED", PROMPT_INVALIDATED),
        ("PROMPT_UNAVAILABLE", PROMPT_UNAVAILABLE),
        ("PROMPT_DAMAGED", PROMPT_DAMAGED),
    ];
}

/// The JNI type of a Kotlin type as written in a signature (`String?`, `ByteArray`, `Int`,
/// `Boolean`, `Unit`); `None` for a type the glue does not use.
pub fn jni_type(kotlin: &str) -> Option<&'static str> {
    Some(match kotlin.trim().trim_end_matches('?') {
        "String" => "Ljava/lang/String;",
        "ByteArray" => "[B",
        "Int" => "I",
        "Long" => "J",
        "Boolean" => "Z",
        "Unit" | "" => "V",
        _ => return None,
    })
}

/// The JNI descriptor of a Kotlin method with these parameter types and return type.
pub fn descriptor(parameters: &[&str], returns: &str) -> Option<String> {
    let mut out = String::from("(");
    for p in parameters {
        out.push_str(jni_type(p)?);
    }
    out.push(')');
    out.push_str(jni_type(returns)?);
    Some(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn descriptors_follow_the_jni_rules() {
        assert_eq!(descriptor(&["Boolean"], "").as_deref(), Some("(Z)V"));
        assert_eq!(
            descriptor(&["String", "ByteArray"], "Unit").as_deref(),
            Some("(Ljava/lang/String;[B)V")
        );
        assert_eq!(
            descriptor(&["String", "Int"], "ByteArray").as_deref(),
            Some("(Ljava/lang/String;I)[B")
        );
        assert_eq!(
            descriptor(&[], "String?").as_deref(),
            Some("()Ljava/lang/String;")
        );
        assert_eq!(
            descriptor(
                &["Int", "Int", "ByteArray?", "ByteArray?", "String?"],
                "Unit"
            )
            .as_deref(),
            Some(ON_BIOMETRIC_RESULT.descriptor)
        );
        assert_eq!(
            descriptor(&["Uri"], ""),
            None,
            "an unknown type is not guessed"
        );
    }

    #[test]
    fn every_constant_is_well_formed() {
        for m in ACTIVITY_METHODS
            .iter()
            .chain([&NO_BACKUP_FILES_DIR, &ABSOLUTE_PATH])
        {
            assert!(m.descriptor.starts_with('('), "{m:?}");
            let (params, ret) = m.descriptor[1..].split_once(')').expect("a closing )");
            assert!(!ret.is_empty(), "{m:?}");
            assert!(params.chars().all(|c| c.is_ascii_graphic()), "{m:?}");
        }
    }
}

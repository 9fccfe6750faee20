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
/// Copies a code, marked sensitive.
pub const COPY_SENSITIVE: Method = activity("copySensitive", "(Ljava/lang/String;)V");
/// Clears the clipboard if it still holds the code.
pub const CLEAR_CLIPBOARD_IF: Method = activity("clearClipboardIf", "(Ljava/lang/String;)Z");

/// Every method Tessera calls on its own activity.
pub const ACTIVITY_METHODS: [Method; 10] = [
    SET_SCREENSHOTS_ALLOWED,
    CREATE_DOCUMENT,
    OPEN_DOCUMENT,
    WRITE_DOCUMENT,
    READ_DOCUMENT,
    DOCUMENT_NAME,
    DELETE_DOCUMENT,
    SHARE_DOCUMENT,
    COPY_SENSITIVE,
    CLEAR_CLIPBOARD_IF,
];

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

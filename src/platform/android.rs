//! The JNI glue to Android: calls from Rust into the activity (`android/MainActivity.kt`) and
//! the `Context`, through the Java VM and activity that tao records in `ndk-context`. The
//! methods and their descriptors are in [`super::jni_calls`], checked against the Kotlin file.
//!
//! Every call attaches the calling thread to the VM for its duration. The document dialogs
//! wait for the user's answer, so they are called from a job's worker thread only, never from
//! the UI thread (the Kotlin side refuses that instead of freezing).
//!
//! Java strings cannot be wiped: a code handed to the clipboard stays in the Java heap until
//! the collector reuses it (as it does in every Android clipboard).

use jni::objects::{JByteArray, JObject, JString, JValue};
use jni::{JNIEnv, JavaVM};

use super::jni_calls::{self, Method};

/// Runs `work` with a JNI environment and the activity; a Java exception becomes its message.
pub(super) fn with_activity<R>(
    work: impl FnOnce(&mut JNIEnv, &JObject) -> jni::errors::Result<R>,
) -> Result<R, String> {
    let context = ndk_context::android_context();
    // SAFETY: tao stores the process's Java VM and the activity (a global reference) in
    // ndk-context before Rust's main runs, and clears them only when the activity is destroyed.
    let vm = unsafe { JavaVM::from_raw(context.vm().cast()) }.map_err(|e| e.to_string())?;
    let mut env = vm.attach_current_thread().map_err(|e| e.to_string())?;
    // SAFETY: as above; the reference outlives this call, and JObject does not free it.
    let activity = unsafe { JObject::from_raw(context.context().cast()) };
    match work(&mut env, &activity) {
        Ok(value) => Ok(value),
        Err(jni::errors::Error::JavaException) => Err(exception_message(&mut env)),
        Err(e) => Err(e.to_string()),
    }
}

/// The pending Java exception's message (cleared, so that JNI calls can go on).
fn exception_message(env: &mut JNIEnv) -> String {
    let Ok(throwable) = env.exception_occurred() else {
        return "the system refused without saying why".into();
    };
    let _ = env.exception_clear();
    let message = env
        .call_method(&throwable, "getMessage", "()Ljava/lang/String;", &[])
        .and_then(|v| v.l());
    match message {
        Ok(text) if !text.is_null() => {
            let text = JString::from(text);
            env.get_string(&text)
                .map(String::from)
                .unwrap_or_else(|_| "the system refused".into())
        }
        _ => {
            let _ = env.exception_clear();
            "the system refused without saying why".into()
        }
    }
}

pub(super) fn call<'local>(
    env: &mut JNIEnv<'local>,
    target: &JObject,
    method: Method,
    args: &[JValue],
) -> jni::errors::Result<jni::objects::JValueOwned<'local>> {
    env.call_method(target, method.name, method.descriptor, args)
}

fn string_or_null(env: &mut JNIEnv, value: JObject) -> jni::errors::Result<Option<String>> {
    if value.is_null() {
        return Ok(None);
    }
    let text = JString::from(value);
    Ok(Some(env.get_string(&text)?.into()))
}

/// The app's no-backup files folder (created by Android on first use).
pub fn no_backup_files_dir() -> Result<std::path::PathBuf, String> {
    let path = with_activity(|env, activity| {
        let file = call(env, activity, jni_calls::NO_BACKUP_FILES_DIR, &[])?.l()?;
        if file.is_null() {
            return Ok(None);
        }
        let path = call(env, &file, jni_calls::ABSOLUTE_PATH, &[])?.l()?;
        string_or_null(env, path)
    })?;
    path.map(std::path::PathBuf::from)
        .ok_or_else(|| "Android gave no files folder for the app".into())
}

/// Allows (true) or forbids screenshots of the app.
pub fn set_screenshots_allowed(allowed: bool) -> Result<(), String> {
    with_activity(|env, activity| {
        call(
            env,
            activity,
            jni_calls::SET_SCREENSHOTS_ALLOWED,
            &[JValue::Bool(u8::from(allowed))],
        )?
        .v()
    })
}

/// Copies `text`, marked sensitive.
pub fn copy_sensitive(text: &str) -> Result<(), String> {
    with_activity(|env, activity| {
        let text = env.new_string(text)?;
        call(
            env,
            activity,
            jni_calls::COPY_SENSITIVE,
            &[JValue::Object(&text)],
        )?
        .v()
    })
}

/// Clears the clipboard if it still holds `text` (later, when Tessera is in front again, if
/// Android hides the clipboard now); true when it was cleared now.
pub fn clear_clipboard_if(text: &str) -> bool {
    with_activity(|env, activity| {
        let text = env.new_string(text)?;
        call(
            env,
            activity,
            jni_calls::CLEAR_CLIPBOARD_IF,
            &[JValue::Object(&text)],
        )?
        .z()
    })
    .unwrap_or(false)
}

/// Asks the user where to create a document called `name` (waits for the answer; call from a
/// worker thread). `None` when cancelled.
pub fn create_document(name: &str, mime: &str) -> Result<Option<String>, String> {
    with_activity(|env, activity| {
        let name = env.new_string(name)?;
        let mime = env.new_string(mime)?;
        let uri = call(
            env,
            activity,
            jni_calls::CREATE_DOCUMENT,
            &[JValue::Object(&name), JValue::Object(&mime)],
        )?
        .l()?;
        string_or_null(env, uri)
    })
}

/// Asks the user which document to open (waits; worker thread only). `None` when cancelled.
pub fn open_document() -> Result<Option<String>, String> {
    with_activity(|env, activity| {
        let uri = call(env, activity, jni_calls::OPEN_DOCUMENT, &[])?.l()?;
        string_or_null(env, uri)
    })
}

/// Writes `bytes` as the whole document at `uri`.
pub fn write_document(uri: &str, bytes: &[u8]) -> Result<(), String> {
    with_activity(|env, activity| {
        let uri = env.new_string(uri)?;
        let data = env.byte_array_from_slice(bytes)?;
        call(
            env,
            activity,
            jni_calls::WRITE_DOCUMENT,
            &[JValue::Object(&uri), JValue::Object(&data)],
        )?
        .v()
    })
}

/// Reads the whole document at `uri`, refusing one larger than `max` bytes.
pub fn read_document(uri: &str, max: usize) -> Result<Vec<u8>, String> {
    let max = i32::try_from(max).unwrap_or(i32::MAX);
    with_activity(|env, activity| {
        let uri = env.new_string(uri)?;
        let data = call(
            env,
            activity,
            jni_calls::READ_DOCUMENT,
            &[JValue::Object(&uri), JValue::Int(max)],
        )?
        .l()?;
        env.convert_byte_array(JByteArray::from(data))
    })
}

/// Asks the user for the sync folder (waits; worker thread only). `None` when cancelled.
pub fn pick_folder() -> Result<Option<String>, String> {
    with_activity(|env, activity| {
        let uri = call(env, activity, jni_calls::PICK_FOLDER, &[])?.l()?;
        string_or_null(env, uri)
    })
}

/// The sync folder's listing, as `listFolder` writes it (see [`super::sync_folder`]).
pub fn list_folder(tree: &str) -> Result<String, String> {
    with_activity(|env, activity| {
        let tree = env.new_string(tree)?;
        let text = call(
            env,
            activity,
            jni_calls::LIST_FOLDER,
            &[JValue::Object(&tree)],
        )?
        .l()?;
        Ok(string_or_null(env, text)?.unwrap_or_default())
    })
}

/// A file of the sync folder; `None` when there is none by that name.
pub fn read_in_folder(tree: &str, name: &str, max: usize) -> Result<Option<Vec<u8>>, String> {
    let max = i32::try_from(max).unwrap_or(i32::MAX);
    with_activity(|env, activity| {
        let tree = env.new_string(tree)?;
        let name = env.new_string(name)?;
        let data = call(
            env,
            activity,
            jni_calls::READ_IN_FOLDER,
            &[
                JValue::Object(&tree),
                JValue::Object(&name),
                JValue::Int(max),
            ],
        )?
        .l()?;
        if data.is_null() {
            return Ok(None);
        }
        env.convert_byte_array(JByteArray::from(data)).map(Some)
    })
}

/// Replaces the file `name` of the sync folder with `bytes`.
pub fn write_in_folder(tree: &str, name: &str, bytes: &[u8]) -> Result<(), String> {
    with_activity(|env, activity| {
        let tree = env.new_string(tree)?;
        let name = env.new_string(name)?;
        let data = env.byte_array_from_slice(bytes)?;
        call(
            env,
            activity,
            jni_calls::WRITE_IN_FOLDER,
            &[
                JValue::Object(&tree),
                JValue::Object(&name),
                JValue::Object(&data),
            ],
        )?
        .v()
    })
}

/// The document's name as the user sees it (for messages).
pub fn document_name(uri: &str) -> String {
    with_activity(|env, activity| {
        let text = env.new_string(uri)?;
        let name = call(
            env,
            activity,
            jni_calls::DOCUMENT_NAME,
            &[JValue::Object(&text)],
        )?
        .l()?;
        string_or_null(env, name)
    })
    .ok()
    .flatten()
    .unwrap_or_else(|| uri.to_owned())
}

/// Deletes a document Tessera created; true when it is gone.
pub fn delete_document(uri: &str) -> bool {
    with_activity(|env, activity| {
        let uri = env.new_string(uri)?;
        call(
            env,
            activity,
            jni_calls::DELETE_DOCUMENT,
            &[JValue::Object(&uri)],
        )?
        .z()
    })
    .unwrap_or(false)
}

/// Opens the share sheet for the document at `uri` (Tessera's permission on it is passed on
/// for reading).
pub fn share_document(uri: &str, mime: &str) -> Result<(), String> {
    with_activity(|env, activity| {
        let uri = env.new_string(uri)?;
        let mime = env.new_string(mime)?;
        call(
            env,
            activity,
            jni_calls::SHARE_DOCUMENT,
            &[JValue::Object(&uri), JValue::Object(&mime)],
        )?
        .v()
    })
}

//! Biometric unlock on Android: the JNI glue between [`tessera_core::vault::BiometricStore`]
//! and the activity (`android/MainActivity.kt`), which keeps an AndroidKeyStore AES-256-GCM key
//! per slot (user authentication required, invalidated by new biometric enrolment, StrongBox
//! where the phone has it) and uses it only through `BiometricPrompt` with a `CryptoObject`.
//!
//! Rust asks (`biometricSeal`, `biometricOpen`), the activity shows the prompt on its UI thread
//! and answers by calling the native `onBiometricResult` below with the request's id; the
//! waiting thread (a job's worker, never the UI thread) takes the answer from
//! [`super::biometric_prompt`]. The key bytes cross JNI as Java byte arrays, which the Kotlin
//! side fills with zeros once the call returns.

use jni::JNIEnv;
use jni::objects::{JByteArray, JObject, JString, JValue};
use jni::sys::jint;
use tessera_core::vault::{BiometricError, BiometricKind, BiometricStore, SealedKey};
use zeroize::Zeroizing;

use super::android::{call, with_activity};
use super::biometric_prompt::{Answer, PROMPT_TIMEOUT, PromptOutcome, Prompts};
use super::jni_calls::{self, codes};

static PROMPTS: Prompts = Prompts::new();

/// The phone's biometric keys, through the activity.
pub struct AndroidBiometric;

fn alias(entry: &str) -> String {
    format!("tessera-{entry}")
}

fn failed(why: String) -> BiometricError {
    BiometricError::Failed(why)
}

/// Sends a request to the activity and waits for its answer.
fn ask(
    send: impl FnOnce(&mut JNIEnv, &JObject, i32) -> jni::errors::Result<()>,
) -> Result<(Vec<u8>, Zeroizing<Vec<u8>>), BiometricError> {
    // The system's prompt sends the activity to the background: that is not the user leaving.
    let _open = super::lifecycle::SystemDialog::open();
    let pending = PROMPTS.request();
    let id = pending.id();
    with_activity(|env, activity| send(env, activity, id)).map_err(failed)?;
    match pending.wait(PROMPT_TIMEOUT) {
        PromptOutcome::Succeeded { iv, data } => Ok((iv, data)),
        PromptOutcome::Refused(error) => Err(error),
    }
}

impl BiometricStore for AndroidBiometric {
    fn kind(&self) -> Result<BiometricKind, BiometricError> {
        let answer = with_activity(|env, activity| {
            call(env, activity, jni_calls::BIOMETRIC_AVAILABILITY, &[])?.i()
        })
        .map_err(failed)?;
        match answer {
            codes::BIO_FINGERPRINT => Ok(BiometricKind::Fingerprint),
            codes::BIO_FACE => Ok(BiometricKind::Face),
            codes::BIO_ANY => Ok(BiometricKind::Any),
            codes::BIO_NONE_ENROLLED => Err(BiometricError::Unavailable(
                "no fingerprint or face is enrolled in the phone's settings".into(),
            )),
            codes::BIO_OLD_ANDROID => Err(BiometricError::Unavailable(
                "biometric unlock bound to the key needs Android 11 or newer".into(),
            )),
            _ => Err(BiometricError::Unavailable(
                "this phone has no strong fingerprint or face sensor".into(),
            )),
        }
    }

    fn seal(&self, entry: &str, secret: &[u8]) -> Result<Vec<u8>, BiometricError> {
        let (iv, data) = ask(|env, activity, id| {
            let alias = env.new_string(alias(entry))?;
            let secret = env.byte_array_from_slice(secret)?;
            call(
                env,
                activity,
                jni_calls::BIOMETRIC_SEAL,
                &[
                    JValue::Int(id),
                    JValue::Object(&alias),
                    JValue::Object(&secret),
                ],
            )?
            .v()
        })?;
        Ok(SealedKey::new(iv, data.to_vec())?.to_bytes())
    }

    fn open(&self, entry: &str, sealed: &[u8]) -> Result<Zeroizing<Vec<u8>>, BiometricError> {
        let sealed = SealedKey::parse(sealed)?;
        let (_, data) = ask(|env, activity, id| {
            let alias = env.new_string(alias(entry))?;
            let iv = env.byte_array_from_slice(&sealed.iv)?;
            let ciphertext = env.byte_array_from_slice(&sealed.ciphertext)?;
            call(
                env,
                activity,
                jni_calls::BIOMETRIC_OPEN,
                &[
                    JValue::Int(id),
                    JValue::Object(&alias),
                    JValue::Object(&iv),
                    JValue::Object(&ciphertext),
                ],
            )?
            .v()
        })?;
        Ok(data)
    }

    fn delete(&self, entry: &str) -> Result<(), String> {
        with_activity(|env, activity| {
            let alias = env.new_string(alias(entry))?;
            call(
                env,
                activity,
                jni_calls::BIOMETRIC_DELETE,
                &[JValue::Object(&alias)],
            )?
            .v()
        })
    }
}

fn bytes(env: &JNIEnv, array: &JByteArray) -> Option<Vec<u8>> {
    if array.is_null() {
        return None;
    }
    env.convert_byte_array(array).ok()
}

/// `MainActivity.onBiometricResult(requestId, status, iv, data, message)`: the prompt's answer.
/// Never panics (a panic must not cross into the JVM); an answer nobody waits for is dropped.
#[unsafe(no_mangle)]
pub extern "system" fn Java_dev_dioxus_main_MainActivity_onBiometricResult(
    mut env: JNIEnv,
    _activity: JObject,
    request: jint,
    status: jint,
    iv: JByteArray,
    data: JByteArray,
    message: JString,
) {
    let message = if message.is_null() {
        None
    } else {
        env.get_string(&message).ok().map(String::from)
    };
    let answer = Answer {
        status,
        iv: bytes(&env, &iv),
        data: bytes(&env, &data).map(Zeroizing::new),
        message,
    };
    let _ = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
        PROMPTS.deliver(request, answer)
    }));
}

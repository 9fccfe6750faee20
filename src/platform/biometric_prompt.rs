//! The Rust side of a phone's biometric prompt, as a small state machine: a request gets an id
//! and waits; the activity answers once, through JNI, with that id and a result code
//! ([`super::jni_calls::codes`]); the answer becomes the key bytes or a
//! [`BiometricError`]. Compiled and tested on every platform; only the JNI glue
//! ([`super::android_biometric`]) is Android's.
//!
//! ```text
//! requested --(PROMPT_OK, iv, data)--> succeeded (key bytes)
//!           --(PROMPT_CANCELLED)-----> cancelled
//!           --(PROMPT_FAILED, msg)---> failed
//!           --(PROMPT_INVALIDATED)---> invalidated
//!           --(PROMPT_UNAVAILABLE)---> unavailable
//!           --(PROMPT_DAMAGED)-------> damaged
//!           --(no answer in time)----> failed ("no answer"), and a late answer is dropped
//! ```
//!
//! An answer for an id nobody waits for (late, repeated, or made up) is dropped, and its bytes
//! are wiped; an unknown result code is a failure, never a success.

use std::collections::BTreeMap;
use std::sync::Mutex;
use std::sync::mpsc::{Receiver, SyncSender, sync_channel};
use std::time::Duration;

use tessera_core::vault::BiometricError;
use zeroize::Zeroizing;

use super::jni_calls::codes;

/// How long a prompt may stay up before the waiting side gives up.
pub const PROMPT_TIMEOUT: Duration = Duration::from_secs(180);

/// What the activity answered.
#[derive(PartialEq, Eq)]
pub enum PromptOutcome {
    /// The check passed and the phone's cipher ran.
    Succeeded {
        /// The cipher's IV (sealing only; empty when opening).
        iv: Vec<u8>,
        /// What the cipher produced: the sealed key, or the opened one.
        data: Zeroizing<Vec<u8>>,
    },
    /// Anything else.
    Refused(BiometricError),
}

/// Never the bytes: an opened slot key is a secret.
impl std::fmt::Debug for PromptOutcome {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            PromptOutcome::Succeeded { iv, data } => write!(
                f,
                "Succeeded({} bytes of IV, {} bytes of data)",
                iv.len(),
                data.len()
            ),
            PromptOutcome::Refused(error) => write!(f, "Refused({error:?})"),
        }
    }
}

/// The raw answer from JNI, before it is checked.
pub struct Answer {
    /// One of the `PROMPT_*` codes (anything else is a failure).
    pub status: i32,
    /// The IV, if the activity sent one.
    pub iv: Option<Vec<u8>>,
    /// The data, if the activity sent any.
    pub data: Option<Zeroizing<Vec<u8>>>,
    /// The system's message (for failures).
    pub message: Option<String>,
}

/// Prompts waiting for their answer.
#[derive(Default)]
pub struct Prompts {
    state: Mutex<State>,
}

#[derive(Default)]
struct State {
    next: i32,
    waiting: BTreeMap<i32, SyncSender<PromptOutcome>>,
}

/// A request waiting for its answer; dropping it stops waiting (a late answer is dropped).
pub struct Pending<'a> {
    id: i32,
    answer: Receiver<PromptOutcome>,
    prompts: &'a Prompts,
}

impl Prompts {
    /// No prompt waiting.
    pub const fn new() -> Prompts {
        Prompts {
            state: Mutex::new(State {
                next: 0,
                waiting: BTreeMap::new(),
            }),
        }
    }

    fn state(&self) -> std::sync::MutexGuard<'_, State> {
        // A poisoned lock only means a panic elsewhere; the map is still consistent.
        self.state.lock().unwrap_or_else(|p| p.into_inner())
    }

    /// A new request: its id goes to the activity with the prompt.
    pub fn request(&self) -> Pending<'_> {
        let (sender, answer) = sync_channel(1);
        let mut state = self.state();
        state.next = state.next.wrapping_add(1).max(1);
        let id = state.next;
        state.waiting.insert(id, sender);
        Pending {
            id,
            answer,
            prompts: self,
        }
    }

    /// How many requests wait.
    pub fn waiting(&self) -> usize {
        self.state().waiting.len()
    }

    /// Delivers the activity's answer to request `id`; false (and the bytes wiped) when nobody
    /// waits for it.
    pub fn deliver(&self, id: i32, answer: Answer) -> bool {
        let Some(sender) = self.state().waiting.remove(&id) else {
            return false;
        };
        sender.send(outcome(answer)).is_ok()
    }
}

/// An answer checked: success needs the OK code and data; every other code is a refusal.
fn outcome(answer: Answer) -> PromptOutcome {
    let message = || {
        answer
            .message
            .clone()
            .filter(|m| !m.trim().is_empty())
            .unwrap_or_else(|| "the phone gave no reason".into())
    };
    let refused = match answer.status {
        codes::PROMPT_OK => match answer.data {
            Some(data) if !data.is_empty() => {
                return PromptOutcome::Succeeded {
                    iv: answer.iv.unwrap_or_default(),
                    data,
                };
            }
            _ => BiometricError::Failed("the phone's cipher returned nothing".into()),
        },
        codes::PROMPT_CANCELLED => BiometricError::Cancelled("fingerprint or face"),
        codes::PROMPT_INVALIDATED => BiometricError::Invalidated,
        codes::PROMPT_UNAVAILABLE => BiometricError::Unavailable(message()),
        codes::PROMPT_DAMAGED => BiometricError::Damaged,
        codes::PROMPT_FAILED => BiometricError::Failed(message()),
        other => BiometricError::Failed(format!("the phone answered with unknown code {other}")),
    };
    PromptOutcome::Refused(refused)
}

impl Pending<'_> {
    /// The id the activity answers with.
    pub fn id(&self) -> i32 {
        self.id
    }

    /// Waits for the answer, at most `timeout`.
    pub fn wait(self, timeout: Duration) -> PromptOutcome {
        match self.answer.recv_timeout(timeout) {
            Ok(outcome) => outcome,
            Err(_) => PromptOutcome::Refused(BiometricError::Failed(
                "the fingerprint or face prompt did not answer; try again".into(),
            )),
        }
    }
}

impl Drop for Pending<'_> {
    fn drop(&mut self) {
        self.prompts.state().waiting.remove(&self.id);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn answer(status: i32, data: Option<&[u8]>) -> Answer {
        Answer {
            status,
            iv: Some(vec![1; 12]),
            data: data.map(|d| Zeroizing::new(d.to_vec())),
            message: Some("Too many attempts".into()),
        }
    }

    #[test]
    fn a_request_gets_its_own_answer_once() {
        let prompts = Prompts::new();
        let first = prompts.request();
        let second = prompts.request();
        assert_ne!(first.id(), second.id());
        assert_eq!(prompts.waiting(), 2);
        assert!(prompts.deliver(second.id(), answer(codes::PROMPT_CANCELLED, None)));
        assert!(
            !prompts.deliver(second.id(), answer(codes::PROMPT_OK, Some(&[9; 48]))),
            "a second answer is dropped"
        );
        assert!(prompts.deliver(first.id(), answer(codes::PROMPT_OK, Some(&[9; 48]))));
        assert_eq!(
            first.wait(Duration::from_secs(5)),
            PromptOutcome::Succeeded {
                iv: vec![1; 12],
                data: Zeroizing::new(vec![9; 48])
            }
        );
        assert_eq!(
            second.wait(Duration::from_secs(5)),
            PromptOutcome::Refused(BiometricError::Cancelled("fingerprint or face"))
        );
        assert_eq!(prompts.waiting(), 0);
    }

    #[test]
    fn every_code_maps_to_its_outcome_and_unknown_ones_fail() {
        let cases = [
            (codes::PROMPT_INVALIDATED, BiometricError::Invalidated),
            (codes::PROMPT_DAMAGED, BiometricError::Damaged),
            (
                codes::PROMPT_FAILED,
                BiometricError::Failed("Too many attempts".into()),
            ),
            (
                codes::PROMPT_UNAVAILABLE,
                BiometricError::Unavailable("Too many attempts".into()),
            ),
            (
                77,
                BiometricError::Failed("the phone answered with unknown code 77".into()),
            ),
        ];
        let prompts = Prompts::new();
        for (status, expected) in cases {
            let pending = prompts.request();
            // Data with a refusal is never taken for a key.
            assert!(prompts.deliver(pending.id(), answer(status, Some(&[9; 48]))));
            assert_eq!(
                pending.wait(Duration::from_secs(5)),
                PromptOutcome::Refused(expected)
            );
        }
        // OK without data is a failure, not an empty key.
        let pending = prompts.request();
        prompts.deliver(pending.id(), answer(codes::PROMPT_OK, Some(&[])));
        assert!(matches!(
            pending.wait(Duration::from_secs(5)),
            PromptOutcome::Refused(BiometricError::Failed(_))
        ));
    }

    #[test]
    fn a_prompt_that_never_answers_times_out_and_its_late_answer_is_dropped() {
        let prompts = Prompts::new();
        let pending = prompts.request();
        let id = pending.id();
        assert!(matches!(
            pending.wait(Duration::from_millis(10)),
            PromptOutcome::Refused(BiometricError::Failed(_))
        ));
        assert_eq!(prompts.waiting(), 0);
        assert!(!prompts.deliver(id, answer(codes::PROMPT_OK, Some(&[9; 48]))));
        assert!(!prompts.deliver(12345, answer(codes::PROMPT_OK, Some(&[9; 48]))));
    }

    #[test]
    fn an_answer_from_another_thread_wakes_the_waiting_one() {
        static PROMPTS: Prompts = Prompts::new();
        let pending = PROMPTS.request();
        let id = pending.id();
        let activity = std::thread::spawn(move || {
            std::thread::sleep(Duration::from_millis(20));
            PROMPTS.deliver(id, answer(codes::PROMPT_OK, Some(&[4; 32])))
        });
        let outcome = pending.wait(Duration::from_secs(30));
        assert!(activity.join().unwrap());
        assert_eq!(
            format!("{outcome:?}"),
            "Succeeded(12 bytes of IV, 32 bytes of data)",
            "Debug shows sizes, never the key"
        );
        assert!(matches!(outcome, PromptOutcome::Succeeded { data, .. } if data[..] == [4; 32]));
    }
}

//! Phone to phone by animated QR codes (docs/transfer.md, "Animated QR transfer"): sending the
//! accounts matching a search as an endless sequence of frames under a one-time code, and
//! receiving one through the Scan tab's camera, then the code, then the merge preview.
//!
//! Both slow steps (sealing, and opening under the typed code: Argon2id at 64 MiB) are jobs
//! ([`super::jobs`]). The sending side lives only as long as the screen showing it: dropping a
//! [`Sending`] wipes the code, and the frames are useless without it.

use std::sync::{Arc, Mutex};

use tessera_core::transfer::handover::{
    Progress as Received, ReceiveError, Receiver, Sender, TRANSFER_KDF, TransferCode,
};
use tessera_core::transfer::import::Imported;
use tessera_core::vault::{BackupEntry, KdfParams};
use zeroize::Zeroizing;

use super::progress::{Progress, kdf_time};
use super::{AppError, AppState};

/// Frames a second on the sending screen by default: each QR code stays up for six refreshes
/// of a 60 Hz screen, so a phone camera at 30 frames a second (whose rolling shutter reads a
/// picture over most of a frame's time) gets at least one clean picture of each.
pub const FRAMES_PER_SECOND: u32 = 10;

/// The speeds the sending screen offers: frames a second and their names.
pub const SPEEDS: [(u32, &str); 3] = [
    (5, "Slow (older phones, poor light)"),
    (FRAMES_PER_SECOND, "Normal"),
    (20, "Fast (a good camera, steady hands)"),
];

/// A transfer to send, waiting to run: the accounts chosen and the vault password to check.
pub struct SendJob {
    entries: Vec<BackupEntry>,
    check: super::trust::Reauth,
    vault_password: Zeroizing<String>,
    kdf: KdfParams,
}

impl std::fmt::Debug for SendJob {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "SendJob({} accounts)", self.entries.len())
    }
}

impl SendJob {
    /// Checks the vault password, then seals the accounts under a new code (slow: two key
    /// derivations; call off the UI thread).
    pub fn run(self, progress: &Progress) -> Result<Sending, AppError> {
        AppState::verify_timed(&self.check, &self.vault_password, progress, (0.05, 0.5))?;
        progress.report_timed(
            0.5,
            1.0,
            kdf_time::estimate(self.kdf),
            "Sealing the accounts under a new transfer code…",
        );
        let code = TransferCode::generate();
        let sender = kdf_time::timed(self.kdf, || Sender::new(&self.entries, &code, self.kdf))?;
        Ok(Sending { sender, code })
    }
}

/// A transfer being shown: its code and its endless frames. Dropped when the screen closes,
/// which wipes the code.
pub struct Sending {
    sender: Sender,
    code: TransferCode,
}

impl std::fmt::Debug for Sending {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "Sending({:?})", self.sender)
    }
}

impl Sending {
    /// The code to show, `XXXX-XXXX-XXXX`.
    pub fn code(&self) -> Zeroizing<String> {
        self.code.display()
    }

    /// The next frame as a PNG image in Base64 (ciphertext only: nothing secret in it).
    pub fn next_frame_png(&mut self) -> Result<String, AppError> {
        use base64::Engine;
        let text = self.sender.next_frame();
        let png = tessera_core::transfer::export::qr::png(&text).map_err(|_| {
            AppError::input(
                "A transfer frame does not fit in a QR code.",
                "Please report it: frames are sized to fit.",
            )
        })?;
        Ok(base64::engine::general_purpose::STANDARD.encode(png))
    }

    /// Accounts in the transfer.
    pub fn accounts(&self) -> usize {
        self.sender.accounts()
    }

    /// The least number of frames a receiver needs.
    pub fn fragments(&self) -> usize {
        self.sender.fragments()
    }

    /// The sealed transfer's size in bytes.
    pub fn bytes(&self) -> usize {
        self.sender.bytes()
    }
}

/// A transfer being received: the frames the camera took so far, shared with the camera's
/// thread. Kept while the code is typed (again, if it was wrong).
#[derive(Clone, Default)]
pub struct Incoming {
    receiver: Arc<Mutex<Receiver>>,
}

impl std::fmt::Debug for Incoming {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "Incoming({:?})", self.progress())
    }
}

impl PartialEq for Incoming {
    fn eq(&self, other: &Incoming) -> bool {
        Arc::ptr_eq(&self.receiver, &other.receiver)
    }
}

impl Incoming {
    /// The receiver the camera feeds.
    pub fn receiver(&self) -> Arc<Mutex<Receiver>> {
        self.receiver.clone()
    }

    /// How far it is.
    pub fn progress(&self) -> Received {
        self.receiver
            .lock()
            .map(|r| r.progress())
            .unwrap_or(Received {
                parts: 0,
                fragments: 0,
                complete: false,
            })
    }

    /// A job opening the complete transfer with the code typed: refused at once when the code
    /// is mistyped (its check character), before the slow key derivation.
    pub fn open_job(&self, typed: &str) -> Result<OpenJob, AppError> {
        let code = TransferCode::parse(typed)
            .map_err(|e| AppError::input(sentence(&e.to_string()), e.advice()))?;
        if !self.progress().complete {
            return Err(AppError::input(
                "The transfer is not complete yet.",
                "Keep the camera on the sending device's QR codes.",
            ));
        }
        Ok(OpenJob {
            receiver: self.receiver.clone(),
            code,
        })
    }
}

/// Opens a received transfer, waiting to run.
pub struct OpenJob {
    receiver: Arc<Mutex<Receiver>>,
    code: TransferCode,
}

impl std::fmt::Debug for OpenJob {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("OpenJob")
    }
}

impl OpenJob {
    /// Opens it (slow: the key derivation). Finish with [`AppState::preview`].
    pub fn run(self, progress: &Progress) -> Result<Imported, AppError> {
        progress.report_timed(
            0.1,
            1.0,
            kdf_time::estimate(TRANSFER_KDF),
            "Opening the transfer with its code…",
        );
        let receiver = self.receiver.lock().map_err(|_| AppError::Internal)?;
        let entries = receiver.open(&self.code).map_err(|e| match e {
            ReceiveError::WrongCode => AppError::input(
                "That is not the code the sending device shows.",
                "Type it again; the QR codes received are kept, so there is no need to scan again.",
            ),
            other => AppError::input(sentence(&other.to_string()), other.advice()),
        })?;
        Ok(Imported::received(
            entries,
            "Received from another device by QR codes.",
        ))
    }
}

/// "the code ..." -> "The code ....": the core's messages are clauses.
fn sentence(clause: &str) -> String {
    let mut chars = clause.chars();
    match chars.next() {
        Some(first) => format!("{}{}.", first.to_uppercase(), chars.as_str()),
        None => String::new(),
    }
}

impl AppState {
    /// A transfer of the accounts matching `query` (all when empty), to run with
    /// [`SendJob::run`]: every seed leaves the vault, so the vault password is asked again.
    pub fn send_job(
        &self,
        query: &str,
        vault_password: Zeroizing<String>,
    ) -> Result<SendJob, AppError> {
        self.send_job_with(query, vault_password, TRANSFER_KDF)
    }

    /// [`AppState::send_job`] with another key derivation (tests: the cheapest one).
    pub fn send_job_with(
        &self,
        query: &str,
        vault_password: Zeroizing<String>,
        kdf: KdfParams,
    ) -> Result<SendJob, AppError> {
        let vault = self.unlocked()?;
        let check = self.reauth()?;
        if vault_password.is_empty() && !check.by_biometric() {
            return Err(AppError::input(
                "The vault password is empty.",
                "Type your vault password: every seed chosen leaves the vault.",
            ));
        }
        let entries: Vec<BackupEntry> = vault
            .search(query)
            .into_iter()
            .map(|a| (a.clone(), None))
            .collect();
        if entries.is_empty() {
            return Err(AppError::input(
                "No account matches, so there is nothing to send.",
                "Clear the search or choose other words.",
            ));
        }
        Ok(SendJob {
            entries,
            check,
            vault_password,
            kdf,
        })
    }

    /// How many accounts `query` would send.
    pub fn send_count(&self, query: &str) -> usize {
        self.unlocked().map_or(0, |v| v.search(query).len())
    }
}

//! Phone to phone without a file: a Tessera backup shown as an endless sequence of QR codes
//! and read by the other device's camera (docs/transfer.md, "Animated QR transfer").
//!
//! - The payload is a Tessera backup container ([`crate::vault::SealedBackup`]) with a fresh
//!   key, sealed under the one-time [`TransferCode`] with Argon2id at [`TRANSFER_KDF`]. The
//!   code is shown as text on the sender and typed on the receiver: it is never in a QR code.
//! - The container is cut into fragments by a fountain encoder and each part is a multipart
//!   Uniform Resource (`UR:TESSERA-TRANSFER/SEQ-COUNT/BYTEWORDS`, the `ur` crate; upper case so
//!   that the QR code uses its compact alphanumeric mode). The receiver can start at any frame
//!   and miss any: enough distinct parts rebuild the container.
//! - The receiver ([`Receiver`]) locks onto the first transfer it sees and ignores frames of
//!   another; every part's header is checked before the fountain decoder sees it, so a hostile
//!   QR code cannot make it allocate or loop. The container's authentication (AES-256-GCM)
//!   proves the whole: a tampered or mixed sequence adds nothing.

mod code;
mod receive;

pub use code::{CodeError, LENGTH as CODE_LENGTH, TransferCode};
pub use receive::{FrameError, Progress, ReceiveError, Receiver};

use super::TransferError;
use crate::vault::{BackupEntry, KdfParams, SealedBackup};

/// The UR type of Tessera transfers (lower case, as the UR scheme writes it).
pub const UR_TYPE: &str = "tessera-transfer";

/// Bytes of the container in one QR code: each frame is then about 700 characters, a
/// version-17 QR code (85 modules a side) at error correction M, which the decoder reads from
/// a 720p camera picture in about 2.5 ms (benches/handover.rs). Half this size (version 12)
/// needed 2.4 times the camera time for 40 accounts. benches/handover_sizes.rs photographs
/// each size as a phone camera sees another phone's screen: 320 bytes are read in focus up to
/// 25 cm (9,600 bytes a second at 30 fps), 480 only up to 20 cm, 240 up to 30 cm at 3/4 of
/// the speed; the apps ask for 15 to 20 cm.
pub const FRAGMENT_BYTES: usize = 320;

/// The stream's cycle, in multiples of the fragment count (see [`Sender::next_frame`]).
const CYCLE: usize = 2;

/// The most fragments a transfer may have (4,096 x 320 bytes = 1.25 MiB, about 2,400 accounts
/// with long notes); a part claiming more is refused before it is decoded.
pub const MAX_FRAGMENTS: u32 = 4096;

/// The key derivation of a transfer: RFC 9106's second recommendation (64 MiB, 3 passes, 4
/// lanes), the same on every sender so that the receiver's cost is known.
pub const TRANSFER_KDF: KdfParams = KdfParams::DEFAULT;

/// The sending side: the sealed container and the endless stream of its QR texts.
pub struct Sender {
    encoder: ur::Encoder<'static>,
    /// The sealed container (ciphertext), to start the encoder over.
    container: Vec<u8>,
    fragments: usize,
    accounts: usize,
}

impl std::fmt::Debug for Sender {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "Sender({} accounts, {} bytes, {} fragments)",
            self.accounts,
            self.container.len(),
            self.fragments
        )
    }
}

impl Sender {
    /// Seals `entries` under `code` (slow: the key derivation) and prepares the frames.
    /// Accounts' own icon images stay behind (a 5 KB picture would add half a second of QR
    /// codes per account); brand icons and the letter choice travel.
    pub fn new(
        entries: &[BackupEntry],
        code: &TransferCode,
        kdf: KdfParams,
    ) -> Result<Sender, TransferError> {
        if entries.is_empty() {
            return Err(TransferError::Refused {
                format: "Tessera transfer",
                what: "there is no account to send; choose other accounts".into(),
            });
        }
        let entries: Vec<BackupEntry> = entries
            .iter()
            .map(|(account, trashed)| {
                let mut account = account.clone();
                if matches!(account.icon, Some(crate::otp::AccountIcon::Image(_))) {
                    account.icon = None;
                }
                (account, *trashed)
            })
            .collect();
        let sealed = SealedBackup::seal(&entries, code.password(), kdf)?;
        let refuse = |e: ur::ur::Error| TransferError::Refused {
            format: "Tessera transfer",
            what: e.to_string(),
        };
        let encoder = ur::Encoder::new(&sealed.bytes, FRAGMENT_BYTES, UR_TYPE).map_err(refuse)?;
        let fragments = encoder.fragment_count();
        if fragments > MAX_FRAGMENTS as usize {
            return Err(TransferError::Refused {
                format: "Tessera transfer",
                what: format!(
                    "{} accounts make {fragments} QR codes, more than the {MAX_FRAGMENTS} a \
                     transfer carries; send them in parts (a tenant or a tag at a time) or \
                     use a backup file",
                    entries.len()
                ),
            });
        }
        Ok(Sender {
            encoder,
            container: sealed.bytes.clone(),
            fragments,
            accounts: entries.len(),
        })
    }

    /// The next frame's text, for a QR code. Endless: each cycle shows every fragment once,
    /// then as many mixes of fragments, each useful to a receiver that missed some.
    pub fn next_frame(&mut self) -> String {
        // Every CYCLE frames the encoder starts over: the plain fragments first, then as many
        // mixed ones. A receiver that joins late still sees plain fragments soon (mixed parts
        // alone need far more frames: the bench measures both), and the UR header's 16-bit
        // counter never runs out.
        if self.encoder.current_index() >= CYCLE * self.fragments
            && let Ok(fresh) = ur::Encoder::new(&self.container, FRAGMENT_BYTES, UR_TYPE)
        {
            self.encoder = fresh;
        }
        match self.encoder.next_part() {
            Ok(part) => part.to_ascii_uppercase(),
            // Encoding a part only fails if CBOR writing fails, which it cannot into memory.
            Err(_) => String::new(),
        }
    }

    /// Fragments of the container: the least number of frames a receiver needs.
    pub fn fragments(&self) -> usize {
        self.fragments
    }

    /// The container's size in bytes.
    pub fn bytes(&self) -> usize {
        self.container.len()
    }

    /// Accounts in the transfer.
    pub fn accounts(&self) -> usize {
        self.accounts
    }
}

/// Whether `text` (a decoded QR code) is a frame of a Tessera transfer.
pub fn is_transfer_frame(text: &str) -> bool {
    let prefix = "ur:tessera-transfer/";
    // `get`, not indexing: byte 20 may fall inside a character of arbitrary text.
    text.len() > prefix.len()
        && text
            .get(..prefix.len())
            .is_some_and(|start| start.eq_ignore_ascii_case(prefix))
}

//! The receiving side of an animated QR transfer: frames in any order, repeated or missing,
//! until the container is whole; then the code opens it.
//!
//! Each frame's header (the part's sequence number, fragment count, message length, checksum
//! and data) is read and bounded here before the `ur` fountain decoder sees it: that decoder
//! sizes its work by the counts a part claims, so an unchecked hostile QR code could make it
//! allocate gigabytes or panic.

use std::collections::BTreeSet;
use std::path::Path;

use super::{FRAGMENT_BYTES, MAX_FRAGMENTS, TransferCode, is_transfer_frame};
use crate::vault::{BackupEntry, VaultError, open_backup};

/// Why a frame was not taken.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum FrameError {
    /// Not a Tessera transfer at all.
    #[error("this QR code is not part of a Tessera transfer")]
    NotTransfer,
    /// A frame of another transfer than the one being received.
    #[error("this QR code belongs to another transfer than the one being received; it was ignored")]
    OtherTransfer,
    /// A transfer frame that cannot be read.
    #[error("this transfer QR code is damaged ({0}); it was ignored")]
    Damaged(String),
}

/// Why a complete transfer did not open.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum ReceiveError {
    /// Not every fragment is in yet.
    #[error("the transfer is not complete yet ({0:.0}% received)")]
    Incomplete(f32),
    /// The code does not open the container.
    #[error("that is not the transfer code the sending device shows")]
    WrongCode,
    /// The parts do not make an authentic container (tampered with, or mixed).
    #[error("the received transfer does not authenticate ({0}); nothing was added")]
    Tampered(String),
}

impl ReceiveError {
    /// What the user can do.
    pub fn advice(&self) -> &'static str {
        match self {
            ReceiveError::Incomplete(_) => "Keep the camera on the sending device's QR codes.",
            ReceiveError::WrongCode => {
                "Type the code again exactly as the sending device shows it; the frames received are kept."
            }
            ReceiveError::Tampered(_) => {
                "Start the transfer again on the sending device and scan only its screen."
            }
        }
    }
}

/// How far a transfer is.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Progress {
    /// Distinct parts taken.
    pub parts: usize,
    /// Fragments of the container (the least number of parts that can complete it).
    pub fragments: usize,
    /// Whether the container is whole.
    pub complete: bool,
}

impl Progress {
    /// The fraction received, 0 to 1 (1 only when complete; mixed parts count as they help).
    pub fn fraction(&self) -> f32 {
        if self.complete {
            return 1.0;
        }
        if self.fragments == 0 {
            return 0.0;
        }
        (self.parts as f32 / self.fragments as f32).min(0.99)
    }
}

/// The identity of a transfer: what every one of its parts repeats.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Identity {
    fragments: u32,
    length: u32,
    checksum: u32,
    fragment_len: usize,
}

/// A part's header, read and checked.
struct Header {
    sequence: u32,
    identity: Identity,
}

/// Collects the frames of one transfer.
#[derive(Default)]
pub struct Receiver {
    decoder: ur::Decoder,
    identity: Option<Identity>,
    seen: BTreeSet<u32>,
}

impl std::fmt::Debug for Receiver {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "Receiver({:?})", self.progress())
    }
}

impl Receiver {
    /// Takes one frame's text (a decoded QR code). Frames already seen are taken again
    /// without harm.
    pub fn receive(&mut self, text: &str) -> Result<Progress, FrameError> {
        if !is_transfer_frame(text) {
            return Err(FrameError::NotTransfer);
        }
        let text = text.to_ascii_lowercase();
        let header = read_header(&text)?;
        match self.identity {
            Some(identity) if identity != header.identity => {
                return Err(FrameError::OtherTransfer);
            }
            _ => {}
        }
        if self.decoder.complete() || self.seen.contains(&header.sequence) {
            return Ok(self.progress());
        }
        self.decoder
            .receive(&text)
            .map_err(|e| FrameError::Damaged(e.to_string()))?;
        self.identity = Some(header.identity);
        self.seen.insert(header.sequence);
        Ok(self.progress())
    }

    /// How far the transfer is.
    pub fn progress(&self) -> Progress {
        Progress {
            parts: self.seen.len(),
            fragments: self.identity.map_or(0, |i| i.fragments as usize),
            complete: self.decoder.complete(),
        }
    }

    /// Whether any frame was taken.
    pub fn started(&self) -> bool {
        self.identity.is_some()
    }

    /// Opens the complete transfer with `code` (slow: the key derivation). A wrong code can be
    /// retried: the frames stay.
    pub fn open(&self, code: &TransferCode) -> Result<Vec<BackupEntry>, ReceiveError> {
        let progress = self.progress();
        if !progress.complete {
            return Err(ReceiveError::Incomplete(progress.fraction() * 100.0));
        }
        let container = match self.decoder.message() {
            Ok(Some(bytes)) => bytes,
            Ok(None) => return Err(ReceiveError::Incomplete(99.0)),
            Err(e) => return Err(ReceiveError::Tampered(e.to_string())),
        };
        match open_backup(Path::new("transfer"), &container, code.password()) {
            Ok(entries) => Ok(entries),
            Err(VaultError::WrongPassword) => Err(ReceiveError::WrongCode),
            Err(e) => Err(ReceiveError::Tampered(e.to_string())),
        }
    }
}

/// Reads and bounds a part's header: `ur:tessera-transfer/SEQ-COUNT/BYTEWORDS`, whose
/// bytewords are the CBOR array `[seq, count, length, checksum, data]`.
fn read_header(text: &str) -> Result<Header, FrameError> {
    let damaged = |what: &str| FrameError::Damaged(what.to_owned());
    let (kind, cbor) = ur::ur::decode(text).map_err(|e| FrameError::Damaged(e.to_string()))?;
    if kind != ur::ur::Kind::MultiPart {
        return Err(damaged("a single QR code where a sequence was expected"));
    }
    let mut d = minicbor::Decoder::new(&cbor);
    let bad = |_| damaged("its header is not a transfer part");
    if d.array().map_err(bad)? != Some(5) {
        return Err(damaged("its header has the wrong shape"));
    }
    let sequence = d.u32().map_err(bad)?;
    let fragments = d.u32().map_err(bad)?;
    let length = d.u32().map_err(bad)?;
    let checksum = d.u32().map_err(bad)?;
    let data = d.bytes().map_err(bad)?;
    if d.position() != cbor.len() {
        return Err(damaged("bytes follow its header"));
    }
    let fragment_len = data.len();
    if !(1..=MAX_FRAGMENTS).contains(&fragments) {
        return Err(damaged("it claims too many parts"));
    }
    if fragment_len == 0 || fragment_len > 2 * FRAGMENT_BYTES {
        return Err(damaged("its part has an impossible size"));
    }
    let capacity = fragments as u64 * fragment_len as u64;
    if length == 0
        || u64::from(length) > capacity
        || u64::from(length) <= capacity - fragment_len as u64
    {
        return Err(damaged("its length does not match its parts"));
    }
    if sequence == 0 || sequence > u32::from(u16::MAX) {
        return Err(damaged("its sequence number is out of range"));
    }
    // The text's own SEQ-COUNT must say the same as the CBOR inside it.
    let indices = text
        .split('/')
        .nth(1)
        .and_then(|i| i.split_once('-'))
        .and_then(|(s, c)| Some((s.parse::<u32>().ok()?, c.parse::<u32>().ok()?)));
    if indices != Some((sequence, fragments)) {
        return Err(damaged("its numbers disagree"));
    }
    Ok(Header {
        sequence,
        identity: Identity {
            fragments,
            length,
            checksum,
            fragment_len,
        },
    })
}

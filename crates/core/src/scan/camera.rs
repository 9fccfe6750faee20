//! The camera scanning loop, independent of any camera.
//!
//! A camera delivers frames faster than a phone decodes photos, and a frame decoded late shows
//! where the code *was*. So the loop keeps one slot holding the newest frame: a reader thread
//! pulls frames from the [`FrameSource`] into it (overwriting, and counting, the frames nobody
//! decoded), and a decoder thread always takes the newest. There is never a queue to grow. The
//! loop stops at the first payload the user can act on and reports progress on the way.

use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::mpsc::{Receiver, Sender, channel};
use std::sync::{Arc, Condvar, Mutex};
use std::thread::JoinHandle;

use super::decode::{Effort, locate};
use super::frame::GreyFrame;
use crate::otp::{Payload, PayloadError, parse_payload};

/// Why a camera cannot deliver frames.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum CameraError {
    /// No camera on this device.
    #[error("no camera was found")]
    NoCamera,
    /// The user or the system refused access.
    #[error("permission to use the camera was denied")]
    PermissionDenied,
    /// Another app holds the camera.
    #[error("the camera is in use by another app")]
    Busy,
    /// The camera stopped delivering frames.
    #[error("the camera stopped: {0}")]
    Stopped(String),
    /// Access was granted, but the picture would not play (a web view's autoplay rule).
    #[error("the camera's picture would not start: {0}")]
    NotPlaying(String),
}

impl CameraError {
    /// What the user can do about it (the image and paste routes always remain).
    pub fn advice(&self) -> &'static str {
        match self {
            CameraError::NoCamera => {
                "Use Image or Paste instead: a screenshot of the QR code, or the otpauth:// link."
            }
            CameraError::PermissionDenied => {
                "Allow camera access for Tessera in the system settings, or use Image or Paste instead."
            }
            CameraError::Busy => {
                "Close the other app using the camera and try again, or use Image or Paste."
            }
            CameraError::Stopped(_) => "Try again, or use Image or Paste instead.",
            CameraError::NotPlaying(_) => {
                "Tap Scan again; if the picture stays black, restart Tessera, or use Image or Paste."
            }
        }
    }
}

/// Something that delivers camera frames: a real camera, or a replay in tests.
pub trait FrameSource: Send {
    /// Waits for and returns the next frame; `Ok(None)` when the source has ended.
    fn next_frame(&mut self) -> Result<Option<GreyFrame>, CameraError>;
}

/// What the loop reports.
pub enum ScanEvent {
    /// A frame was decoded without a usable code (sent at most once per decoded frame).
    Progress {
        /// Frames decoded so far.
        decoded: u64,
        /// Frames dropped because a newer one arrived first.
        dropped: u64,
        /// The last unusable QR code seen, e.g. a web link, for the status line.
        unusable: Option<PayloadError>,
    },
    /// A QR code was read in a frame, usable or not, here: sent before the `Progress` or
    /// `Found` event of that frame, so a view can draw a frame around the code.
    Seen(Outline),
    /// A usable code: an account, a Google export batch, or a Microsoft push enrolment (whose
    /// error carries the guidance to show). The loop has stopped.
    Found(Result<Payload, PayloadError>),
    /// The camera failed or ended. The loop has stopped.
    Failed(CameraError),
    /// A QR code's text that the `claim` of [`ScanLoop::start_claiming`] took (a frame of an
    /// animated transfer, say): not parsed as an account; scanning goes on.
    Claimed(String),
}

impl std::fmt::Debug for ScanEvent {
    /// A claimed text shows only its length: it may be anything a QR code holds.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            ScanEvent::Progress {
                decoded,
                dropped,
                unusable,
            } => f
                .debug_struct("Progress")
                .field("decoded", decoded)
                .field("dropped", dropped)
                .field("unusable", unusable)
                .finish(),
            ScanEvent::Seen(outline) => f.debug_tuple("Seen").field(outline).finish(),
            ScanEvent::Found(found) => f.debug_tuple("Found").field(found).finish(),
            ScanEvent::Failed(error) => f.debug_tuple("Failed").field(error).finish(),
            ScanEvent::Claimed(text) => write!(f, "Claimed({} bytes)", text.len()),
        }
    }
}

/// Where a code was seen: its corners in the pixels of a frame of `width` x `height`.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Outline {
    /// The four corners, going round the code.
    pub corners: [(f32, f32); 4],
    /// The frame's width in pixels.
    pub width: usize,
    /// The frame's height in pixels.
    pub height: usize,
}

#[derive(Default)]
struct Slot {
    /// The newest undecoded frame, and how the source ended once it has.
    frame: Mutex<(Option<GreyFrame>, Option<CameraError>)>,
    ready: Condvar,
}

/// A running scan. Dropping it (or [`ScanLoop::stop`]) stops both threads.
pub struct ScanLoop {
    stop: Arc<AtomicBool>,
    slot: Arc<Slot>,
    threads: Vec<JoinHandle<()>>,
    /// The events, in order; the last is `Found` or `Failed` unless stopped first.
    pub events: Receiver<ScanEvent>,
}

impl ScanLoop {
    /// Starts reading `source` and decoding its newest frames.
    pub fn start(source: Box<dyn FrameSource>) -> ScanLoop {
        ScanLoop::start_accepting(source, Box::new(|_| true))
    }

    /// Like [`ScanLoop::start`], but a payload `accept` refuses does not stop the loop: it is
    /// reported as progress and scanning goes on (e.g. a Google export QR code already scanned,
    /// while the user moves on to the next one).
    pub fn start_accepting(
        source: Box<dyn FrameSource>,
        accept: Box<dyn Fn(&Payload) -> bool + Send>,
    ) -> ScanLoop {
        ScanLoop::start_claiming(source, accept, Box::new(|_| false))
    }

    /// Like [`ScanLoop::start_accepting`]; besides, every QR code whose text `claim` takes is
    /// reported as [`ScanEvent::Claimed`] instead of being parsed, and scanning goes on (the
    /// receiver of the events decides when to stop). Each text is reported once per frame it
    /// is seen in.
    pub fn start_claiming(
        mut source: Box<dyn FrameSource>,
        accept: Box<dyn Fn(&Payload) -> bool + Send>,
        claim: Box<dyn Fn(&str) -> bool + Send>,
    ) -> ScanLoop {
        let stop = Arc::new(AtomicBool::new(false));
        let slot = Arc::new(Slot::default());
        let dropped = Arc::new(AtomicU64::new(0));
        let (events, receiver) = channel();

        let reader = {
            let (stop, slot, dropped) = (stop.clone(), slot.clone(), dropped.clone());
            std::thread::spawn(move || {
                while !stop.load(Ordering::Relaxed) {
                    match source.next_frame() {
                        Ok(Some(frame)) => {
                            let mut guard = slot.frame.lock().expect("not poisoned");
                            if guard.0.replace(frame).is_some() {
                                dropped.fetch_add(1, Ordering::Relaxed);
                            }
                            slot.ready.notify_one();
                        }
                        result => {
                            let error = match result {
                                Err(error) => error,
                                _ => CameraError::Stopped("no more frames".into()),
                            };
                            // The decoder still decodes the frame in the slot, then reports this.
                            slot.frame.lock().expect("not poisoned").1 = Some(error);
                            slot.ready.notify_one();
                            return;
                        }
                    }
                }
            })
        };
        let decoder = {
            let (stop, slot) = (stop.clone(), slot.clone());
            std::thread::spawn(move || {
                let hooks = Hooks {
                    accept: &*accept,
                    claim: &*claim,
                };
                decode_newest(&stop, &slot, &dropped, &events, &hooks)
            })
        };
        ScanLoop {
            stop,
            slot,
            threads: vec![reader, decoder],
            events: receiver,
        }
    }

    /// Stops both threads and waits for them.
    pub fn stop(mut self) {
        self.shutdown();
    }

    fn shutdown(&mut self) {
        self.stop.store(true, Ordering::Relaxed);
        self.slot.ready.notify_all();
        for thread in self.threads.drain(..) {
            let _ = thread.join();
        }
    }
}

impl Drop for ScanLoop {
    fn drop(&mut self) {
        self.shutdown();
    }
}

/// What the decoder asks about each code it reads.
struct Hooks<'a> {
    accept: &'a (dyn Fn(&Payload) -> bool + Send),
    claim: &'a (dyn Fn(&str) -> bool + Send),
}

fn decode_newest(
    stop: &AtomicBool,
    slot: &Slot,
    dropped: &AtomicU64,
    events: &Sender<ScanEvent>,
    hooks: &Hooks<'_>,
) {
    let mut decoded = 0;
    loop {
        let frame = {
            let mut guard = slot.frame.lock().expect("not poisoned");
            loop {
                if stop.load(Ordering::Relaxed) {
                    return;
                }
                if let Some(frame) = guard.0.take() {
                    break frame;
                }
                if let Some(error) = guard.1.take() {
                    if !stop.swap(true, Ordering::Relaxed) {
                        let _ = events.send(ScanEvent::Failed(error));
                    }
                    return;
                }
                guard = slot.ready.wait(guard).expect("not poisoned");
            }
        };
        decoded += 1;
        let mut unusable = None;
        for sighting in locate(&frame, Effort::Frame) {
            if let Some(corners) = sighting.corners {
                let _ = events.send(ScanEvent::Seen(Outline {
                    corners,
                    width: frame.width,
                    height: frame.height,
                }));
            }
            if (hooks.claim)(&sighting.text) {
                let _ = events.send(ScanEvent::Claimed(sighting.text));
                continue;
            }
            match parse_payload(&sighting.text) {
                Ok(payload) if !(hooks.accept)(&payload) => {}
                result @ (Ok(_) | Err(PayloadError::MicrosoftPush)) => {
                    if !stop.swap(true, Ordering::Relaxed) {
                        let _ = events.send(ScanEvent::Found(result));
                    }
                    slot.ready.notify_all();
                    return;
                }
                Err(error) => unusable = Some(error),
            }
        }
        let _ = events.send(ScanEvent::Progress {
            decoded,
            dropped: dropped.load(Ordering::Relaxed),
            unusable,
        });
    }
}

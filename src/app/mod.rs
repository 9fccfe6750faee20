//! The app's state and actions, apart from any view: [`state::AppState`] owns the unlocked vault
//! and does everything a screen can ask (unlock, add, edit, trash and undo, search, copy, backup,
//! import, ...); [`rows`] turns accounts into what the list shows; [`settings`] are the user's
//! choices. Views hold an `AppState` in a Dioxus signal and call these methods; slow ones (the
//! key derivation) are split so that the work runs on a blocking thread.

pub mod jobs;
pub mod preview;
pub mod rows;
pub mod settings;
pub mod state;

pub use jobs::{BackupJob, ExportFormat, ExportJob};
pub use state::{AddOutcome, AppError, AppState, ClockCheck, Filter, Phase};

//! Saving a backup or an export: where it goes (a typed path, the desktop's save dialog, or on
//! Android the system's dialog asked in the job) and, on phones, handing it on afterwards.

use std::path::PathBuf;

use dioxus::prelude::*;

use super::use_ctx;
use crate::app::{ExportFormat, Target};
use crate::platform::documents::{ASKS_IN_JOB, CAN_SAVE_COPY, Shareable, Wanted};

/// After a backup or export on a phone: the share sheet (a second way off the phone) and on
/// iOS "Save a copy to…" (the document picker).
#[component]
pub fn ShareBar(item: Shareable) -> Element {
    let ctx = use_ctx();
    let share_item = item.clone();
    rsx! {
        div { id: "share-bar", class: "banner ok", role: "status",
            "The file is written. Move it off this phone:"
            button {
                id: "share-file",
                onclick: move |_| if let Err(e) = share_item.share() { ctx.toast(format!("The share sheet did not open: {e}."), false, 6) },
                "Share…"
            }
            if CAN_SAVE_COPY {
                button {
                    id: "save-copy",
                    onclick: move |_| if let Err(e) = item.save_copy() { ctx.toast(format!("The document picker did not open: {e}."), false, 6) },
                    "Save a copy to…"
                }
            }
        }
    }
}

/// Where a backup or export goes: the typed (or chosen) path; on Android the system's dialog,
/// asked in the job, offering the typed path's file name.
pub fn target_of(typed: &str, mime: &'static str) -> Target {
    let path = PathBuf::from(typed.trim());
    if !ASKS_IN_JOB {
        return Target::Path(path);
    }
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| "tessera-export".into());
    Target::Ask(Wanted { name, mime })
}

/// The MIME type of an export (Android's dialog names and filters by it).
pub fn mime_of(format: ExportFormat) -> &'static str {
    match format {
        ExportFormat::AegisEncrypted | ExportFormat::Aegis => "application/json",
        ExportFormat::Uris => "text/plain",
        ExportFormat::GoogleQr => "image/png",
        ExportFormat::KeePass => "application/x-keepass2",
        _ => "application/octet-stream",
    }
}

/// "Choose…": the desktop's native save dialog, filling `path` (kept typed otherwise).
#[component]
pub fn ChooseFile(path: Signal<String>) -> Element {
    if !cfg!(feature = "desktop") {
        return rsx! {};
    }
    rsx! {
        button {
            class: "choose",
            onclick: move |_| async move {
                let start = PathBuf::from(path.peek().trim());
                if let Some(chosen) = crate::platform::documents::pick_save_path(start).await {
                    path.set(chosen.display().to_string());
                }
            },
            "Choose…"
        }
    }
}

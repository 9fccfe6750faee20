//! Backup and transfer: the automatic-backup status (loud when it failed), a backup now, restore
//! and import with the merge preview, and export.

use std::path::PathBuf;

use dioxus::prelude::*;
use tessera_core::transfer::autobackup;
use tessera_core::transfer::import::Imported;
use tessera_core::transfer::merge::{Outcome, Plan};
use zeroize::Zeroizing;

use super::save::{ChooseFile, ShareBar, mime_of, target_of};
use super::{Screen, Secret, use_ctx};
use crate::app::rows::human_time as utc_stamp;
use crate::app::{ExportFormat, ImportJob, Preview, Source, check_size};
use crate::platform::documents::{ASKS_IN_JOB, Shareable};

/// The transfer screen.
#[component]
pub fn Transfer() -> Element {
    let ctx = use_ctx();
    let status = ctx.state.read().autobackup_status();
    // The file last written, to hand on (phones).
    let shared = use_signal(|| None::<Shareable>);
    rsx! {
        header { class: "bar",
            button { class: "back", aria_label: "Back", onclick: move |_| ctx.go(Screen::List), super::widgets::Icon { name: "back" } }
            h1 { "Backup and transfer" }
        }
        main { class: "transfer",
            match &status {
                Some(s) if s.last_failure.is_some() => {
                    let f = s.last_failure.clone().unwrap_or_else(|| unreachable!());
                    rsx! { p { id: "backup-banner", class: "banner warn", role: "alert", "Last automatic backup failed ({utc_stamp(f.time)}): {f.reason}. Choose another folder." } }
                }
                Some(s) => match &s.last_success {
                    Some(ok) => rsx! { p { id: "backup-banner", class: "banner ok", "Last backup: {utc_stamp(ok.time)} · {ok.accounts} accounts · verified" } },
                    None => rsx! { p { class: "banner", "Automatic backups are on; none made yet." } },
                },
                None => rsx! { p { class: "banner", "Automatic backups are off. Turn them on below so that a new phone never means re-scanning every code." } },
            }
            if let Some(item) = shared() {
                ShareBar { item }
            }
            section {
                h2 { "Send to another device" }
                p { class: "muted", "Move accounts to a new phone with its camera: animated QR codes and a one-time code, no file and no network." }
                button { id: "open-send", onclick: move |_| ctx.go(Screen::Send), "Send to another device" }
            }
            BackupNow { shared }
            if ASKS_IN_JOB {
                section {
                    h2 { "Automatic backups" }
                    p { class: "muted", "On Android, automatic backups could only go inside the app, where they would be lost with the phone. Create a backup above after changes, and keep it off the phone." }
                }
            } else {
                AutoBackup { dir: status.as_ref().map(|s| s.dir.display().to_string()).unwrap_or_default(), keep: status.as_ref().map(|s| s.keep).unwrap_or(autobackup::DEFAULT_KEEP) }
            }
            ImportFile {}
            Export { shared }
        }
    }
}

#[component]
fn BackupNow(shared: Signal<Option<Shareable>>) -> Element {
    let ctx = use_ctx();
    let default = crate::app::transfer::backup_file_in(&crate::platform::files::documents());
    let mut path = use_signal(|| default.display().to_string());
    let mut password = use_signal(Secret::default);
    let mut vault_password = use_signal(Secret::default);
    rsx! {
        section {
            h2 { "Create a backup now" }
            p { class: "muted", "An encrypted file with every account, note and tag. Keep it off this device." }
            if ASKS_IN_JOB {
                p { class: "muted", "You choose where it goes (Downloads, a USB stick, a cloud drive) after the passwords." }
            } else {
                label { r#for: "backup-path", "File" }
                div { class: "row-field",
                    input { id: "backup-path", value: "{path}", oninput: move |e| path.set(e.value()) }
                    ChooseFile { path }
                }
            }
            label { r#for: "backup-password", "Backup password" }
            input { id: "backup-password", r#type: "password", oninput: move |e| password.set(Secret::new(e.value())) }
            label { r#for: "backup-vault-password", "Your vault password (every seed leaves the vault)" }
            input { id: "backup-vault-password", r#type: "password", autocomplete: "current-password", value: "{vault_password.read().as_str()}", oninput: move |e| vault_password.set(Secret::new(e.value())) }
            super::biometric::ReauthHint {}
            button {
                id: "backup-now", class: "primary",
                onclick: move |_| {
                    let target = target_of(&path.read(), "application/octet-stream");
                    let vault_pw = vault_password.read().clone();
                    vault_password.set(Secret::default());
                    let job = ctx.state.read().backup_job(target, vault_pw, password.read().clone());
                    match job {
                        Ok(job) => ctx.run_job(
                            "Checking the password, writing and verifying the backup…",
                            move |progress| job.run(progress),
                            move |result| match result {
                                Ok(saved) => {
                                    let w = &saved.result;
                                    ctx.toast(format!("Backup of {} accounts written to {} and verified.", w.accounts, w.path.display()), false, 8);
                                    shared.set(saved.share);
                                }
                                Err(e) => ctx.error(&e),
                            },
                        ),
                        Err(e) => ctx.error(&e),
                    }
                },
                "Create backup"
            }
        }
    }
}

#[component]
fn AutoBackup(dir: String, keep: usize) -> Element {
    let ctx = use_ctx();
    let mut folder = use_signal(|| {
        if dir.is_empty() {
            crate::platform::files::documents()
                .join("Tessera backups")
                .display()
                .to_string()
        } else {
            dir.clone()
        }
    });
    let mut count = use_signal(|| keep.to_string());
    let mut old_password = use_signal(Secret::default);
    rsx! {
        section {
            h2 { "Automatic backups" }
            p { class: "muted", "After every change, a copy of the vault (encrypted with your vault password) goes to this folder." }
            label { r#for: "auto-dir", "Folder" }
            div { class: "row-field",
                input { id: "auto-dir", value: "{folder}", oninput: move |e| folder.set(e.value()) }
                if cfg!(feature = "desktop") {
                    button {
                        id: "auto-dir-choose",
                        onclick: move |_| async move {
                            let start = PathBuf::from(folder.peek().trim());
                            if let Some(dir) = crate::platform::documents::pick_folder(start).await {
                                folder.set(dir.display().to_string());
                            }
                        },
                        "Choose…"
                    }
                }
            }
            label { r#for: "auto-keep", "Keep the newest" }
            input { id: "auto-keep", r#type: "number", min: 1, value: "{count}", oninput: move |e| count.set(e.value()) }
            button {
                id: "auto-on",
                onclick: move |_| {
                    let keep = count.read().trim().parse().unwrap_or(autobackup::DEFAULT_KEEP);
                    let dir = PathBuf::from(folder.read().trim());
                    let result = ctx.with_state(|s| s.enable_autobackup(&dir, keep));
                    ctx.report(result, "Automatic backups are on; the first one is made and verified.");
                    ctx.go(Screen::Transfer);
                },
                "Turn on / update"
            }
            details {
                summary { "After a password change: seal older automatic backups again" }
                p { class: "muted", "Automatic backups made before a password change still open with the old password. Type it to seal them again under the current one." }
                label { r#for: "rewrite-old-password", "The old password" }
                input { id: "rewrite-old-password", r#type: "password", value: "{old_password.read().as_str()}", oninput: move |e| old_password.set(Secret::new(e.value())) }
                button {
                    id: "rewrite-backups",
                    onclick: move |_| {
                        let old = old_password.read().clone();
                        old_password.set(Secret::default());
                        let job = ctx.state.read().rewrite_backups_job(old);
                        match job {
                            Ok(job) => ctx.run_job(
                                "Sealing the older backups again…",
                                move |progress| job.run(progress),
                                move |result| match result {
                                    Ok(n) => ctx.toast(format!("{n} automatic backups sealed again: the old password opens none of them."), false, 6),
                                    Err(e) => ctx.error(&e),
                                },
                            ),
                            Err(e) => ctx.error(&e),
                        }
                    },
                    "Seal them again"
                }
            }
            button {
                onclick: move |_| {
                    let result = ctx.state.read().disable_autobackup();
                    ctx.report(result, "Automatic backups are off.");
                    ctx.go(Screen::Transfer);
                },
                "Turn off"
            }
        }
    }
}

#[component]
fn ImportFile() -> Element {
    let ctx = use_ctx();
    let mut bytes = use_signal(|| None::<Vec<u8>>);
    let mut typed_path = use_signal(String::new);
    let mut password = use_signal(Secret::default);
    let mut key_file = use_signal(|| None::<Zeroizing<Vec<u8>>>);
    let mut preview = use_signal(|| None::<Preview>);
    let run_preview = move |_| {
        // The file chosen, else the path typed (desktop).
        let source = match bytes.read().clone() {
            Some(data) => Source::Chosen(data),
            None if !typed_path.read().trim().is_empty() => {
                Source::Path(PathBuf::from(typed_path.read().trim()))
            }
            None => {
                ctx.toast("Choose a file first.", false, 4);
                return;
            }
        };
        let job =
            ImportJob::new(source, password.read().clone()).with_key_file(key_file.read().clone());
        ctx.run_cancellable_job(
            "Reading the file…",
            move |progress| job.run(progress),
            move |result| match result.and_then(|imported| ctx.state.read().preview(imported)) {
                Ok(found) => preview.set(Some(found)),
                Err(e) => ctx.error(&e),
            },
        );
    };
    rsx! {
        section {
            h2 { "Restore a backup or import from another app" }
            p { id: "import-formats", class: "muted", "Reads: {crate::app::transfer::readable_formats()}. The format is recognised from the file." }
            input {
                id: "import-file", r#type: "file",
                onchange: move |e| async move {
                    if let Some(file) = e.files().into_iter().next() {
                        if let Err(error) = check_size(file.size()) {
                            ctx.error(&error);
                            return;
                        }
                        match file.read_bytes().await {
                            Ok(data) => { bytes.set(Some(data.to_vec())); preview.set(None); }
                            Err(_) => ctx.toast("Could not read that file.", false, 5),
                        }
                    }
                },
            }
            if cfg!(feature = "desktop") {
                label { r#for: "import-path", "or its path" }
                input { id: "import-path", placeholder: "/home/you/Downloads/tessera-backup.tessera", oninput: move |e| typed_path.set(e.value()) }
            }
            label { r#for: "import-password", "The file's password (if it has one)" }
            input { id: "import-password", r#type: "password", oninput: move |e| password.set(Secret::new(e.value())) }
            details { class: "advanced",
                summary { "KeePass key file" }
                p { class: "muted", "A KeePass database locked with a key file needs it too (with its password, if it has one)." }
                input {
                    id: "import-key-file", r#type: "file", aria_label: "KeePass key file",
                    onchange: move |e| async move {
                        if let Some(file) = e.files().into_iter().next() {
                            if file.size() > 1 << 20 {
                                ctx.toast("That file is over 1 MiB: choose the key file the KeePass database was made with.", false, 6);
                                return;
                            }
                            match file.read_bytes().await {
                                Ok(data) => { key_file.set(Some(Zeroizing::new(data.to_vec()))); preview.set(None); }
                                Err(_) => ctx.toast("Could not read that key file.", false, 5),
                            }
                        }
                    },
                }
            }
            button { id: "import-preview", onclick: run_preview, "Preview" }
            if let Some(found) = preview() {
                div { class: "merge-preview", role: "region", aria_label: "Merge preview",
                    MergePreview { imported: found.imported, plan: found.plan }
                    button {
                        id: "import-apply", class: "primary",
                        onclick: move |_| {
                            let Some(found) = preview() else { return };
                            let result = ctx.with_state(|s| s.apply(&found));
                            match result {
                                Ok(n) => { ctx.toast(format!("{n} accounts added."), false, 5); preview.set(None); ctx.go(Screen::List); }
                                Err(e) => ctx.error(&e),
                            }
                        },
                        "Import"
                    }
                }
            }
        }
    }
}

#[component]
fn Export(shared: Signal<Option<Shareable>>) -> Element {
    let ctx = use_ctx();
    let mut format = use_signal(|| ExportFormat::AegisEncrypted);
    let mut query = use_signal(String::new);
    let mut path = use_signal(|| {
        crate::platform::files::documents()
            .join("tessera-export.json")
            .display()
            .to_string()
    });
    let mut password = use_signal(Secret::default);
    let mut vault_password = use_signal(Secret::default);
    let plain = format.read().is_plain();
    rsx! {
        section {
            h2 { "Export" }
            label { r#for: "export-format", "Format" }
            select { id: "export-format", onchange: move |e| if let Some(f) = ExportFormat::from_id(&e.value()) {
                    format.set(f);
                    let renamed = crate::app::export::path_for_format(&path.read(), f);
                    path.set(renamed);
                },
                for f in ExportFormat::ALL {
                    option { value: f.id(), selected: format() == f, "{f.name()}" }
                }
            }
            if plain {
                p { class: "banner warn", role: "alert", "This file holds your secrets unencrypted. Keep it safe and delete it after use." }
            }
            label { r#for: "export-query", "Only accounts matching (empty: all)" }
            input { id: "export-query", placeholder: "e.g. a tenant", oninput: move |e| query.set(e.value()) }
            if !ASKS_IN_JOB {
                label { r#for: "export-path", "File" }
                div { class: "row-field",
                    input { id: "export-path", value: "{path}", oninput: move |e| path.set(e.value()) }
                    ChooseFile { path }
                }
            }
            if format.read().needs_password() {
                label { r#for: "export-password", "Password for the file" }
                input { id: "export-password", r#type: "password", oninput: move |e| password.set(Secret::new(e.value())) }
            }
            label { r#for: "export-vault-password", "Your vault password (the seeds leave the vault)" }
            input { id: "export-vault-password", r#type: "password", autocomplete: "current-password", value: "{vault_password.read().as_str()}", oninput: move |e| vault_password.set(Secret::new(e.value())) }
            super::biometric::ReauthHint {}
            button {
                id: "export-now",
                onclick: move |_| {
                    let target = target_of(&path.read(), mime_of(format()));
                    let vault_pw = vault_password.read().clone();
                    vault_password.set(Secret::default());
                    let job = ctx.state.read().export_job(format(), &query.read(), target, vault_pw, password.read().clone());
                    match job {
                        Ok(job) => ctx.run_job(
                            "Checking the password and exporting…",
                            move |progress| job.run(progress),
                            move |result| match result {
                                Ok(saved) => {
                                    ctx.toast(saved.result, false, 6);
                                    shared.set(saved.share);
                                }
                                Err(e) => ctx.error(&e),
                            },
                        ),
                        Err(e) => ctx.error(&e),
                    }
                },
                "Export"
            }
        }
    }
}

/// What an import or restore will do: counts, then every entry.
#[component]
pub fn MergePreview(imported: Imported, plan: Plan, source: Option<String>) -> Element {
    let source = source.unwrap_or_else(|| format!("{} file", imported.format.name()));
    rsx! {
        p { class: "preview-summary",
            "{source}: New {plan.new_count()} · Already here, skipped {plan.duplicate_count()} · Second authenticator for an account you have {plan.independent_count()} (kept) · Could not be read {imported.failures().len()}"
        }
        ul {
            for item in plan.items.iter() {
                li { class: "preview-item",
                    match &item.outcome {
                        Outcome::New => rsx! { "New: {item.account.label()}" },
                        Outcome::Duplicate { of } => rsx! { "Already here: {of}" },
                        Outcome::Independent { of } => rsx! { "Second authenticator: {of}" },
                    }
                }
            }
            for failure in imported.failures() {
                li { class: "preview-item error", "Could not be read: {failure}" }
            }
        }
        for note in imported.notes.iter() {
            p { class: "muted", "{note}" }
        }
    }
}

//! Backup and transfer: the automatic-backup status (loud when it failed), a backup now, restore
//! and import with the merge preview, and export.

use std::path::PathBuf;

use dioxus::prelude::*;
use tessera_core::otp::unix_now;
use tessera_core::transfer::autobackup;

use tessera_core::transfer::import::{Imported, import};
use tessera_core::transfer::merge::{Outcome, Plan, plan};
use tessera_core::vault::KdfParams;

use super::{Ctx, Screen, Secret, off_thread_guarded};
use crate::app::rows::human_time as utc_stamp;
use crate::app::{AppError, ExportFormat};

fn documents() -> PathBuf {
    directories::UserDirs::new()
        .map(|d| d.document_dir().unwrap_or(d.home_dir()).to_owned())
        .unwrap_or_else(|| PathBuf::from("."))
}

/// The transfer screen.
#[component]
pub fn Transfer() -> Element {
    let ctx = use_context::<Ctx>();
    let status = ctx.state.read().autobackup_status();
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
            BackupNow {}
            AutoBackup { dir: status.as_ref().map(|s| s.dir.display().to_string()).unwrap_or_default(), keep: status.as_ref().map(|s| s.keep).unwrap_or(autobackup::DEFAULT_KEEP) }
            ImportFile {}
            Export {}
        }
    }
}

#[component]
fn BackupNow() -> Element {
    let ctx = use_context::<Ctx>();
    let default = documents().join(format!(
        "tessera-backup-{}.tessera",
        autobackup::utc_stamp(unix_now())
    ));
    let mut path = use_signal(|| default.display().to_string());
    let mut password = use_signal(Secret::default);
    let mut vault_password = use_signal(Secret::default);
    rsx! {
        section {
            h2 { "Create a backup now" }
            p { class: "muted", "An encrypted file with every account, note and tag. Keep it off this device." }
            label { r#for: "backup-path", "File" }
            input { id: "backup-path", value: "{path}", oninput: move |e| path.set(e.value()) }
            label { r#for: "backup-password", "Backup password" }
            input { id: "backup-password", r#type: "password", oninput: move |e| password.set(Secret::new(e.value())) }
            label { r#for: "backup-vault-password", "Your vault password (every seed leaves the vault)" }
            input { id: "backup-vault-password", r#type: "password", autocomplete: "current-password", value: "{vault_password.read().as_str()}", oninput: move |e| vault_password.set(Secret::new(e.value())) }
            button {
                id: "backup-now", class: "primary",
                onclick: move |_| {
                    let (target, pw) = (PathBuf::from(path.read().trim()), password.read().clone());
                    let vault_pw = vault_password.read().clone();
                    vault_password.set(Secret::default());
                    let job = match ctx.state.read().backup_job() {
                        Ok(job) => job,
                        Err(e) => { ctx.error(&e); return; }
                    };
                    let mut ui = ctx.ui;
                    ui.write().busy = Some("Checking the password, writing and verifying the backup…".into());
                    spawn(async move {
                        let result = off_thread_guarded(move || {
                            let (kdf, _) = KdfParams::calibrate();
                            job.run(&target, &vault_pw, &pw, kdf)
                        })
                        .await;
                        ui.write().busy = None;
                        match result {
                            Ok(w) => ctx.toast(format!("Backup of {} accounts written to {} and verified.", w.accounts, w.path.display()), false, 8),
                            Err(e) => ctx.error(&e),
                        }
                    });
                },
                "Create backup"
            }
        }
    }
}

#[component]
fn AutoBackup(dir: String, keep: usize) -> Element {
    let ctx = use_context::<Ctx>();
    let mut folder = use_signal(|| {
        if dir.is_empty() {
            documents().join("Tessera backups").display().to_string()
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
            input { id: "auto-dir", value: "{folder}", oninput: move |e| folder.set(e.value()) }
            label { r#for: "auto-keep", "Keep the newest" }
            input { id: "auto-keep", r#type: "number", min: 1, value: "{count}", oninput: move |e| count.set(e.value()) }
            button {
                id: "auto-on",
                onclick: move |_| {
                    let state = ctx.state.read();
                    let keep = count.read().trim().parse().unwrap_or(autobackup::DEFAULT_KEEP);
                    let dir = PathBuf::from(folder.read().trim());
                    let result = autobackup::configure(state.vault_path(), &dir, keep)
                        .and_then(|_| state.vault().and_then(|v| autobackup::after_change(v, unix_now())).unwrap_or(Ok(autobackup::Success { time: 0, file: dir.clone(), accounts: 0 })));
                    drop(state);
                    match result {
                        Ok(_) => ctx.toast("Automatic backups are on; the first one is made and verified.", false, 6),
                        Err(e) => ctx.error(&e.into()),
                    }
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
                        let state = ctx.state.read();
                        let path = state.vault_path().to_owned();
                        let Some(resealer) = state.vault().map(|v| v.resealer()) else { return };
                        drop(state);
                        let mut ui = ctx.ui;
                        ui.write().busy = Some("Sealing the older backups again…".into());
                        spawn(async move {
                            let result = off_thread_guarded(move || {
                                autobackup::rewrite(&path, &resealer, old.as_bytes()).map_err(AppError::from)
                            })
                            .await;
                            ui.write().busy = None;
                            match result {
                                Ok(n) => ctx.toast(format!("{n} automatic backups sealed again: the old password opens none of them."), false, 6),
                                Err(e) => ctx.error(&e),
                            }
                        });
                    },
                    "Seal them again"
                }
            }
            button {
                onclick: move |_| {
                    let path = ctx.state.read().vault_path().to_owned();
                    match autobackup::disable(&path) {
                        Ok(()) => ctx.toast("Automatic backups are off.", false, 4),
                        Err(e) => ctx.error(&e.into()),
                    }
                    ctx.go(Screen::Transfer);
                },
                "Turn off"
            }
        }
    }
}

#[component]
fn ImportFile() -> Element {
    let ctx = use_context::<Ctx>();
    let mut bytes = use_signal(|| None::<Vec<u8>>);
    let mut typed_path = use_signal(String::new);
    let mut password = use_signal(Secret::default);
    let mut preview = use_signal(|| None::<(Imported, Plan)>);
    let run_preview = move |_| {
        // The file chosen, else the path typed (desktop).
        let chosen = bytes.read().clone();
        let path = typed_path.read().trim().to_owned();
        if chosen.is_none() && path.is_empty() {
            ctx.toast("Choose a file first.", false, 4);
            return;
        }
        let pw = password.read().clone();
        let mut ui = ctx.ui;
        ui.write().busy = Some("Reading the file…".into());
        spawn(async move {
            let result = off_thread_guarded(move || {
                let data = match chosen {
                    Some(data) => data,
                    None => {
                        let cannot = |e: std::io::Error| {
                            AppError::new(
                                format!("Cannot read {path}: {e}."),
                                "Check the path, or choose the file with the button.",
                            )
                        };
                        let size = std::fs::metadata(&path).map_err(cannot)?.len();
                        super::check_size(size, tessera_core::transfer::MAX_IMPORT_SIZE)?;
                        std::fs::read(&path).map_err(cannot)?
                    }
                };
                import(
                    &data,
                    (!pw.is_empty()).then_some(pw.as_bytes()),
                    None,
                    unix_now(),
                )
                .map_err(AppError::from)
            })
            .await;
            ui.write().busy = None;
            match result {
                Ok(imported) => {
                    let merge = ctx
                        .state
                        .read()
                        .vault()
                        .map(|v| plan(v, imported.accounts()))
                        .unwrap_or_default();
                    preview.set(Some((imported, merge)));
                }
                Err(e) => ctx.error(&e),
            }
        });
    };
    rsx! {
        section {
            h2 { "Restore a backup or import from another app" }
            p { class: "muted", "Tessera backups, Aegis, 2FAS, Google Authenticator (export text or QR screenshot), Ente, andOTP, FreeOTP+ and FreeOTP, Bitwarden, Proton Authenticator, Stratum, Authy, Raivo, Authenticator Plus, TOTP Authenticator, LastPass, Battle.net, Steam, Duo, and the databases of Google and Microsoft Authenticator. The format is recognised from the file." }
            input {
                id: "import-file", r#type: "file",
                onchange: move |e| async move {
                    if let Some(file) = e.files().into_iter().next() {
                        if let Err(error) = super::check_size(file.size(), tessera_core::transfer::MAX_IMPORT_SIZE) {
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
            button { id: "import-preview", onclick: run_preview, "Preview" }
            if let Some((imported, merge)) = preview() {
                div { class: "merge-preview", role: "region", aria_label: "Merge preview",
                    MergePreview { imported, plan: merge }
                    button {
                        id: "import-apply", class: "primary",
                        onclick: move |_| {
                            let Some((_, merge)) = preview() else { return };
                            let result = ctx.with_state(|s| s.apply(&merge));
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
fn Export() -> Element {
    let ctx = use_context::<Ctx>();
    let mut format = use_signal(|| "aegis-encrypted".to_owned());
    let mut query = use_signal(String::new);
    let mut path = use_signal(|| {
        documents()
            .join("tessera-export.json")
            .display()
            .to_string()
    });
    let mut password = use_signal(Secret::default);
    let mut vault_password = use_signal(Secret::default);
    let plain = matches!(format.read().as_str(), "aegis" | "uris");
    rsx! {
        section {
            h2 { "Export" }
            label { r#for: "export-format", "Format" }
            select { id: "export-format", onchange: move |e| format.set(e.value()),
                option { value: "aegis-encrypted", "Aegis (encrypted)" }
                option { value: "aegis", "Aegis (not encrypted)" }
                option { value: "uris", "otpauth:// list (not encrypted)" }
                option { value: "google-qr", "Google Authenticator QR codes (PNG)" }
            }
            if plain {
                p { class: "banner warn", role: "alert", "This file holds your secrets unencrypted. Keep it safe and delete it after use." }
            }
            label { r#for: "export-query", "Only accounts matching (empty: all)" }
            input { id: "export-query", placeholder: "e.g. a tenant", oninput: move |e| query.set(e.value()) }
            label { r#for: "export-path", "File" }
            input { id: "export-path", value: "{path}", oninput: move |e| path.set(e.value()) }
            if format.read().as_str() == "aegis-encrypted" {
                label { r#for: "export-password", "Password for the file" }
                input { id: "export-password", r#type: "password", oninput: move |e| password.set(Secret::new(e.value())) }
            }
            label { r#for: "export-vault-password", "Your vault password (the seeds leave the vault)" }
            input { id: "export-vault-password", r#type: "password", autocomplete: "current-password", value: "{vault_password.read().as_str()}", oninput: move |e| vault_password.set(Secret::new(e.value())) }
            button {
                id: "export-now",
                onclick: move |_| {
                    let Some(kind) = ExportFormat::parse(&format.read()) else { return };
                    let job = match ctx.state.read().export_job(&query.read()) {
                        Ok(job) => job,
                        Err(e) => { ctx.error(&e); return; }
                    };
                    let target = PathBuf::from(path.read().trim());
                    let (vault_pw, file_pw) = (vault_password.read().clone(), password.read().clone());
                    vault_password.set(Secret::default());
                    let mut ui = ctx.ui;
                    ui.write().busy = Some("Checking the password and exporting…".into());
                    spawn(async move {
                        let result = off_thread_guarded(move || job.run(kind, &target, &vault_pw, &file_pw)).await;
                        ui.write().busy = None;
                        match result {
                            Ok(text) => ctx.toast(text, false, 6),
                            Err(e) => ctx.error(&e),
                        }
                    });
                },
                "Export"
            }
        }
    }
}

/// What an import or restore will do: counts, then every entry.
#[component]
pub fn MergePreview(imported: Imported, plan: Plan) -> Element {
    rsx! {
        p { class: "preview-summary",
            "{imported.format.name()} file: New {plan.new_count()} · Already here, skipped {plan.duplicate_count()} · Second authenticator for an account you have {plan.independent_count()} (kept) · Could not be read {imported.failures().len()}"
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

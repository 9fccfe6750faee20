//! Settings › Sync: join a sync folder with the sync password, then its status (devices, last
//! sync, conflicts, files not merged), Sync now, removing a device, leaving.

use std::path::PathBuf;

use dioxus::prelude::*;
use tessera_core::transfer::autobackup::utc_stamp;

use super::{Ctx, Secret, use_ctx};
use crate::app::sync::summary;

/// The Sync section of the settings.
#[component]
pub fn SyncSettings() -> Element {
    let ctx = use_ctx();
    let (folder, status, error) = {
        let state = ctx.state.read();
        (
            state.sync_folder().cloned(),
            state.sync_status(),
            state.sync_error().cloned(),
        )
    };
    rsx! {
        section { id: "sync",
            h2 { "Sync" }
            match (folder, status) {
                (None, _) => rsx! { JoinForm {} },
                (Some(folder), status) => rsx! {
                    p { id: "sync-folder", "Syncing through {folder.display()}." }
                    if let Some(error) = error {
                        p { id: "sync-error", class: "banner warn", role: "alert", "The last sync failed: {error.message()} {error.advice()}" }
                    }
                    match status {
                        Some(Ok(status)) => rsx! {
                            p { id: "sync-last", class: "muted",
                                match status.last_sync {
                                    Some(at) => format!("Last sync: {}.", utc_stamp(at)),
                                    None => "Not synced yet.".to_owned(),
                                }
                            }
                            if status.conflicts > 0 {
                                p { id: "sync-conflicts", class: "banner warn", "{status.conflicts} conflict copies: two devices changed the same account at once. They are in the list, marked; keep one or both." }
                            }
                            h3 { "Devices" }
                            ul { id: "sync-devices",
                                for device in status.devices.clone() {
                                    li { key: "{device.id}",
                                        span { class: "device-name", "{device.name}" }
                                        span { class: "muted",
                                            if device.this { " — this device" }
                                            else if device.removed { " — removed" }
                                            else { match device.last_change { Some(at) => format!(" — last change {}", utc_stamp(at)), None => " — no file in the folder yet".to_owned() } }
                                        }
                                    }
                                }
                            }
                            for (path, problem) in status.problems.clone() {
                                p { class: "banner warn sync-problem", "Not merged: {path.display()}: {problem}. {problem.advice()}" }
                            }
                            RemoveDevice { names: status.devices.iter().filter(|d| !d.this && !d.removed).map(|d| d.name.clone()).collect::<Vec<_>>() }
                        },
                        Some(Err(error)) => rsx! { p { class: "banner warn", role: "alert", "{error.message()} {error.advice()}" } },
                        None => rsx! {},
                    }
                    div { class: "row-buttons",
                        button {
                            id: "sync-now",
                            class: "primary",
                            onclick: move |_| match ctx.with_state(|s| s.sync_now()) {
                                Ok(Some(report)) => ctx.toast(summary(&report).unwrap_or_else(|| "In step with your other devices.".into()), false, 6),
                                Ok(None) => {}
                                Err(e) => ctx.error(&e),
                            },
                            "Sync now"
                        }
                        button {
                            id: "sync-leave",
                            onclick: move |_| {
                                let result = ctx.with_state(|s| s.leave_sync());
                                ctx.report(result, "This device no longer syncs; its accounts stay.");
                            },
                            "Stop syncing this device"
                        }
                    }
                    FollowRekey {}
                },
            }
        }
    }
}

/// Not syncing yet: the folder, this device's name, the sync password.
#[component]
fn JoinForm() -> Element {
    let ctx = use_ctx();
    let mut folder = use_signal(String::new);
    let mut name = use_signal(default_name);
    let mut password = use_signal(Secret::default);
    rsx! {
        p { class: "muted", "Keep this vault in step with your other devices through a folder that Syncthing, Nextcloud or Dropbox already syncs. Tessera writes one encrypted file per device there and never goes online itself." }
        label { r#for: "sync-dir", "Sync folder" }
        div { class: "row",
            input { id: "sync-dir", value: "{folder}", oninput: move |e| folder.set(e.value()) }
            if cfg!(feature = "desktop") || crate::platform::sync_folder::PICKS_TREE {
                button {
                    id: "sync-dir-choose",
                    onclick: move |_| async move {
                        let start = PathBuf::from(folder.peek().trim());
                        if let Some(dir) = crate::platform::sync_folder::pick(start).await {
                            folder.set(dir.display().to_string());
                        }
                    },
                    "Choose…"
                }
            }
        }
        label { r#for: "sync-name", "This device's name" }
        input { id: "sync-name", value: "{name}", oninput: move |e| name.set(e.value()) }
        label { r#for: "sync-password", "Sync password (the first device's, or a new one to start a sync)" }
        input { id: "sync-password", r#type: "password", autocomplete: "off", value: "{password.read().as_str()}", oninput: move |e| password.set(Secret::new(e.value())) }
        button {
            id: "sync-join",
            class: "primary",
            onclick: move |_| {
                let typed = password.read().clone();
                password.set(Secret::default());
                join(ctx, folder.read().clone(), name.read().clone(), typed);
            },
            "Join"
        }
    }
}

fn default_name() -> String {
    if cfg!(target_os = "android") {
        "Android phone".into()
    } else if cfg!(target_os = "ios") {
        "iPhone".into()
    } else {
        std::env::var("HOSTNAME").unwrap_or_else(|_| "This computer".into())
    }
}

fn join(ctx: Ctx, folder: String, name: String, password: Secret) {
    let job = ctx.state.read().sync_join_job(&folder, password);
    let job = match job {
        Ok(job) => job,
        Err(e) => return ctx.error(&e),
    };
    ctx.with_state(|s| s.set_join_folder(&folder));
    ctx.run_job(
        "Opening the sync…",
        move |progress| job.run(progress),
        move |key| match key.and_then(|k| ctx.with_state(|s| s.finish_sync_join(&name, k))) {
            Ok(report) => ctx.toast(
                summary(&report).unwrap_or_else(|| "This device syncs now. Join your other devices with the same sync password.".into()),
                false,
                8,
            ),
            Err(e) => ctx.error(&e),
        },
    );
}

/// Removing a device: a new sync password, typed twice.
#[component]
fn RemoveDevice(names: Vec<String>) -> Element {
    let ctx = use_ctx();
    let mut who = use_signal(|| None::<String>);
    let mut new = use_signal(Secret::default);
    let mut again = use_signal(Secret::default);
    if names.is_empty() {
        return rsx! {};
    }
    let first = names[0].clone();
    rsx! {
        details { id: "sync-remove",
            summary { "Remove a device (lost or handed on)" }
            p { class: "muted", "Its files are ignored from now on and the sync gets a new password, which you then type on your other devices. Seeds it already holds stay valid until you enrol those accounts again." }
            select {
                id: "sync-remove-device",
                onchange: move |e| who.set(Some(e.value())),
                for name in names.iter() {
                    option { value: "{name}", "{name}" }
                }
            }
            label { r#for: "sync-new-1", "New sync password" }
            input { id: "sync-new-1", r#type: "password", autocomplete: "new-password", oninput: move |e| new.set(Secret::new(e.value())) }
            label { r#for: "sync-new-2", "Repeat the new sync password" }
            input { id: "sync-new-2", r#type: "password", autocomplete: "new-password", oninput: move |e| again.set(Secret::new(e.value())) }
            button {
                id: "sync-remove-apply",
                onclick: move |_| {
                    let target = who().unwrap_or_else(|| first.clone());
                    let job = ctx.state.read().sync_rekey_job(new.read().clone(), &again.read());
                    let job = match job { Ok(job) => job, Err(e) => return ctx.error(&e) };
                    ctx.run_job(
                        "Making the new sync key…",
                        move |progress| job.run(progress),
                        move |key| match key.and_then(|k| ctx.with_state(|s| s.finish_remove_device(&target, k))) {
                            Ok(message) => ctx.toast(message, false, 15),
                            Err(e) => ctx.error(&e),
                        },
                    );
                },
                "Remove and re-key"
            }
        }
    }
}

/// After another device removed one: the new sync password.
#[component]
fn FollowRekey() -> Element {
    let ctx = use_ctx();
    let mut password = use_signal(Secret::default);
    rsx! {
        details { id: "sync-follow",
            summary { "The sync has a new password" }
            p { class: "muted", "When another device removed one, type the new sync password here." }
            input { id: "sync-follow-password", r#type: "password", autocomplete: "off", aria_label: "New sync password", oninput: move |e| password.set(Secret::new(e.value())) }
            button {
                id: "sync-follow-apply",
                onclick: move |_| {
                    let job = ctx.state.read().sync_follow_job(password.read().clone());
                    password.set(Secret::default());
                    let job = match job { Ok(job) => job, Err(e) => return ctx.error(&e) };
                    ctx.run_job(
                        "Opening the sync with its new password…",
                        move |progress| job.run(progress),
                        move |key| match key.and_then(|k| ctx.with_state(|s| s.finish_sync_rekeyed(k))) {
                            Ok(report) => ctx.toast(summary(&report).unwrap_or_else(|| "In step again.".into()), false, 6),
                            Err(e) => ctx.error(&e),
                        },
                    );
                },
                "Use the new password"
            }
        }
    }
}

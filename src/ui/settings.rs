//! Settings: security, clipboard, appearance, time; password and keyring unlock.

use dioxus::prelude::*;
use tessera_core::vault::{KdfParams, Vault};

use super::{Ctx, Screen, Secret, off_thread};
use crate::app::settings::{GroupBy, Theme};
use crate::app::{AppError, AppState, ClockCheck};
use tessera_core::otp::AccountId;

/// The settings screen.
#[component]
pub fn SettingsScreen() -> Element {
    let ctx = use_context::<Ctx>();
    let settings = ctx.state.read().settings.clone();
    let has_keystore = ctx
        .state
        .read()
        .vault()
        .is_some_and(Vault::has_keystore_slot);
    let update = move |change: Box<dyn FnOnce(&mut crate::app::settings::Settings)>| {
        let mut state = ctx.state;
        change(&mut state.write().settings);
        if let Err(e) = state.read().save_settings() {
            ctx.error(&e);
        }
    };
    // A weaker lock setting waits here until the vault password confirms it.
    let mut pending = use_signal(|| None::<crate::app::settings::Settings>);
    let mut confirm_password = use_signal(Secret::default);
    let mut propose = move |change: Box<dyn FnOnce(&mut crate::app::settings::Settings)>| {
        let current = ctx.state.read().settings.clone();
        let mut proposed = current.clone();
        change(&mut proposed);
        if AppState::weakens_lock(&current, &proposed) {
            pending.set(Some(proposed));
        } else {
            pending.set(None);
            update(Box::new(move |s| *s = proposed));
        }
    };
    let mut keystore_password = use_signal(Secret::default);
    let mut old = use_signal(Secret::default);
    let mut new = use_signal(Secret::default);
    let mut again = use_signal(Secret::default);
    rsx! {
        header { class: "bar",
            button { class: "back", aria_label: "Back", onclick: move |_| ctx.go(Screen::List), super::widgets::Icon { name: "back" } }
            h1 { "Settings" }
        }
        main { class: "settings",
            section {
                h2 { "Security" }
                label { r#for: "auto-lock", "Lock after" }
                select {
                    id: "auto-lock",
                    onchange: move |e| { let v = e.value().parse().unwrap_or(300); propose(Box::new(move |s| s.auto_lock_secs = v)) },
                    for (secs, text) in [(60u64, "1 minute"), (300, "5 minutes"), (900, "15 minutes"), (3600, "1 hour"), (0, "never")] {
                        option { value: "{secs}", selected: pending().as_ref().unwrap_or(&settings).auto_lock_secs == secs, "{text}" }
                    }
                }
                label { class: "check",
                    input { id: "lock-when-hidden", r#type: "checkbox", checked: pending().as_ref().unwrap_or(&settings).lock_when_hidden, onchange: move |e| { let v = e.checked(); propose(Box::new(move |s| s.lock_when_hidden = v)) } }
                    "Lock when the window is minimised or hidden"
                }
                if pending().is_some() {
                    div { id: "lock-confirm", class: "banner warn", role: "alert",
                        p { "This makes Tessera lock less often. Confirm with your vault password." }
                        input { id: "lock-confirm-password", r#type: "password", aria_label: "Vault password", autocomplete: "current-password", value: "{confirm_password.read().as_str()}", oninput: move |e| confirm_password.set(Secret::new(e.value())) }
                        button {
                            id: "lock-confirm-apply",
                            onclick: move |_| {
                                let Some(proposed) = pending() else { return };
                                let password = confirm_password.read().clone();
                                confirm_password.set(Secret::default());
                                ctx.reauthenticate(password, move || {
                                    pending.set(None);
                                    update(Box::new(move |s| *s = proposed));
                                    ctx.toast("Lock settings changed.", false, 4);
                                });
                            },
                            "Apply"
                        }
                        button { onclick: move |_| { pending.set(None); confirm_password.set(Secret::default()); }, "Cancel" }
                    }
                }
                label { class: "check",
                    input { id: "tap-to-reveal", r#type: "checkbox", checked: settings.tap_to_reveal, onchange: move |e| { let v = e.checked(); update(Box::new(move |s| s.tap_to_reveal = v)) } }
                    "Hide codes until tapped"
                }
                if has_keystore {
                    p { "Unlock with the system keyring on this device is on." }
                    button {
                        id: "keystore-off",
                        onclick: move |_| match keystore_switch(ctx, false, None) {
                            Ok(()) => ctx.toast("Unlock through the system keyring is off.", false, 4),
                            Err(e) => ctx.error(&e),
                        },
                        "Turn keyring unlock off"
                    }
                } else {
                    label { r#for: "keystore-password", "Unlock with the system keyring on this device: confirm with your vault password" }
                    input { id: "keystore-password", r#type: "password", autocomplete: "current-password", value: "{keystore_password.read().as_str()}", oninput: move |e| keystore_password.set(Secret::new(e.value())) }
                    button {
                        id: "keystore-on",
                        onclick: move |_| {
                            let password = keystore_password.read().clone();
                            keystore_password.set(Secret::default());
                            ctx.reauthenticate(password, move || match keystore_switch(ctx, true, Some(())) {
                                Ok(()) => ctx.toast("Unlock through the system keyring is on.", false, 4),
                                Err(e) => ctx.error(&e),
                            });
                        },
                        "Turn keyring unlock on"
                    }
                }
            }
            section {
                h2 { "Clipboard" }
                label { r#for: "clipboard-clear", "Clear copied codes after" }
                select {
                    id: "clipboard-clear",
                    onchange: move |e| { let v = e.value().parse().unwrap_or(30); update(Box::new(move |s| s.clipboard_clear_secs = v)) },
                    for (secs, text) in [(15u64, "15 seconds"), (30, "30 seconds"), (60, "1 minute"), (120, "2 minutes"), (0, "never")] {
                        option { value: "{secs}", selected: settings.clipboard_clear_secs == secs, "{text}" }
                    }
                }
            }
            section {
                h2 { "Appearance" }
                label { r#for: "theme", "Theme" }
                select {
                    id: "theme",
                    onchange: move |e| { let v = match e.value().as_str() { "light" => Theme::Light, "dark" => Theme::Dark, _ => Theme::System }; update(Box::new(move |s| s.theme = v)) },
                    option { value: "system", selected: settings.theme == Theme::System, "Like the system" }
                    option { value: "light", selected: settings.theme == Theme::Light, "Light" }
                    option { value: "dark", selected: settings.theme == Theme::Dark, "Dark" }
                }
                label { r#for: "group-by", "Group accounts by" }
                select {
                    id: "group-by",
                    onchange: move |e| { let v = match e.value().as_str() { "tenant" => GroupBy::Tenant, "tag" => GroupBy::Tag, "issuer" => GroupBy::Issuer, _ => GroupBy::None }; update(Box::new(move |s| s.group_by = v)) },
                    option { value: "none", selected: settings.group_by == GroupBy::None, "Nothing" }
                    option { value: "tenant", selected: settings.group_by == GroupBy::Tenant, "Tenant" }
                    option { value: "tag", selected: settings.group_by == GroupBy::Tag, "Tag" }
                    option { value: "issuer", selected: settings.group_by == GroupBy::Issuer, "Issuer" }
                }
            }
            section {
                h2 { "Time" }
                p { class: "muted", "Codes depend on this device's clock. If a service keeps rejecting codes, the clock may be off: set it right in the system, or correct it here." }
                ClockCheckForm {}
                label { r#for: "clock-offset", "Correction in seconds (+ when this device is behind, − when it is ahead)" }
                input {
                    id: "clock-offset", r#type: "number", value: "{settings.clock_offset_secs}",
                    oninput: move |e| { if let Ok(v) = e.value().trim().parse::<i64>() { update(Box::new(move |s| s.clock_offset_secs = v.clamp(-86_400, 86_400))) } },
                }
                if settings.clock_offset_secs.abs() >= 30 {
                    p { class: "banner warn", "Codes are computed {settings.clock_offset_secs} s away from this device's clock." }
                }
            }
            section {
                h2 { "Change password" }
                label { r#for: "old-password", "Current password" }
                input { id: "old-password", r#type: "password", oninput: move |e| old.set(Secret::new(e.value())) }
                label { r#for: "new-password-1", "New password" }
                input { id: "new-password-1", r#type: "password", oninput: move |e| new.set(Secret::new(e.value())) }
                label { r#for: "new-password-2", "Repeat the new password" }
                input { id: "new-password-2", r#type: "password", oninput: move |e| again.set(Secret::new(e.value())) }
                button {
                    onclick: move |_| {
                        let (o, n, a) = (old.read().clone(), new.read().clone(), again.read().clone());
                        if let Err(e) = AppState::check_new_password(&n, &a) { ctx.error(&e); return; }
                        let path = ctx.state.read().vault_path().to_owned();
                        let Some(vault) = ctx.with_state(|s| s.take_vault()) else { return };
                        let mut ui = ctx.ui;
                        ui.write().busy = Some("Changing the password…".into());
                        spawn(async move {
                            let (vault, result) = off_thread(move || {
                                let mut vault = vault;
                                let result = Vault::unlock(&path, o.as_bytes()).map_err(AppError::from).and_then(|_| {
                                    let (kdf, _) = KdfParams::calibrate();
                                    vault.change_password(n.as_bytes(), kdf, super::lock::keystore().as_ref().map(|k| k as &dyn tessera_core::vault::Keystore)).map_err(AppError::from)
                                });
                                (vault, result)
                            })
                            .await;
                            ctx.with_state(|s| s.accept(vault));
                            ui.write().busy = None;
                            match result {
                                Ok(_) => ctx.toast("Password changed: the old one opens nothing on this device. Automatic backups made before now still open with the old password. Turn keyring unlock on again if you use it.", false, 10),
                                Err(e) => ctx.error(&e),
                            }
                        });
                    },
                    "Change password"
                }
            }
        }
    }
}

/// Turns the keystore slot on (only with `verified`: the password was checked) or off.
#[cfg(any(feature = "desktop", target_os = "ios"))]
fn keystore_switch(ctx: Ctx, on: bool, verified: Option<()>) -> Result<(), AppError> {
    if on && verified.is_none() {
        return Err(AppError::new(
            "Keyring unlock needs your vault password.",
            "Type it and choose Turn keyring unlock on.",
        ));
    }
    let keystore = tessera_core::vault::OsKeystore::new();
    let mut state = ctx.state;
    let mut state = state.write();
    let Some(vault) = state.take_vault() else {
        return Ok(());
    };
    let mut vault = vault;
    let result = if on {
        vault.enable_keystore(&keystore)
    } else {
        vault.disable_keystore(&keystore)
    };
    state.accept(vault);
    result.map_err(AppError::from)
}

#[cfg(not(any(feature = "desktop", target_os = "ios")))]
fn keystore_switch(_ctx: Ctx, _on: bool, _verified: Option<()>) -> Result<(), AppError> {
    Err(AppError::new(
        "The system keyring is not available here yet.",
        "Unlock with your password.",
    ))
}

/// The offline clock check: choose an account, type the code another device shows for it now,
/// and see how far off this clock is, with the correction to apply.
#[component]
fn ClockCheckForm() -> Element {
    let ctx = use_context::<Ctx>();
    // Time-based accounts only (HOTP has no clock); the first 200 are plenty to pick one.
    let accounts: Vec<(AccountId, String)> = ctx
        .state
        .read()
        .vault()
        .map(|v| {
            v.accounts()
                .into_iter()
                .filter(|a| a.otp.kind().period().is_some())
                .take(200)
                .map(|a| (a.id, a.label()))
                .collect()
        })
        .unwrap_or_default();
    let mut chosen = use_signal(|| None::<AccountId>);
    let mut code = use_signal(String::new);
    let mut result = use_signal(|| None::<Result<ClockCheck, AppError>>);
    if accounts.is_empty() {
        return rsx! {};
    }
    let first = accounts[0].0;
    let check = move |_| {
        let id = chosen().unwrap_or(first);
        let checked = ctx.state.read().check_clock(id, &code.read());
        result.set(Some(checked));
    };
    rsx! {
        div { class: "clock-check",
            p { class: "muted", "Check the clock: type the code another device shows right now for the same account." }
            label { r#for: "clock-account", "Account" }
            select {
                id: "clock-account",
                onchange: move |e| chosen.set(accounts.iter().find(|(id, _)| id.to_string() == e.value()).map(|(id, _)| *id)),
                for (id, label) in accounts.iter() {
                    option { value: "{id}", "{label}" }
                }
            }
            label { r#for: "clock-code", "Code on the other device" }
            input { id: "clock-code", inputmode: "numeric", autocomplete: "off", oninput: move |e| code.set(e.value()) }
            button { id: "clock-check", onclick: check, "Check the clock" }
            match result() {
                Some(Ok(found)) => rsx! {
                    p { id: "clock-result", class: if found.correction == 0 { "banner ok" } else { "banner warn" }, role: "status", "{found.message}" }
                    if found.correction != ctx.state.read().settings.clock_offset_secs {
                        button {
                            id: "clock-apply",
                            onclick: move |_| {
                                let mut state = ctx.state;
                                state.write().settings.clock_offset_secs = found.correction;
                                let saved = state.read().save_settings();
                                match saved {
                                    Ok(()) => ctx.toast(format!("Codes now use a correction of {} s.", found.correction), false, 4),
                                    Err(e) => ctx.error(&e),
                                }
                            },
                            "Use a correction of {found.correction} s"
                        }
                    }
                },
                Some(Err(error)) => rsx! { p { id: "clock-result", class: "error", role: "alert", "{error.message} {error.advice}" } },
                None => rsx! {},
            }
        }
    }
}

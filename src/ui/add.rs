//! Adding an account: scan with the camera, an image or screenshot, paste a URI, or type it.
//! Codes Tessera cannot use (Microsoft push enrolment, web links) show guidance instead.

use dioxus::prelude::*;
use tessera_core::otp::{Algorithm, PayloadError};

use super::outcome::{Outcomes, PinNotice, finish};
use super::scan::ScanCamera;
use super::{Screen, use_ctx};
use crate::app::add::{DraftKind, read_image};
use crate::app::rows::human_time;
use crate::app::{AppError, Draft, Duplicate, NewMeta, PinRequest, check_size};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Route {
    Scan,
    Image,
    Paste,
    Type,
}

/// The add screen.
#[component]
pub fn AddAccount() -> Element {
    let ctx = use_ctx();
    let mut route = use_signal(|| Route::Paste);
    let guidance = use_signal(|| None::<PayloadError>);
    let duplicate = use_signal(|| None::<(Duplicate, NewMeta)>);
    let pin = use_signal(|| None::<(PinRequest, NewMeta)>);
    let outcome = Outcomes {
        guidance,
        duplicate,
        pin,
    };
    let mut tenant = use_signal(String::new);
    let mut note = use_signal(String::new);
    let mut tags = use_signal(String::new);
    let meta = move || NewMeta::from_form(&tenant.read(), &note.read(), &tags.read());
    let tab = move |r: Route, label: &'static str, id: &'static str| {
        rsx! {
            button {
                id: "{id}", role: "tab", aria_selected: route() == r,
                class: if route() == r { "tab on" } else { "tab" },
                onclick: move |_| route.set(r),
                "{label}"
            }
        }
    };
    if let Some(error) = guidance() {
        return rsx! { Guidance { error } };
    }
    if let Some((found, meta)) = duplicate() {
        return rsx! { DuplicateNotice { found, meta, duplicate } };
    }
    if let Some((request, meta)) = pin() {
        return rsx! { PinNotice { request, meta, outcome } };
    }
    rsx! {
        header { class: "bar",
            button { class: "back", aria_label: "Back", onclick: move |_| ctx.go(Screen::List), super::widgets::Icon { name: "back" } }
            h1 { "Add account" }
        }
        main { class: "add",
            div { class: "tabs", role: "tablist",
                {tab(Route::Scan, "Scan", "tab-scan")}
                {tab(Route::Image, "Image", "tab-image")}
                {tab(Route::Paste, "Paste", "tab-paste")}
                {tab(Route::Type, "Type", "tab-type")}
            }
            match route() {
                Route::Scan => rsx! { ScanCamera { meta: meta(), outcome } },
                Route::Image => rsx! { FromImage { meta: meta(), outcome } },
                Route::Paste => rsx! { Paste { meta: meta(), outcome } },
                Route::Type => rsx! { TypeIn { meta: meta(), outcome } },
            }
            details { class: "extra", open: true,
                summary { "Tenant, tags and note" }
                label { r#for: "add-tenant", "Tenant or customer" }
                input { id: "add-tenant", oninput: move |e| tenant.set(e.value()) }
                label { r#for: "add-tags", "Tags (comma-separated)" }
                input { id: "add-tags", oninput: move |e| tags.set(e.value()) }
                label { r#for: "add-note", "Note" }
                textarea { id: "add-note", rows: 3, placeholder: "Which tenant? Which device? How to re-enrol?", oninput: move |e| note.set(e.value()) }
            }
        }
    }
}

/// "You already have this account": open it, or add it anyway.
#[component]
fn DuplicateNotice(
    found: Duplicate,
    meta: NewMeta,
    duplicate: Signal<Option<(Duplicate, NewMeta)>>,
) -> Element {
    let ctx = use_ctx();
    let existing = found.existing;
    let enrolment = found.enrolment.clone();
    rsx! {
        main { class: "guidance", role: "alert",
            h1 { "You already have this account" }
            p { "{found.label} was added {human_time(found.created)}." }
            button { id: "open-existing", class: "primary", onclick: move |_| ctx.go(Screen::Details(existing)), "Open it" }
            button {
                id: "add-anyway",
                onclick: move |_| {
                    let result = ctx.with_state(|s| s.add_anyway(enrolment.clone(), &meta));
                    duplicate.set(None);
                    match result {
                        Ok(_) => {
                            ctx.toast("Added as a second copy.", false, 4);
                            ctx.go(Screen::List);
                        }
                        Err(e) => ctx.error(&e),
                    }
                },
                "Add anyway"
            }
        }
    }
}

/// Guidance for a QR code Tessera cannot use.
#[component]
pub fn Guidance(error: PayloadError) -> Element {
    let ctx = use_ctx();
    let microsoft = matches!(error, PayloadError::MicrosoftPush);
    rsx! {
        main { class: "guidance", role: "alert",
            if microsoft {
                h1 { "This QR code is for Microsoft Authenticator notifications" }
                p { "It only works in Microsoft's app. On the Microsoft page, choose " strong { "I want to use a different authenticator app" } " (or " strong { "Configure app without notifications" } "), then scan the new QR code here." }
            } else {
                h1 { "This is not an authenticator QR code" }
                p { "{AppError::Payload(error.clone()).message()}" }
                p { "{AppError::Payload(error.clone()).advice()}" }
            }
            button { class: "primary", onclick: move |_| ctx.go(Screen::Add), "Scan another code" }
            button { onclick: move |_| ctx.go(Screen::List), "Back to accounts" }
        }
    }
}

#[component]
fn Paste(meta: NewMeta, outcome: Outcomes) -> Element {
    let ctx = use_ctx();
    let mut text = use_signal(String::new);
    rsx! {
        label { r#for: "paste-uri", "otpauth:// or otpauth-migration:// link" }
        textarea {
            id: "paste-uri", rows: 3, spellcheck: false, autocomplete: "off",
            oninput: move |e| text.set(e.value()),
        }
        button {
            id: "add-paste", class: "primary",
            onclick: move |_| {
                let result = ctx.with_state(|s| s.add_text(&text.read(), &meta));
                finish(ctx, result, &meta, outcome);
            },
            "Add"
        }
    }
}

/// Typing an account in by hand, the secret checked as it is typed.
#[component]
pub fn TypeIn(meta: NewMeta, outcome: Outcomes) -> Element {
    let ctx = use_ctx();
    let mut draft = use_signal(|| Draft {
        digits: "6".into(),
        number: "30".into(),
        ..Draft::default()
    });
    let secret_check = draft.read().secret_problem().map(|e| e.to_string());
    let empty = draft.read().secret.trim().is_empty();
    let hotp = draft.read().kind == DraftKind::Hotp;
    let needs_pin = draft.read().kind.needs_pin();
    let motp = draft.read().kind == DraftKind::Motp;
    rsx! {
        label { r#for: "type-issuer", "Issuer (service)" }
        input { id: "type-issuer", oninput: move |e| draft.write().issuer = e.value() }
        label { r#for: "type-name", "Account name" }
        input { id: "type-name", oninput: move |e| draft.write().name = e.value() }
        label { r#for: "type-secret", if motp { "Secret key (hex)" } else { "Secret key" } }
        input { id: "type-secret", spellcheck: false, autocomplete: "off", oninput: move |e| draft.write().secret = e.value() }
        if let Some(problem) = secret_check.clone() {
            p { class: "error", role: "alert", "{problem}" }
        }
        if needs_pin {
            label { r#for: "type-pin", "PIN" }
            input { id: "type-pin", r#type: "password", inputmode: "numeric", autocomplete: "off", oninput: move |e| *draft.write().pin = e.value() }
        }
        details { class: "advanced", open: needs_pin,
            summary { "Advanced" }
            label { r#for: "type-kind", "Type" }
            select { id: "type-kind", onchange: move |e| {
                    let kind = match e.value().as_str() {
                        "hotp" => DraftKind::Hotp,
                        "steam" => DraftKind::Steam,
                        "yandex" => DraftKind::Yandex,
                        "motp" => DraftKind::Motp,
                        _ => DraftKind::Totp,
                    };
                    let (digits, number) = kind.defaults();
                    let mut d = draft.write();
                    d.digits = digits.to_string();
                    d.number = number.to_string();
                    d.kind = kind;
                },
                option { value: "totp", "Time-based (TOTP)" }
                option { value: "hotp", "Counter-based (HOTP)" }
                option { value: "steam", "Steam" }
                option { value: "yandex", "Yandex (with PIN)" }
                option { value: "motp", "mOTP (with PIN)" }
            }
            label { r#for: "type-algorithm", "Algorithm" }
            select { id: "type-algorithm", onchange: move |e| draft.write().algorithm = match e.value().as_str() { "SHA256" => Algorithm::Sha256, "SHA512" => Algorithm::Sha512, _ => Algorithm::Sha1 },
                option { value: "SHA1", "SHA-1" }
                option { value: "SHA256", "SHA-256" }
                option { value: "SHA512", "SHA-512" }
            }
            label { r#for: "type-digits", "Digits" }
            input { id: "type-digits", r#type: "number", min: 6, max: 10, value: "{draft.read().digits}", oninput: move |e| draft.write().digits = e.value() }
            label { r#for: "type-number", if hotp { "Counter" } else { "Period (seconds)" } }
            input { id: "type-number", r#type: "number", min: 0, value: "{draft.read().number}", oninput: move |e| draft.write().number = e.value() }
        }
        button {
            id: "add-typed", class: "primary", disabled: secret_check.is_some() || empty || (needs_pin && draft.read().pin.trim().is_empty()),
            onclick: move |_| {
                let result = ctx.with_state(|s| s.add_draft(&draft.read(), &meta));
                finish(ctx, result, &meta, outcome);
            },
            "Add"
        }
    }
}

#[component]
fn FromImage(meta: NewMeta, outcome: Outcomes) -> Element {
    let ctx = use_ctx();
    rsx! {
        p { class: "muted", "Choose a screenshot or photo of the QR code. Every code in it is read." }
        input {
            id: "image-file", r#type: "file", accept: "image/*",
            onchange: move |e| {
                let meta = meta.clone();
                async move {
                    let Some(file) = e.files().into_iter().next() else { return };
                    if let Err(error) = check_size(file.size()) {
                        ctx.error(&error);
                        return;
                    }
                    let Ok(bytes) = file.read_bytes().await else {
                        ctx.toast("Could not read that file. Choose it again.", false, 6);
                        return;
                    };
                    ctx.run_cancellable_job(
                        "Reading the QR codes…",
                        move |_| read_image(&bytes),
                        move |decoded| match decoded {
                            Err(error) => ctx.error(&error),
                            Ok(texts) if texts.is_empty() => ctx.toast("No QR code was found in this image. Crop it closer to the code, or paste the link.", false, 8),
                            Ok(texts) => {
                                for text in texts {
                                    let result = ctx.with_state(|s| s.add_text(&text, &meta));
                                    finish(ctx, result, &meta, outcome);
                                }
                            }
                        },
                    );
                }
            },
        }
    }
}

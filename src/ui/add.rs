//! Adding an account: scan with the camera, an image or screenshot, paste a URI, or type it.
//! Codes Tessera cannot use (Microsoft push enrolment, web links) show guidance instead.

use dioxus::prelude::*;
use tessera_core::otp::{Algorithm, Enrolment, Otp, OtpKind, PayloadError, Secret};

use super::scan::ScanCamera;
use super::{Ctx, Screen, off_thread_guarded};
use crate::app::rows::human_time;
use crate::app::state::{Duplicate, NewMeta};
use crate::app::{AddOutcome, AppError};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Route {
    Scan,
    Image,
    Paste,
    Type,
}

/// Where an add's outcome goes when it is not a toast: the guidance screen for codes Tessera
/// cannot use, the duplicate notice for an account the vault already has.
#[derive(Clone, Copy, PartialEq)]
pub struct Outcomes {
    pub(super) guidance: Signal<Option<PayloadError>>,
    duplicate: Signal<Option<(Duplicate, NewMeta)>>,
    /// A Google export being scanned: its number of QR codes and those already scanned.
    pub(super) batch: Signal<Option<(u32, Vec<u32>)>>,
}

impl Outcomes {
    /// The QR codes of the current Google export still to scan (0 when none is in progress).
    pub(super) fn batch_missing(&self) -> usize {
        self.batch
            .read()
            .as_ref()
            .map(|(size, seen)| (*size as usize).saturating_sub(seen.len()))
            .unwrap_or(0)
    }
}

/// What to do with an add's outcome: toast and go back, or show guidance or the duplicate.
pub(super) fn finish(
    ctx: Ctx,
    result: Result<AddOutcome, AppError>,
    meta: &NewMeta,
    outcome: Outcomes,
) {
    match result {
        Ok(AddOutcome::Added {
            ids,
            duplicates,
            batch,
        }) => {
            let mut text = match ids.len() {
                0 => String::new(),
                1 => "Account added.".to_owned(),
                n => format!("{n} accounts added."),
            };
            if let Some((index, size)) = batch {
                let mut progress = outcome.batch;
                let mut tracked = progress.write();
                let (_, seen) = tracked.get_or_insert_with(|| (size, Vec::new()));
                if !seen.contains(&index) {
                    seen.push(index);
                }
                let scanned = seen.len();
                drop(tracked);
                text.push_str(&format!(
                    " Google Authenticator export: {scanned} of {size} QR codes scanned."
                ));
                if outcome.batch_missing() > 0 {
                    text.push_str(" Show the next QR code.");
                    ctx.toast(text.trim().to_owned(), false, 6);
                    return;
                }
                progress.set(None);
            }
            if ids.is_empty()
                && let Some(first) = duplicates.first()
            {
                let mut duplicate = outcome.duplicate;
                duplicate.set(Some((first.clone(), meta.clone())));
                return;
            }
            if !duplicates.is_empty() {
                let labels: Vec<&str> = duplicates.iter().map(|d| d.label.as_str()).collect();
                text.push_str(&format!(" You already have: {}.", labels.join(", ")));
            }
            ctx.toast(text.trim().to_owned(), false, 6);
            if !ids.is_empty() {
                ctx.go(Screen::List);
            }
        }
        Ok(AddOutcome::Guidance(error)) => {
            let mut guidance = outcome.guidance;
            guidance.set(Some(error));
        }
        Err(error) => ctx.error(&error),
    }
}

/// The add screen.
#[component]
pub fn AddAccount() -> Element {
    let ctx = use_context::<Ctx>();
    let mut route = use_signal(|| Route::Paste);
    let guidance = use_signal(|| None::<PayloadError>);
    let duplicate = use_signal(|| None::<(Duplicate, NewMeta)>);
    let batch = use_signal(|| None::<(u32, Vec<u32>)>);
    let outcome = Outcomes {
        guidance,
        duplicate,
        batch,
    };
    let mut tenant = use_signal(String::new);
    let mut note = use_signal(String::new);
    let mut tags = use_signal(String::new);
    let meta = move || NewMeta {
        tenant: tenant.read().clone(),
        note: note.read().clone(),
        tags: tags
            .read()
            .split(',')
            .map(|t| t.trim().to_owned())
            .filter(|t| !t.is_empty())
            .collect(),
    };
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
    let ctx = use_context::<Ctx>();
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
    let ctx = use_context::<Ctx>();
    let microsoft = matches!(error, PayloadError::MicrosoftPush);
    rsx! {
        main { class: "guidance", role: "alert",
            if microsoft {
                h1 { "This QR code is for Microsoft Authenticator notifications" }
                p { "It only works in Microsoft's app. On the Microsoft page, choose " strong { "I want to use a different authenticator app" } " (or " strong { "Configure app without notifications" } "), then scan the new QR code here." }
            } else {
                h1 { "This is not an authenticator QR code" }
                p { "{error}" }
                p { "{error.advice()}" }
            }
            button { class: "primary", onclick: move |_| ctx.go(Screen::Add), "Scan another code" }
            button { onclick: move |_| ctx.go(Screen::List), "Back to accounts" }
        }
    }
}

#[component]
fn Paste(meta: NewMeta, outcome: Outcomes) -> Element {
    let ctx = use_context::<Ctx>();
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
    let ctx = use_context::<Ctx>();
    let mut issuer = use_signal(String::new);
    let mut name = use_signal(String::new);
    let mut secret = use_signal(String::new);
    let mut kind = use_signal(|| "totp".to_owned());
    let mut algorithm = use_signal(|| "SHA1".to_owned());
    let mut digits = use_signal(|| "6".to_owned());
    let mut number = use_signal(|| "30".to_owned());
    let secret_check = {
        let s = secret.read();
        if s.trim().is_empty() {
            None
        } else {
            Secret::from_base32(&s)
                .err()
                .map(|e| format!("{e}. Secret keys use the letters A-Z and digits 2-7."))
        }
    };
    let build = move || -> Result<Enrolment, String> {
        let secret = Secret::from_base32(&secret.read()).map_err(|e| e.to_string())?;
        let n: u64 = number
            .read()
            .trim()
            .parse()
            .map_err(|_| "the period or counter is not a number".to_owned())?;
        let otp_kind = match kind.read().as_str() {
            "hotp" => OtpKind::Hotp { counter: n },
            "steam" => OtpKind::Steam,
            _ => OtpKind::Totp {
                period: u32::try_from(n).map_err(|_| "the period is too long".to_owned())?,
            },
        };
        let algorithm: Algorithm = algorithm
            .read()
            .parse()
            .map_err(|e: tessera_core::otp::OtpError| e.to_string())?;
        let digits: u8 = digits
            .read()
            .trim()
            .parse()
            .map_err(|_| "digits must be a number".to_owned())?;
        let otp = Otp::new(otp_kind, algorithm, digits, secret).map_err(|e| e.to_string())?;
        Ok(Enrolment {
            issuer: issuer.read().trim().to_owned(),
            name: name.read().trim().to_owned(),
            otp,
        })
    };
    rsx! {
        label { r#for: "type-issuer", "Issuer (service)" }
        input { id: "type-issuer", oninput: move |e| issuer.set(e.value()) }
        label { r#for: "type-name", "Account name" }
        input { id: "type-name", oninput: move |e| name.set(e.value()) }
        label { r#for: "type-secret", "Secret key" }
        input { id: "type-secret", spellcheck: false, autocomplete: "off", oninput: move |e| secret.set(e.value()) }
        if let Some(problem) = secret_check.clone() {
            p { class: "error", role: "alert", "{problem}" }
        }
        details { class: "advanced",
            summary { "Advanced" }
            label { r#for: "type-kind", "Type" }
            select { id: "type-kind", onchange: move |e| { number.set(if e.value() == "hotp" { "0".into() } else { "30".into() }); kind.set(e.value()) },
                option { value: "totp", "Time-based (TOTP)" }
                option { value: "hotp", "Counter-based (HOTP)" }
                option { value: "steam", "Steam" }
            }
            label { r#for: "type-algorithm", "Algorithm" }
            select { id: "type-algorithm", onchange: move |e| algorithm.set(e.value()),
                option { value: "SHA1", "SHA-1" }
                option { value: "SHA256", "SHA-256" }
                option { value: "SHA512", "SHA-512" }
            }
            label { r#for: "type-digits", "Digits" }
            input { id: "type-digits", r#type: "number", min: 6, max: 10, value: "6", oninput: move |e| digits.set(e.value()) }
            label { r#for: "type-number", if kind.read().as_str() == "hotp" { "Counter" } else { "Period (seconds)" } }
            input { id: "type-number", r#type: "number", min: 0, value: "{number}", oninput: move |e| number.set(e.value()) }
        }
        button {
            id: "add-typed", class: "primary", disabled: secret_check.is_some() || secret.read().trim().is_empty(),
            onclick: move |_| match build() {
                Ok(enrolment) => {
                    let result = ctx.with_state(|s| s.add_enrolments(vec![enrolment], &meta, None));
                    finish(ctx, result, &meta, outcome);
                }
                Err(problem) => ctx.toast(format!("Cannot add: {problem}."), false, 6),
            },
            "Add"
        }
    }
}

#[component]
fn FromImage(meta: NewMeta, outcome: Outcomes) -> Element {
    let ctx = use_context::<Ctx>();
    rsx! {
        p { class: "muted", "Choose a screenshot or photo of the QR code. Every code in it is read." }
        input {
            id: "image-file", r#type: "file", accept: "image/*",
            onchange: move |e| {
                let meta = meta.clone();
                async move {
                    let Some(file) = e.files().into_iter().next() else { return };
                    if let Err(error) = super::check_size(file.size(), tessera_core::transfer::MAX_IMPORT_SIZE) {
                        ctx.error(&error);
                        return;
                    }
                    let Ok(bytes) = file.read_bytes().await else {
                        ctx.toast("Could not read that file. Choose it again.", false, 6);
                        return;
                    };
                    let mut ui = ctx.ui;
                    ui.write().busy = Some("Reading the QR codes…".into());
                    let decoded = off_thread_guarded(move || {
                        tessera_core::scan::scan_image(&bytes)
                            .map(|frame| tessera_core::scan::decode(&frame, tessera_core::scan::Effort::Still))
                            .map_err(|error| crate::app::AppError::new(format!("{error}."), error.advice()))
                    })
                    .await;
                    ui.write().busy = None;
                    match decoded {
                        Err(error) => ctx.error(&error),
                        Ok(texts) if texts.is_empty() => ctx.toast("No QR code was found in this image. Crop it closer to the code, or paste the link.", false, 8),
                        Ok(texts) => {
                            for text in texts {
                                let result = ctx.with_state(|s| s.add_text(&text, &meta));
                                finish(ctx, result, &meta, outcome);
                            }
                        }
                    }
                }
            },
        }
    }
}

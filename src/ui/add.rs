//! Adding an account: scan with the camera, an image or screenshot, paste a URI, or type it.
//! Codes Tessera cannot use (Microsoft push enrolment, web links) show guidance instead.

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::mpsc::RecvTimeoutError;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use dioxus::prelude::*;
use tessera_core::otp::{Algorithm, Enrolment, Otp, OtpKind, Payload, PayloadError, Secret};
use tessera_core::scan::{CameraError, FrameSource, Outline, ScanEvent, ScanLoop};

use super::{Ctx, Screen, off_thread};
use crate::app::preview::Previewing;
use crate::app::rows::human_time;
use crate::app::state::{Duplicate, NewMeta};
use crate::app::{AddOutcome, AppError};
use crate::platform::replay::ReplayCamera;
use crate::platform::webcam;

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
    guidance: Signal<Option<PayloadError>>,
    duplicate: Signal<Option<(Duplicate, NewMeta)>>,
    /// A Google export being scanned: its number of QR codes and those already scanned.
    batch: Signal<Option<(u32, Vec<u32>)>>,
}

impl Outcomes {
    /// The QR codes of the current Google export still to scan (0 when none is in progress).
    fn batch_missing(&self) -> usize {
        self.batch
            .read()
            .as_ref()
            .map(|(size, seen)| (*size as usize).saturating_sub(seen.len()))
            .unwrap_or(0)
    }
}

/// What to do with an add's outcome: toast and go back, or show guidance or the duplicate.
fn finish(ctx: Ctx, result: Result<AddOutcome, AppError>, meta: &NewMeta, outcome: Outcomes) {
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
                    let Ok(bytes) = file.read_bytes().await else {
                        ctx.toast("Could not read that file. Choose it again.", false, 6);
                        return;
                    };
                    let mut ui = ctx.ui;
                    ui.write().busy = Some("Reading the QR codes…".into());
                    let decoded = off_thread(move || {
                        tessera_core::scan::scan_image(&bytes).map(|frame| tessera_core::scan::decode(&frame, tessera_core::scan::Effort::Still))
                    })
                    .await;
                    ui.write().busy = None;
                    match decoded {
                        Err(error) => ctx.toast(format!("{error}. {}", error.advice()), false, 8),
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

/// What the camera thread shares with the scan view.
#[derive(Clone, Default)]
struct CameraShared {
    /// The status line.
    status: Arc<Mutex<String>>,
    /// The newest preview image.
    preview: crate::app::preview::PreviewSlot,
    /// The newest frame at preview size: frozen when a code is found in it.
    newest: crate::app::preview::NewestSlot,
    /// Where a code was last seen, and when.
    outline: Arc<Mutex<Option<(Outline, Instant)>>>,
}

/// How long a code's outline stays drawn after it was last seen.
const OUTLINE_SHOWN: Duration = Duration::from_millis(700);

/// A scanned account waiting for the user's confirmation: the frozen preview with the code
/// framed, and the issuer and name to check.
#[derive(Clone, PartialEq)]
struct Scanned {
    enrolment: Enrolment,
    preview: Option<String>,
    outline: Option<Outline>,
}

#[component]
fn ScanCamera(meta: NewMeta, outcome: Outcomes) -> Element {
    let ctx = use_context::<Ctx>();
    let mut status =
        use_signal(|| "Point the camera at the QR code on your computer screen.".to_owned());
    let mut running = use_signal(|| false);
    let mut preview = use_signal(|| None::<String>);
    let mut outline = use_signal(|| None::<Outline>);
    let mut scanned = use_signal(|| None::<Scanned>);
    let stop = use_hook(|| Arc::new(AtomicBool::new(false)));
    {
        let stop = stop.clone();
        use_drop(move || stop.store(true, Ordering::Relaxed));
    }
    let confirm_meta = meta.clone();
    let start = move |_| {
        if running() {
            return;
        }
        running.set(true);
        scanned.set(None);
        status.set("Starting the camera…".into());
        stop.store(false, Ordering::Relaxed);
        let stop = stop.clone();
        let meta = meta.clone();
        let shared = CameraShared::default();
        let view = shared.clone();
        let stopper = stop.clone();
        spawn(async move {
            while running() {
                tokio::time::sleep(crate::app::preview::PREVIEW_EVERY).await;
                let text = view.status.lock().map(|t| t.clone()).unwrap_or_default();
                if !text.is_empty() && *status.peek() != text {
                    status.set(text);
                }
                if let Some(jpeg) = view.preview.lock().ok().and_then(|mut i| i.take()) {
                    use base64::Engine;
                    preview.set(Some(base64::engine::general_purpose::STANDARD.encode(jpeg)));
                }
                let seen = view
                    .outline
                    .lock()
                    .ok()
                    .and_then(|o| *o)
                    .filter(|(_, at)| at.elapsed() < OUTLINE_SHOWN)
                    .map(|(o, _)| o);
                if *outline.peek() != seen {
                    outline.set(seen);
                }
            }
            if scanned.peek().is_none() {
                preview.set(None);
                outline.set(None);
            }
            // Stopped by the user (or the scan ended): the camera thread stops too.
            stopper.store(true, Ordering::Relaxed);
        });
        spawn(async move {
            // One camera session per code; a Google export with QR codes still to scan goes
            // straight on to the next one, skipping the codes already scanned.
            let result = loop {
                let (stop, shared) = (stop.clone(), shared.clone());
                let seen: Vec<u32> = outcome
                    .batch
                    .read()
                    .as_ref()
                    .map(|(_, seen)| seen.clone())
                    .unwrap_or_default();
                let (last_outline, newest) = (shared.outline.clone(), shared.newest.clone());
                // Phones (and TESSERA_CAMERA=web): the web view's camera, pumped from here.
                let web = web_camera_wanted().then(|| {
                    let (frames, camera) = webcam::web_camera();
                    spawn(pump(frames));
                    camera
                });
                let result = off_thread(move || camera_scan(&stop, &shared, seen, web)).await;
                match result {
                    // One account: show it framed in the frozen preview, to confirm.
                    Ok(Some(Ok(Payload::Account(enrolment)))) => {
                        use base64::Engine;
                        let framed = last_outline.lock().ok().and_then(|o| *o).map(|(o, _)| o);
                        let frozen = newest
                            .lock()
                            .ok()
                            .and_then(|mut n| n.take())
                            .and_then(|small| crate::app::preview::jpeg(&small))
                            .map(|jpeg| base64::engine::general_purpose::STANDARD.encode(jpeg))
                            .or_else(|| preview.peek().clone());
                        outline.set(framed);
                        scanned.set(Some(Scanned {
                            enrolment,
                            preview: frozen,
                            outline: framed,
                        }));
                        break Ok(None);
                    }
                    Ok(Some(Ok(payload))) => {
                        let added = ctx.with_state(|s| s.add_payload(payload, &meta));
                        finish(ctx, added, &meta, outcome);
                        if outcome.batch_missing() > 0 && running() {
                            continue;
                        }
                        break Ok(None);
                    }
                    other => break other,
                }
            };
            running.set(false);
            match result {
                Ok(Some(Ok(_))) => {}
                Ok(Some(Err(error))) => {
                    let mut guidance = outcome.guidance;
                    guidance.set(Some(error));
                }
                Ok(None) if scanned.peek().is_some() => status.set("Found a QR code.".into()),
                Ok(None) => status.set("Stopped.".into()),
                Err(error) => {
                    status.set(format!("Camera not available: {error}. {}", error.advice()))
                }
            }
        });
    };
    if let Some(found) = scanned() {
        return rsx! { ConfirmScan { found, meta: confirm_meta, outcome, scanned, restart: start } };
    }
    rsx! {
        div { class: "camera", role: "status", aria_live: "polite",
            Viewfinder { preview: preview(), outline: outline(), live: running() && web_camera_wanted() }
            p { id: "scan-status", "{status}" }
            if let Some((size, seen)) = outcome.batch.read().clone() {
                p { class: "batch", aria_label: "Google Authenticator export: {seen.len()} of {size} QR codes scanned",
                    "Google Authenticator export: {seen.len()} of {size} QR codes scanned "
                    for i in 0..size {
                        span { class: if seen.contains(&i) { "dot on" } else { "dot" }, "aria-hidden": "true" }
                    }
                }
            }
        }
        if running() {
            button { onclick: move |_| { running.set(false); }, "Stop" }
        } else {
            button { id: "start-camera", class: "primary", onclick: start, "Start camera" }
        }
    }
}

/// The camera image with the square guide, or a frame drawn around the code once one is seen.
/// `live`: the web view's camera plays in a video element (the page's script finds it by id).
#[component]
fn Viewfinder(preview: Option<String>, outline: Option<Outline>, live: bool) -> Element {
    rsx! {
        div { class: "viewfinder",
            if live {
                video { id: "webcam", class: "live", autoplay: true, muted: true, "playsinline": "true", aria_label: "Camera" }
            } else if let Some(jpeg) = preview {
                img { class: "live", alt: "Camera preview", src: "data:image/jpeg;base64,{jpeg}" }
            }
            match outline {
                // The same scaling as the image's `object-fit: cover`, so the frame sits on the code.
                Some(o) => rsx! {
                    svg {
                        class: "outline", id: "code-outline", "aria-hidden": "true",
                        view_box: "0 0 {o.width} {o.height}", preserve_aspect_ratio: "xMidYMid slice",
                        polygon { points: "{o.svg_points()}" }
                    }
                },
                None => rsx! { div { class: "guide", "aria-hidden": "true" } },
            }
        }
    }
}

/// "Found an account": the frozen camera image with the code framed, issuer and name to check
/// (tenant, tags and note are the fields under it), then Add or Scan again.
#[component]
fn ConfirmScan(
    found: Scanned,
    meta: NewMeta,
    outcome: Outcomes,
    scanned: Signal<Option<Scanned>>,
    restart: EventHandler<MouseEvent>,
) -> Element {
    let ctx = use_context::<Ctx>();
    let mut issuer = use_signal(|| found.enrolment.issuer.clone());
    let mut name = use_signal(|| found.enrolment.name.clone());
    let enrolment = found.enrolment.clone();
    let add = move |_| {
        let mut enrolment = enrolment.clone();
        enrolment.issuer = issuer.read().trim().to_owned();
        enrolment.name = name.read().trim().to_owned();
        let added = ctx.with_state(|s| s.add_payload(Payload::Account(enrolment), &meta));
        scanned.set(None);
        finish(ctx, added, &meta, outcome);
    };
    let kind = found.enrolment.otp.kind().as_str().to_uppercase();
    rsx! {
        section { class: "camera confirm", aria_label: "Scanned account",
            Viewfinder { preview: found.preview.clone(), outline: found.outline, live: false }
            p { id: "scan-status", role: "status", "Found a {kind} account. Check the names, then add it." }
            label { r#for: "scan-issuer", "Issuer" }
            input { id: "scan-issuer", value: "{found.enrolment.issuer}", oninput: move |e| issuer.set(e.value()) }
            label { r#for: "scan-name", "Account name" }
            input { id: "scan-name", value: "{found.enrolment.name}", oninput: move |e| name.set(e.value()) }
            div { class: "row-buttons",
                button { id: "scan-add", class: "primary", onclick: add, "Add account" }
                button { id: "scan-again", onclick: move |e| restart.call(e), "Scan again" }
            }
        }
    }
}

/// Whether the Scan tab uses the web view's camera: always on phones; on desktop when
/// `TESSERA_CAMERA=web` (the native camera through nokhwa otherwise).
fn web_camera_wanted() -> bool {
    cfg!(not(feature = "desktop")) || std::env::var("TESSERA_CAMERA").as_deref() == Ok("web")
}

/// Pause between two frame requests to the page: at most about 20 frames a second cross the
/// bridge, enough for scanning, light on a phone's battery.
const WEB_FRAME_GAP: Duration = Duration::from_millis(50);

/// Runs the page's camera and pumps its frames to the scanning loop until the loop ends (then
/// the page turns the camera off) or the camera fails.
async fn pump(frames: webcam::WebFrames) {
    let test_image = crate::platform::replay::first_image_as_data_url();
    let mut page = document::eval(&webcam::script(test_image.as_deref()));
    loop {
        let message = match page.send("next") {
            Ok(()) => page.recv::<String>().await,
            Err(error) => Err(error),
        };
        let mut pumped = match message {
            Ok(message) => frames.take(&message),
            Err(error) => frames.offer(Err(CameraError::Stopped(error.to_string()))),
        };
        while let webcam::Pumped::Full(frame) = pumped {
            tokio::time::sleep(Duration::from_millis(10)).await;
            pumped = frames.offer(*frame);
        }
        if pumped == webcam::Pumped::Stop {
            let _ = page.send("stop");
            return;
        }
        tokio::time::sleep(WEB_FRAME_GAP).await;
    }
}

/// Runs the camera loop until a usable code, an error, or `stop`. `web` is the web view's
/// camera when the view started one; otherwise the replay of `TESSERA_TEST_CAMERA`, or the
/// machine's camera.
fn camera_scan(
    stop: &AtomicBool,
    shared: &CameraShared,
    seen: Vec<u32>,
    web: Option<webcam::WebCamera>,
) -> Result<Option<Result<Payload, PayloadError>>, CameraError> {
    let source: Box<dyn FrameSource> = match (web, ReplayCamera::from_env()) {
        (Some(web), _) => previewing(web, shared),
        (None, Some(replay)) => previewing(replay?, shared),
        (None, None) => open_camera(shared)?,
    };
    let scan = ScanLoop::start_accepting(
        source,
        Box::new(move |payload| match payload {
            Payload::Migration(batch) => !seen.contains(&batch.info.index),
            Payload::Account(_) => true,
        }),
    );
    loop {
        if stop.load(Ordering::Relaxed) {
            scan.stop();
            return Ok(None);
        }
        match scan.events.recv_timeout(Duration::from_millis(200)) {
            Ok(ScanEvent::Seen(outline)) => {
                if let Ok(mut o) = shared.outline.lock() {
                    *o = Some((outline, Instant::now()));
                }
            }
            Ok(ScanEvent::Progress {
                decoded, unusable, ..
            }) => {
                let text = match unusable {
                    Some(error) => format!("Found a QR code Tessera cannot use: {error}"),
                    None => format!("Looking for a QR code… ({decoded} frames)"),
                };
                if let Ok(mut p) = shared.status.lock() {
                    *p = text;
                }
            }
            Ok(ScanEvent::Found(result)) => return Ok(Some(result)),
            Ok(ScanEvent::Failed(error)) => return Err(error),
            Err(RecvTimeoutError::Timeout) => {}
            Err(RecvTimeoutError::Disconnected) => return Ok(None),
        }
    }
}

/// The machine's camera, with a preview.
#[cfg(feature = "desktop")]
fn open_camera(shared: &CameraShared) -> Result<Box<dyn FrameSource>, CameraError> {
    let camera = crate::platform::camera::DesktopCamera::open()?;
    Ok(previewing(camera, shared))
}

/// A camera with its preview going to the view.
fn previewing(camera: impl FrameSource + 'static, shared: &CameraShared) -> Box<dyn FrameSource> {
    Box::new(Previewing::new(camera, shared.preview.clone()).keeping_newest(shared.newest.clone()))
}

/// Phones have no native camera here: their camera is the web view's (see [`pump`]).
#[cfg(not(feature = "desktop"))]
fn open_camera(_shared: &CameraShared) -> Result<Box<dyn FrameSource>, CameraError> {
    Err(CameraError::NoCamera)
}

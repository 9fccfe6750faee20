//! The Scan tab: the camera (nokhwa on desktop, the web view's `getUserMedia` on phones, or a
//! replay of image files in tests) feeding the scanning loop; the live picture with a frame
//! drawn around a code once one is read; then the frozen picture and a confirmation before the
//! account is added. A Google Authenticator export is added code by code, scanning on until
//! every QR code of the batch is in. An animated Tessera transfer fills a ring as its frames
//! come in, then asks for its code ([`super::receive`]).

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Duration;

use dioxus::prelude::*;
use tessera_core::otp::{Enrolment, Payload};
use tessera_core::scan::{CameraError, Outline};

use super::job::off_thread;
use super::outcome::{Outcomes, finish};
use super::receive::{ReceiveTransfer, TransferRing};
use super::use_ctx;
use crate::app::{Incoming, NewMeta};
use crate::platform::scanner::Found;
use crate::platform::webcam;

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

/// The Scan tab; `meta` (tenant, tags, note) comes from the fields under it.
#[component]
pub fn ScanCamera(meta: NewMeta, outcome: Outcomes) -> Element {
    let ctx = use_ctx();
    let mut status =
        use_signal(|| "Point the camera at the QR code on your computer screen.".to_owned());
    let mut running = use_signal(|| false);
    let mut preview = use_signal(|| None::<String>);
    let mut outline = use_signal(|| None::<Outline>);
    let mut scanned = use_signal(|| None::<Scanned>);
    // An animated transfer: the frames taken (kept across camera sessions and while the code
    // is typed), how far it is, frames of another transfer ignored, and whether it is whole.
    let mut incoming = use_signal(Incoming::default);
    let mut receiving = use_signal(|| None::<tessera_core::transfer::handover::Progress>);
    let mut ignored = use_signal(|| 0usize);
    let mut received = use_signal(|| false);
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
        let shared = crate::platform::scanner::CameraShared::default();
        let taken = incoming.peek().clone();
        if let (Ok(mut p), true) = (shared.transfer.lock(), taken.progress().parts > 0) {
            *p = Some(taken.progress());
        }
        if let Ok(mut n) = shared.other_transfer.lock() {
            *n = *ignored.peek();
        }
        let view = shared.clone();
        let stopper = stop.clone();
        spawn(async move {
            while running() {
                tokio::time::sleep(crate::platform::preview::PREVIEW_EVERY).await;
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
                let progress = view.transfer.lock().ok().and_then(|p| *p);
                if progress.is_some() && *receiving.peek() != progress {
                    receiving.set(progress);
                }
                let other = view.other_transfer.lock().map(|n| *n).unwrap_or(0);
                if *ignored.peek() != other {
                    ignored.set(other);
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
                let seen: Vec<u32> = ctx
                    .state
                    .read()
                    .batch_in_progress()
                    .map(|b| b.seen)
                    .unwrap_or_default();
                let (last_outline, newest) = (shared.outline.clone(), shared.newest.clone());
                let transfer = taken.receiver();
                // Phones (and TESSERA_CAMERA=web): the web view's camera, pumped from here.
                let web = crate::platform::scanner::web_camera_wanted().then(|| {
                    let (frames, camera) = webcam::web_camera(stop.clone());
                    spawn(pump(frames));
                    camera
                });
                let result = off_thread(move || {
                    crate::platform::scanner::camera_scan(&stop, &shared, seen, web, transfer)
                })
                .await;
                match result {
                    // One account: show it framed in the frozen preview, to confirm.
                    Ok(Some(Found::Code(Ok(Payload::Account(enrolment))))) => {
                        use base64::Engine;
                        let framed = last_outline.lock().ok().and_then(|o| *o).map(|(o, _)| o);
                        let frozen = newest
                            .lock()
                            .ok()
                            .and_then(|mut n| n.take())
                            .and_then(|small| crate::platform::preview::jpeg(&small))
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
                    // Every part of a transfer is in: the code comes next.
                    Ok(Some(Found::Transfer)) => {
                        received.set(true);
                        break Ok(None);
                    }
                    Ok(Some(Found::Code(Ok(payload)))) => {
                        let added = ctx.with_state(|s| s.add_payload(payload, &meta));
                        finish(ctx, added, &meta, outcome);
                        if ctx.state.read().batch_in_progress().is_some() && running() {
                            continue;
                        }
                        break Ok(None);
                    }
                    other => break other,
                }
            };
            running.set(false);
            match result {
                Ok(Some(Found::Code(Ok(_)) | Found::Transfer)) => {}
                Ok(Some(Found::Code(Err(error)))) => {
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
    if received() {
        let discard = move |_| {
            incoming.set(Incoming::default());
            receiving.set(None);
            ignored.set(0);
            received.set(false);
            status.set("Point the camera at the QR code on your computer screen.".into());
        };
        return rsx! { ReceiveTransfer { incoming: incoming(), ignored: ignored(), discard } };
    }
    if let Some(found) = scanned() {
        return rsx! { ConfirmScan { found, meta: confirm_meta, outcome, scanned, restart: start } };
    }
    rsx! {
        div { class: "camera", role: "status", aria_live: "polite",
            Viewfinder { preview: preview(), outline: outline(), live: running() && crate::platform::scanner::web_camera_wanted() }
            p { id: "scan-status", "{status}" }
            if let Some(progress) = receiving() {
                TransferRing { progress, ignored: ignored() }
            }
            if let Some(batch) = ctx.state.read().batch_in_progress() {
                p { class: "batch", aria_label: "Google Authenticator export: {batch.seen.len()} of {batch.size} QR codes scanned",
                    "Google Authenticator export: {batch.seen.len()} of {batch.size} QR codes scanned "
                    for i in 0..batch.size {
                        span { class: if batch.seen.contains(&i) { "dot on" } else { "dot" }, "aria-hidden": "true" }
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
                        polygon { points: "{svg_points(&o)}" }
                    }
                },
                None => rsx! { div { class: "guide", "aria-hidden": "true" } },
            }
        }
    }
}

/// An outline's corners as an SVG `points` list in its `0 0 width height` view box.
fn svg_points(outline: &Outline) -> String {
    outline
        .corners
        .iter()
        .map(|(x, y)| format!("{x:.0},{y:.0}"))
        .collect::<Vec<_>>()
        .join(" ")
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
    let ctx = use_ctx();
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
    let kind = found.enrolment.otp.kind().display_name();
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

/// Pause between two frame requests to the page: at most about 20 frames a second cross the
/// bridge, enough for scanning, light on a phone's battery.
const WEB_FRAME_GAP: Duration = Duration::from_millis(50);

/// Runs the page's camera and pumps its frames to the scanning loop until the loop ends (then
/// the page turns the camera off) or the camera fails.
async fn pump(frames: webcam::WebFrames) {
    let test_image = crate::platform::scanner::test_image();
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

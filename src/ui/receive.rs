//! Receiving an animated QR transfer in the Scan tab: a ring with the fraction received while
//! the camera reads the other device's screen; once every part is in, the code typed (again,
//! if it was wrong, without scanning again), then the merge preview as a restore shows it.

use dioxus::prelude::*;
use tessera_core::transfer::handover::Progress;

use super::transfer::MergePreview;
use super::{Screen, use_ctx};
use crate::app::{Incoming, Preview};

/// The ring's radius in its 100 x 100 view box.
const RADIUS: f32 = 42.0;

/// How far a transfer is: a ring filling up, with the parts as text (read by screen readers as
/// a progress bar).
#[component]
pub fn TransferRing(progress: Progress, ignored: usize) -> Element {
    let fraction = progress.fraction();
    let percent = (fraction * 100.0).floor() as u32;
    let around = 2.0 * std::f32::consts::PI * RADIUS;
    let filled = around * fraction;
    rsx! {
        div {
            id: "transfer-progress", class: "transfer-ring", role: "progressbar",
            aria_label: "Tessera transfer received", aria_valuemin: 0, aria_valuemax: 100, aria_valuenow: percent,
            svg { view_box: "0 0 100 100", "aria-hidden": "true",
                circle { class: "track", cx: 50, cy: 50, r: RADIUS }
                circle {
                    class: "fill", cx: 50, cy: 50, r: RADIUS,
                    stroke_dasharray: "{filled:.1} {around:.1}", transform: "rotate(-90 50 50)",
                }
                text { x: 50, y: 56, text_anchor: "middle", "{percent}%" }
            }
            p { class: "muted", "{progress.parts} parts of at least {progress.fragments} received" }
            p { class: "muted", "Not filling up? Hold this phone 15 to 20 cm from the other screen and keep it still." }
            if ignored > 0 {
                p { id: "transfer-other", class: "banner warn",
                    "QR codes of another transfer were ignored ({ignored} sightings). Scan only the screen you started with."
                }
            }
        }
    }
}

/// Every part is in: the code, then the merge preview and Add. `discard` forgets the frames.
#[component]
pub fn ReceiveTransfer(incoming: Incoming, ignored: usize, discard: EventHandler<()>) -> Element {
    let ctx = use_ctx();
    let mut code = use_signal(String::new);
    let mut problem = use_signal(|| None::<String>);
    let mut preview = use_signal(|| None::<Preview>);
    let open_with = incoming.clone();
    let open = move |_| {
        let job = open_with.open_job(&code.read());
        match job {
            Ok(job) => {
                problem.set(None);
                ctx.run_cancellable_job(
                    "Opening the transfer with its code…",
                    move |progress| job.run(progress),
                    move |result| match result.and_then(|i| ctx.state.read().preview(i)) {
                        Ok(found) => preview.set(Some(found)),
                        // Said beside the code field, where the user types it again.
                        Err(e) => problem.set(Some(format!("{} {}", e.message(), e.advice()))),
                    },
                );
            }
            Err(e) => problem.set(Some(format!("{} {}", e.message(), e.advice()))),
        }
    };
    let parts = incoming.progress().parts;
    rsx! {
        section { class: "camera receive", aria_label: "Tessera transfer",
            if let Some(found) = preview() {
                div { class: "merge-preview", role: "region", aria_label: "Merge preview",
                    MergePreview { imported: found.imported, plan: found.plan, source: "From the other device".to_owned() }
                    div { class: "row-buttons",
                        button {
                            id: "transfer-add", class: "primary",
                            onclick: move |_| {
                                let Some(found) = preview() else { return };
                                let result = ctx.with_state(|s| s.apply(&found));
                                match result {
                                    Ok(n) => {
                                        ctx.toast(format!("{n} accounts added from the other device."), false, 6);
                                        preview.set(None);
                                        discard.call(());
                                        ctx.go(Screen::List);
                                    }
                                    Err(e) => ctx.error(&e),
                                }
                            },
                            "Add accounts"
                        }
                        button { id: "transfer-discard", onclick: move |_| discard.call(()), "Discard" }
                    }
                }
            } else {
                p { id: "scan-status", role: "status", "All {parts} QR codes of the transfer are in. Type the code the sending device shows." }
                if ignored > 0 {
                    p { id: "transfer-other", class: "muted", "QR codes of another transfer were ignored ({ignored} sightings)." }
                }
                label { r#for: "transfer-code", "Transfer code" }
                input {
                    id: "transfer-code", class: "code-entry", placeholder: "XXXX-XXXX-XXXX",
                    autocomplete: "off", spellcheck: false, autocapitalize: "characters",
                    value: "{code}", oninput: move |e| code.set(e.value()),
                }
                if let Some(text) = problem() {
                    p { id: "transfer-error", class: "banner warn", role: "alert", "{text}" }
                }
                div { class: "row-buttons",
                    button { id: "transfer-open", class: "primary", onclick: open, "Open transfer" }
                    button { id: "transfer-discard", onclick: move |_| discard.call(()), "Discard" }
                }
            }
        }
    }
}

//! "Send to another device": the accounts to send (all, or those matching a tenant, a tag or a
//! search), the vault password again, then the endless animated QR codes and the one-time code
//! beside them. Leaving the screen (or a lock) drops the transfer, and with it the code.

use std::time::Duration;

use dioxus::prelude::*;

use super::{Screen, Secret, use_ctx};
use crate::app::Sending;
use crate::app::handover::{FRAMES_PER_SECOND, SPEEDS};

/// The sending screen.
#[component]
pub fn SendScreen() -> Element {
    let ctx = use_ctx();
    let mut query = use_signal(String::new);
    let mut vault_password = use_signal(Secret::default);
    let mut sending = use_signal(|| None::<Sending>);
    let count = ctx.state.read().send_count(&query.read());
    let start = move |_| {
        let vault_pw = vault_password.read().clone();
        vault_password.set(Secret::default());
        let job = ctx.state.read().send_job(&query.read(), vault_pw);
        match job {
            Ok(job) => ctx.run_job(
                "Checking the password and sealing the accounts…",
                move |progress| job.run(progress),
                move |result| match result {
                    Ok(started) => sending.set(Some(started)),
                    Err(e) => ctx.error(&e),
                },
            ),
            Err(e) => ctx.error(&e),
        }
    };
    rsx! {
        header { class: "bar",
            button { class: "back", aria_label: "Back", onclick: move |_| ctx.go(Screen::Transfer), super::widgets::Icon { name: "back" } }
            h1 { "Send to another device" }
        }
        main { class: "transfer send",
            if sending.read().is_some() {
                Showing { sending }
            } else {
                section {
                    p { class: "muted", "On the other device, open Tessera, then Add → Scan, and hold its camera 15 to 20 cm from this screen, so the code fills about half of its picture. Every seed, note, tenant and tag goes across, encrypted; nothing goes over a network." }
                    label { r#for: "send-query", "Only accounts matching (empty: all)" }
                    input { id: "send-query", placeholder: "a tenant, a tag or a name", value: "{query}", oninput: move |e| query.set(e.value()) }
                    p { id: "send-count", class: "muted", role: "status", "{count} accounts will be sent." }
                    label { r#for: "send-vault-password", "Your vault password (every seed chosen leaves the vault)" }
                    input { id: "send-vault-password", r#type: "password", autocomplete: "current-password", value: "{vault_password.read().as_str()}", oninput: move |e| vault_password.set(Secret::new(e.value())) }
                    super::biometric::ReauthHint {}
                    button { id: "send-start", class: "primary", disabled: count == 0, onclick: start, "Show the QR codes" }
                }
            }
        }
    }
}

/// The animated QR codes and the code to type on the other device.
#[component]
fn Showing(sending: Signal<Option<Sending>>) -> Element {
    let ctx = use_ctx();
    let mut frame = use_signal(|| None::<String>);
    let mut shown = use_signal(|| 0u64);
    let mut speed = use_signal(|| FRAMES_PER_SECOND);
    use_future(move || async move {
        loop {
            let next = sending.write().as_mut().map(Sending::next_frame_png);
            match next {
                Some(Ok(png)) => {
                    frame.set(Some(png));
                    *shown.write() += 1;
                }
                Some(Err(e)) => {
                    ctx.error(&e);
                    sending.set(None);
                    return;
                }
                None => return,
            }
            let every = 1000 / u64::from((*speed.peek()).max(1));
            tokio::time::sleep(Duration::from_millis(every)).await;
        }
    });
    let (code, accounts, fragments, bytes) = match &*sending.read() {
        Some(s) => (s.code(), s.accounts(), s.fragments(), s.bytes()),
        None => return rsx! {},
    };
    let seconds = fragments as f32 * 1.5 / speed() as f32;
    rsx! {
        section { class: "sending", aria_label: "Transfer in progress",
            div { class: "qr-frame",
                if let Some(png) = frame() {
                    img { id: "send-qr", class: "qr animated", alt: "Animated QR codes of the transfer", src: "data:image/png;base64,{png}" }
                }
            }
            p { class: "muted", "Then type this code on the other device:" }
            p { id: "send-code", class: "transfer-code", aria_label: "Transfer code {spelled(&code)}", "{code.as_str()}" }
            p { id: "send-facts", class: "muted",
                "{accounts} accounts · {bytes} bytes in {fragments} QR codes · about {seconds:.0} s at this speed · frame {shown}"
            }
            label { r#for: "send-speed", "Speed" }
            select { id: "send-speed", onchange: move |e| if let Ok(v) = e.value().parse() { speed.set(v) },
                for (fps, name) in SPEEDS {
                    option { value: "{fps}", selected: speed() == fps, "{name}: {fps} per second" }
                }
            }
            p { class: "muted", "The code works only while this screen is open. Anyone who sees both the QR codes and the code can take these accounts." }
            button {
                id: "send-stop",
                onclick: move |_| {
                    sending.set(None);
                    ctx.go(Screen::Transfer);
                },
                "Done: stop sending"
            }
        }
    }
}

/// The code spelled character by character for a screen reader ("A 7 K ...").
fn spelled(code: &str) -> String {
    code.chars()
        .filter(|c| *c != '-')
        .map(String::from)
        .collect::<Vec<_>>()
        .join(" ")
}

//! The Dioxus views. Until the full app lands this is one screen: paste an `otpauth://` URI and
//! see its live code, which proves the app, the core and the platform build work end to end.

use dioxus::prelude::*;
use tessera_core::otp::{Payload, parse_payload};

/// The stylesheet, compiled in: under a plain `cargo run` (no `dx` bundler) a linked `asset!`
/// stylesheet was not applied in the desktop web view, so the CSS travels inside the binary.
const MAIN_CSS: &str = include_str!("../../assets/main.css");

use tessera_core::otp::unix_now as now;

/// The root component.
#[component]
pub fn App() -> Element {
    let mut input = use_signal(String::new);
    let mut tick = use_signal(now);
    use_future(move || async move {
        loop {
            tokio::time::sleep(std::time::Duration::from_millis(500)).await;
            tick.set(now());
        }
    });

    let text = input.read();
    let result = if text.trim().is_empty() {
        None
    } else {
        Some(parse_payload(text.trim()))
    };
    let body = match result {
        None => rsx! { p { class: "hint", "Paste an otpauth:// link to see its code." } },
        Some(Ok(Payload::Account(enrolment))) => {
            let info = enrolment.otp.codes_at(tick());
            rsx! {
                div { class: "account",
                    div { class: "issuer", "{enrolment.issuer}" }
                    div { class: "name", "{enrolment.name}" }
                    div { class: "code", aria_live: "polite", "{info.current.grouped()}" }
                    if let Some(left) = info.seconds_left {
                        div { class: "left", "{left} s left · next {info.next.grouped()}" }
                    }
                }
            }
        }
        Some(Ok(Payload::Migration(batch))) => rsx! {
            p { class: "hint",
                "Google Authenticator export, QR code {batch.info.index + 1} of {batch.info.size}: {batch.entries.len()} accounts."
            }
        },
        Some(Err(error)) => rsx! {
            div { class: "error", role: "alert",
                p { "{error}" }
                p { class: "advice", "{error.advice()}" }
            }
        },
    };

    rsx! {
        document::Title { "Tessera" }
        style { {MAIN_CSS} }
        main {
            h1 { "Tessera" }
            label { r#for: "uri", "otpauth:// link" }
            textarea {
                id: "uri",
                rows: 3,
                spellcheck: false,
                autocomplete: "off",
                oninput: move |event| input.set(event.value()),
            }
            {body}
        }
    }
}

//! Small pieces: the countdown ring, icons, the toast.

use dioxus::prelude::*;

use super::{Toast, use_ctx};
use crate::app::icons::Shown;

/// The countdown ring: amber at 10 s, red at 5 s; the seconds also as text, and as the timer's
/// name for screen readers.
#[component]
pub fn Ring(left: u64, period: u64) -> Element {
    let fraction = if period == 0 {
        0.0
    } else {
        left as f64 / period as f64
    };
    let circumference = 2.0 * std::f64::consts::PI * 9.0;
    let offset = circumference * (1.0 - fraction);
    let class = if left <= 5 {
        "ring red"
    } else if left <= 10 {
        "ring amber"
    } else {
        "ring"
    };
    rsx! {
        // A timer is not a live region: its time is read when the user moves to it, not
        // announced every second.
        span { class: "{class}", role: "timer", aria_live: "off", aria_label: crate::app::rows::time_left(left),
            svg { width: "24", height: "24", view_box: "0 0 24 24", "aria-hidden": "true",
                circle { class: "track", cx: "12", cy: "12", r: "9" }
                circle {
                    class: "left", cx: "12", cy: "12", r: "9",
                    stroke_dasharray: "{circumference:.2}", stroke_dashoffset: "{offset:.2}",
                    transform: "rotate(-90 12 12)",
                }
            }
            span { class: "secs", "{left}" }
        }
    }
}

/// The account's icon: a brand icon on its colour, the user's image, or the issuer's first
/// letter on a colour derived from its name. `data-icon` names which (a slug, `image`, `letter`).
#[component]
pub fn Avatar(letter: String, hue: u32, icon: Shown) -> Element {
    match icon {
        Shown::Letter => rsx! {
            span { class: "avatar", "data-icon": "letter", "aria-hidden": "true", style: "background: hsl({hue} 45% 38%)", "{letter}" }
        },
        Shown::Image(url) => rsx! {
            img { class: "avatar image", "data-icon": "image", alt: "", src: "{url}", loading: "lazy", decoding: "async" }
        },
        Shown::Brand(brand) => rsx! {
            span { class: "avatar brand", "data-icon": brand.slug, "aria-hidden": "true", style: "background: #{brand.hex}",
                svg { view_box: "0 0 24 24", width: "22", height: "22",
                    for (fill, d) in brand.layers.iter().copied() {
                        path { d, fill: "#{brand.fill(fill)}" }
                    }
                }
            }
        },
    }
}

/// The toast, with Undo after a move to the trash.
#[component]
pub fn ToastView(toast: Toast) -> Element {
    let ctx = use_ctx();
    rsx! {
        div { id: "toast", class: "toast", role: "status", aria_live: "polite",
            span { "{toast.text}" }
            if toast.undo {
                button {
                    id: "undo",
                    onclick: move |_| {
                        let result = ctx.with_state(|s| s.undo());
                        let mut ui = ctx.ui;
                        ui.write().toast = None;
                        if let Err(e) = result { ctx.error(&e); }
                    },
                    "Undo"
                }
            }
        }
    }
}

/// A line icon (24x24, drawn with the text colour), so no icon font or emoji is needed.
#[component]
pub fn Icon(name: &'static str) -> Element {
    let path = match name {
        "add" => "M12 5v14M5 12h14",
        "transfer" => "M7 20V4M7 4 4 7M7 4l3 3M17 4v16M17 20l-3-3M17 20l3-3",
        "trash" => "M4 7h16M9 7V4h6v3M6 7l1 13h10l1-13",
        "settings" => {
            "M12 2v3M12 19v3M2 12h3M19 12h3M4.9 4.9 7 7M17 17l2.1 2.1M4.9 19.1 7 17M17 7l2.1-2.1M12 8.5a3.5 3.5 0 1 0 0 7 3.5 3.5 0 0 0 0-7z"
        }
        "lock" => "M6 11h12v9H6zM8 11V8a4 4 0 0 1 8 0v3",
        "back" => "M15 5l-7 7 7 7",
        _ => "M12 12h.01",
    };
    rsx! {
        svg {
            class: "icon", width: "22", height: "22", view_box: "0 0 24 24", "aria-hidden": "true",
            fill: "none", stroke: "currentColor", stroke_width: "2", stroke_linecap: "round", stroke_linejoin: "round",
            path { d: "{path}" }
        }
    }
}

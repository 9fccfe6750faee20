//! The trash: restore or delete for good.

use dioxus::prelude::*;

use super::{Screen, use_ctx};
use crate::app::rows::human_time as utc_stamp;

/// The trash screen.
#[component]
pub fn Trash() -> Element {
    let ctx = use_ctx();
    let items = ctx.state.read().trash_list();
    rsx! {
        header { class: "bar",
            button { class: "back", aria_label: "Back", onclick: move |_| ctx.go(Screen::List), super::widgets::Icon { name: "back" } }
            h1 { "Trash" }
        }
        main { class: "trash",
            if items.is_empty() {
                p { class: "muted", "The trash is empty." }
            }
            ul { role: "list",
                for (account, when) in items {
                    li { key: "{account.id}", class: "trash-row",
                        span { class: "who", span { class: "issuer", "{account.label()}" } span { class: "name", "moved {utc_stamp(when)}" } }
                        button {
                            class: "restore",
                            onclick: move |_| {
                                let result = ctx.with_state(|s| s.restore(account.id));
                                if let Err(e) = result { ctx.error(&e); } else { ctx.toast("Restored.", false, 3); }
                            },
                            "Restore"
                        }
                        button {
                            class: "danger",
                            onclick: move |_| {
                                let result = ctx.with_state(|s| s.purge(account.id));
                                if let Err(e) = result { ctx.error(&e); } else { ctx.toast("Deleted for good.", false, 3); }
                            },
                            "Delete for good"
                        }
                    }
                }
            }
        }
    }
}

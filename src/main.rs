//! Tessera, the app: a two-factor authenticator for desktop, Android and iOS.
//!
//! This is the real entry point of the app. The screens grow in `ui/`; everything that is not UI
//! (codes, URIs, the vault, transfers, scanning) lives in the `tessera-core` crate so that it is
//! tested without a window.

mod ui;

fn main() {
    #[cfg(feature = "desktop")]
    {
        use dioxus::desktop::{Config, LogicalSize, WindowBuilder};
        let window = WindowBuilder::new()
            .with_title("Tessera")
            .with_inner_size(LogicalSize::new(420.0, 760.0))
            .with_min_inner_size(LogicalSize::new(340.0, 480.0));
        dioxus::LaunchBuilder::desktop()
            .with_cfg(Config::new().with_window(window).with_menu(None))
            .launch(ui::App);
    }
    #[cfg(not(feature = "desktop"))]
    dioxus::launch(ui::App);
}

//! The `tessera` binary: opens the app's window (desktop) or web view (phones).

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
            .launch(tessera::ui::App);
    }
    #[cfg(not(feature = "desktop"))]
    dioxus::launch(tessera::ui::App);
}

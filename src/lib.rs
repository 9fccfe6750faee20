//! Tessera, the app: a two-factor authenticator for desktop, Android and iOS.
//!
//! `ui/` holds the Dioxus views and `platform/` the glue to each operating system (camera,
//! keystore, clipboard) behind small traits. Everything that is not UI (codes, URIs, the vault,
//! transfers, scanning) lives in the `tessera-core` crate so that it is tested without a window.
//! The `tessera` binary only launches [`ui::App`] in a window.

pub mod app;
pub mod platform;
pub mod ui;

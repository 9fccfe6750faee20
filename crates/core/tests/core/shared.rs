//! Access to `../shared` (real fixtures from other apps), which a newcomer's clone may lack.

use std::path::PathBuf;

/// The shared fixtures folder: `$TESSERA_SHARED`, or `shared/` beside the checkout.
/// Prints a notice and returns `None` when it is absent, so the test passes as skipped.
pub fn dir(test: &str) -> Option<PathBuf> {
    let dir = std::env::var_os("TESSERA_SHARED")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../../shared"));
    if dir.join("fixtures").is_dir() {
        Some(dir)
    } else {
        eprintln!(
            "note: {test} skipped: no shared fixtures at {} (set TESSERA_SHARED)",
            dir.display()
        );
        None
    }
}

/// Reads a fixture as text.
pub fn read(dir: &std::path::Path, path: &str) -> String {
    std::fs::read_to_string(dir.join("fixtures").join(path))
        .unwrap_or_else(|e| panic!("{path}: {e}"))
}

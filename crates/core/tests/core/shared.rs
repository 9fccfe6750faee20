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

/// Whether `python3` can import `modules` (a Python import list, e.g. `"cryptography, argon2"`)
/// for the test `test`. When it cannot, prints a notice with `pip` and returns false, unless
/// `TESSERA_REQUIRE_PYTHON` is set (by `.ci/test`, which installs them): then it fails.
pub fn python_with(modules: &str, pip: &str, test: &str) -> bool {
    let ok = std::process::Command::new("python3")
        .args(["-c", &format!("import {modules}")])
        .output()
        .is_ok_and(|o| o.status.success());
    if !ok {
        assert!(
            std::env::var_os("TESSERA_REQUIRE_PYTHON").is_none(),
            "TESSERA_REQUIRE_PYTHON is set but python3 cannot import {modules} (pip install {pip})"
        );
        eprintln!("note: {test} skipped: pip install {pip}");
    }
    ok
}

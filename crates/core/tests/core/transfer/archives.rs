//! WinAuth's export saved as a password ZIP, written by Info-ZIP's `zip -P` (ZipCrypto, an
//! independent writer, as WinAuth's SharpZipLib writes it): every URI imports; a wrong password
//! says so. Skipped with a notice without `zip`, unless `TESSERA_REQUIRE_ZIP=1` (set by the
//! project's test command, which installs it).

use std::process::Command;

use tessera_core::transfer::TransferError;
use tessera_core::transfer::import::{Format, import};

#[test]
fn winauth_zip_exports_import() {
    if Command::new("zip").arg("-v").output().is_err() {
        assert!(
            std::env::var_os("TESSERA_REQUIRE_ZIP").is_none(),
            "zip is required (TESSERA_REQUIRE_ZIP is set) but not installed: apt-get install zip"
        );
        eprintln!("note: WinAuth ZIP test skipped: zip is not installed (apt-get install zip)");
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("winauth-2026-12-02.txt"),
        "otpauth://totp/Microsoft:admin%40contoso.com?secret=JBSWY3DPEHPK3PXP&digits=6&issuer=Microsoft\n\
         otpauth://totp/Steam:gamer?secret=GEZDGNBVGY3TQOJQ&digits=5&issuer=Steam&encoder=steam\n",
    )
    .unwrap();
    let status = Command::new("zip")
        .current_dir(dir.path())
        .args([
            "-q",
            "-P",
            "winauth pw",
            "export.zip",
            "winauth-2026-12-02.txt",
        ])
        .status()
        .unwrap();
    assert!(status.success());
    let bytes = std::fs::read(dir.path().join("export.zip")).unwrap();
    let imported = import(&bytes, Some(b"winauth pw"), None, 0).unwrap();
    assert_eq!(imported.format, Format::Zip);
    let labels: Vec<String> = imported.accounts().iter().map(|(a, _)| a.label()).collect();
    assert_eq!(labels, ["Microsoft: admin@contoso.com", "Steam: gamer"]);
    assert_eq!(
        import(&bytes, Some(b"wrong"), None, 0).unwrap_err(),
        TransferError::WrongPassword { format: "WinAuth" }
    );
}

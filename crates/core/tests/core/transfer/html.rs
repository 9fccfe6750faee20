//! Stratum's HTML backup, as its `HtmlBackup` writes it (Stratum.Core/src/Backup/HtmlBackup.cs
//! into Stratum.Droid/Assets/backup_template.html): a table row per account with issuer,
//! username, the link in a `<code>` element written as it is (a raw `&` between parameters) and
//! a QR code PNG. Stratum leaves the PIN out of Yandex links (it writes `pin_length`) and of
//! mOTP links, so those entries say what to do.

use tessera_core::otp::OtpKind;
use tessera_core::transfer::import::{Format, import};

fn row(issuer: &str, user: &str, uri: &str) -> String {
    format!(
        "<tr>\n    <td>{issuer}</td>\n    <td>{user}</td>\n    <td><code>{uri}</code></td>\n    \
         <td><img src=\"data:image/png;base64,iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAAAAAA6fptVAAAACklEQVR4nGNiAAAABgADNjd8qAAAAABJRU5ErkJggg==\"></td>\n</tr>"
    )
}

fn page(rows: &[String]) -> String {
    format!(
        "<!doctype html>\n<html>\n    <head>\n        <meta charset=\"utf-8\">\n        \
         <title>Stratum Backup</title>\n        <style>body {{ font-family: sans-serif; }}</style>\n    \
         </head>\n    <body>\n        <table>\n            <tr>\n                <th>Issuer</th>\n                \
         <th>Username</th>\n                <th>OTP Auth URI</th>\n                <th>QR Code</th>\n            \
         </tr>\n            {}\n        </table>\n    </body>\n</html>\n",
        rows.concat()
    )
}

#[test]
fn stratum_html_backups_import_their_links() {
    let html = page(&[
        row(
            "Long",
            "Period",
            "otpauth://totp/Long%3APeriod?secret=JGRMXBLPPYQIFMRBFQDHNP3MPPYQYNUN&issuer=Long&period=60",
        ),
        row(
            "Standard",
            "Hotp",
            "otpauth://hotp/Standard%3AHotp?secret=JOR2VZXMNHACFNLRAOACFFRDRYAOFMLB&issuer=Standard&counter=10",
        ),
        row(
            "Sha",
            "512",
            "otpauth://totp/Sha%3A512?secret=UW33SR5O4EKTDXNCBBS5FSPUKAYXIWOH&amp;issuer=Sha&amp;algorithm=SHA512",
        ),
        row(
            "Microsoft",
            "admin@contoso.com",
            "otpauth://totp/Contoso%20Ltd%3Aadmin%40contoso.com?secret=JBSWY3DPEHPK3PXP&issuer=Microsoft",
        ),
        row(
            "Yandex",
            "alice",
            "otpauth://yaotp/Yandex%3Aalice?secret=LA2V6KMCGYMWWVEW64RNP3JA3I&issuer=Yandex&pin_length=4",
        ),
        row("Mobile", "vpn", "motp://Mobile:vpn?secret=e3152afee62599c8"),
    ]);
    let imported = import(html.as_bytes(), None, None, 0).unwrap();
    assert_eq!(imported.format, Format::Html);
    let accounts: Vec<_> = imported.accounts().into_iter().map(|(a, _)| a).collect();
    let summary: Vec<_> = accounts
        .iter()
        .map(|a| (a.issuer.as_str(), a.name.as_str(), a.otp.kind()))
        .collect();
    assert_eq!(
        summary,
        [
            ("Long", "Period", OtpKind::Totp { period: 60 }),
            ("Standard", "Hotp", OtpKind::Hotp { counter: 10 }),
            ("Sha", "512", OtpKind::Totp { period: 30 }),
            (
                "Microsoft",
                "admin@contoso.com",
                OtpKind::Totp { period: 30 }
            ),
        ]
    );
    assert_eq!(accounts[3].tenant, "Contoso Ltd");
    assert_eq!(accounts[2].otp.algorithm_name(), "SHA512");
    let failures = imported.failures();
    assert_eq!(failures.len(), 2);
    for failure in failures {
        assert!(failure.reason.contains("PIN"), "{failure}");
        assert!(
            !failure.to_string().contains("LA2V"),
            "never the secret: {failure}"
        );
    }

    // A page without a single link is named, not guessed at.
    let empty = page(&[]);
    assert!(import(empty.as_bytes(), None, Some(Format::Html), 0).is_err());
}

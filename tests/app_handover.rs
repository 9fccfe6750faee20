//! Phone to phone by animated QR codes at the app layer, on real temporary vaults and without a
//! window: the sending screen's frames (its own PNGs) decoded and given to a second app's
//! receiver with frames lost, a wrong code retyped without rescanning, a mistyped code refused
//! before the key derivation, and the selection by tenant.

#[path = "support/app.rs"]
mod support;
use support::PASSWORD;

use tessera::app::{AppError, AppState, Incoming, NewMeta, Progress, Sending};
use tessera_core::otp::Account;
use tessera_core::scan::{Effort, decode, scan_image};
use tessera_core::transfer::handover::TransferCode;

fn unlocked(dir: &std::path::Path, name: &str) -> AppState {
    support::unlocked_at(&dir.join(name))
}

/// Three accounts with a tenant, tags and a 200-character note each, one in another tenant.
fn filled(dir: &std::path::Path) -> AppState {
    let mut state = unlocked(dir, "old.vault");
    let accounts = [
        (
            "otpauth://totp/Microsoft:admin@contoso.com?secret=GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ&issuer=Microsoft",
            "Contoso Ltd",
        ),
        (
            "otpauth://totp/Microsoft:breakglass@contoso.com?secret=JBSWY3DPEHPK3PXP&issuer=Microsoft&digits=8&period=60&algorithm=SHA256",
            "Contoso Ltd",
        ),
        (
            "otpauth://hotp/VPN:tech@fabrikam.com?secret=KRSXG5CTMVRXEZLUKN2XAZLSKNSWG4TFOQ&counter=7",
            "Fabrikam",
        ),
    ];
    for (i, (uri, tenant)) in accounts.iter().enumerate() {
        let meta = NewMeta {
            tenant: (*tenant).into(),
            note: format!("Phone {i}: {}", "re-enrol at aka.ms/mfasetup; ".repeat(7)),
            tags: vec!["m365".into(), format!("tech-{i}")],
        };
        state.add_text(uri, &meta).unwrap();
    }
    state
}

/// What a transfer must carry exactly.
fn fields(account: &Account) -> (String, String, String, String, Vec<String>, String) {
    (
        account.issuer.clone(),
        account.name.clone(),
        format!("{:?}", account.otp.kind()),
        account.tenant.clone(),
        account.tags.clone(),
        account.note.clone(),
    )
}

fn all_fields(state: &AppState) -> Vec<(String, String, String, String, Vec<String>, String)> {
    let mut all: Vec<_> = state
        .vault()
        .unwrap()
        .accounts()
        .into_iter()
        .map(fields)
        .collect();
    all.sort();
    all
}

/// The sending screen's frames, as its PNGs decode: what a camera reads off the screen.
fn frames(sending: &mut Sending, count: usize) -> Vec<String> {
    use base64::Engine;
    (0..count)
        .map(|_| {
            let png = base64::engine::general_purpose::STANDARD
                .decode(sending.next_frame_png().unwrap())
                .unwrap();
            let mut texts = decode(&scan_image(&png).unwrap(), Effort::Still);
            assert_eq!(texts.len(), 1, "one QR code per frame");
            texts.remove(0)
        })
        .collect()
}

fn code_of(sending: &Sending) -> String {
    sending.code().as_str().to_owned()
}

#[test]
fn accounts_move_to_a_fresh_vault_with_frames_lost_and_a_wrong_code_retyped() {
    let dir = tempfile::tempdir().unwrap();
    let old = filled(dir.path());
    let job = old.send_job("", PASSWORD.to_owned().into()).unwrap();
    let mut sending = job.run(&Progress::default()).unwrap();
    assert_eq!(sending.accounts(), 3);
    let code = code_of(&sending);
    assert_eq!(code.len(), 14, "XXXX-XXXX-XXXX: {}", code.len());
    assert!(
        !format!("{sending:?}").contains(&code.replace('-', "")[..4]),
        "Debug never shows the code"
    );

    // Two cycles of the stream, every fifth frame lost, the rest in reverse order and twice.
    let shown = {
        let n = 4 * sending.fragments();
        frames(&mut sending, n)
    };
    let kept: Vec<&String> = shown
        .iter()
        .enumerate()
        .filter(|(i, _)| i % 5 != 2)
        .map(|(_, t)| t)
        .collect();
    let mut new = unlocked(dir.path(), "new.vault");
    let incoming = Incoming::default();
    for text in kept.iter().rev().chain(kept.iter()) {
        incoming.receiver().lock().unwrap().receive(text).unwrap();
    }
    assert!(incoming.progress().complete, "{:?}", incoming.progress());

    // A wrong code (its check character right) is refused after the key derivation; the
    // frames stay, so the right one then opens it.
    let mut wrong = TransferCode::generate().display().as_str().to_owned();
    while wrong == code {
        wrong = TransferCode::generate().display().as_str().to_owned();
    }
    let error = incoming
        .open_job(&wrong)
        .unwrap()
        .run(&Progress::default())
        .unwrap_err();
    assert!(error.message().contains("not the code"), "{error:?}");
    assert!(
        error.advice().contains("no need to scan again"),
        "{error:?}"
    );
    assert!(incoming.progress().complete);

    let typed = code.to_lowercase().replace('-', " ");
    let imported = incoming
        .open_job(&typed)
        .unwrap()
        .run(&Progress::default())
        .unwrap();
    let preview = new.preview(imported).unwrap();
    assert_eq!(preview.plan.new_count(), 3);
    assert_eq!(new.apply(&preview).unwrap(), 3);
    assert_eq!(all_fields(&new), all_fields(&old));

    // The same transfer again adds nothing.
    let again = incoming
        .open_job(&code)
        .unwrap()
        .run(&Progress::default())
        .unwrap();
    let preview = new.preview(again).unwrap();
    assert_eq!(
        (preview.plan.new_count(), preview.plan.duplicate_count()),
        (0, 3)
    );
}

#[test]
fn a_mistyped_or_early_code_is_refused_before_the_key_derivation() {
    let incoming = Incoming::default();
    let early = incoming
        .open_job(&TransferCode::generate().display())
        .unwrap_err();
    assert!(early.message().contains("not complete"), "{early:?}");

    let dir = tempfile::tempdir().unwrap();
    let old = filled(dir.path());
    let mut sending = old
        .send_job("", PASSWORD.to_owned().into())
        .unwrap()
        .run(&Progress::default())
        .unwrap();
    for text in {
        let n = 2 * sending.fragments();
        frames(&mut sending, n)
    } {
        incoming.receiver().lock().unwrap().receive(&text).unwrap();
    }
    let code = code_of(&sending);
    // One character changed: the check character catches it at once.
    let mut typo: Vec<char> = code.chars().collect();
    typo[1] = if typo[1] == '7' { '8' } else { '7' };
    let typo: String = typo.into_iter().collect();
    let error = incoming.open_job(&typo).unwrap_err();
    assert!(error.message().contains("mistyped"), "{error:?}");
    let error = incoming.open_job("ABCD").unwrap_err();
    assert!(error.message().contains("12"), "{error:?}");
}

#[test]
fn a_tenant_alone_is_sent_and_the_vault_password_is_checked() {
    let dir = tempfile::tempdir().unwrap();
    let old = filled(dir.path());
    assert_eq!(old.send_count("Fabrikam"), 1);
    assert_eq!(old.send_count(""), 3);
    let wrong = old
        .send_job("", "not the password".to_owned().into())
        .unwrap()
        .run(&Progress::default())
        .unwrap_err();
    assert!(matches!(wrong, AppError::NotTheVaultPassword), "{wrong:?}");
    let none = old
        .send_job("nobody", PASSWORD.to_owned().into())
        .unwrap_err();
    assert!(none.message().contains("No account matches"), "{none:?}");
    let empty = old.send_job("", String::new().into()).unwrap_err();
    assert!(empty.message().contains("password"), "{empty:?}");

    let mut sending = old
        .send_job("Fabrikam", PASSWORD.to_owned().into())
        .unwrap()
        .run(&Progress::default())
        .unwrap();
    assert_eq!(sending.accounts(), 1);
    let incoming = Incoming::default();
    for text in {
        let n = 2 * sending.fragments();
        frames(&mut sending, n)
    } {
        incoming.receiver().lock().unwrap().receive(&text).unwrap();
    }
    let imported = incoming
        .open_job(&code_of(&sending))
        .unwrap()
        .run(&Progress::default())
        .unwrap();
    let new = unlocked(dir.path(), "new.vault");
    let preview = new.preview(imported).unwrap();
    assert_eq!(preview.plan.new_count(), 1);
    assert!(
        preview
            .imported
            .notes
            .iter()
            .any(|n| n.contains("QR codes"))
    );
    assert_eq!(preview.plan.items[0].account.tenant, "Fabrikam");
}

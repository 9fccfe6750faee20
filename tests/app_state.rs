//! The app-state layer on a real temporary vault, without a window: everything a screen does.

#[path = "support/app.rs"]
mod support;
use support::{PASSWORD, unlocked};

use tessera::app::rows::hue;
use tessera::app::settings::{GroupBy, Settings};
use tessera::app::{AddOutcome, AppState, ExportFormat, NewMeta, Phase, Progress, Source};
use tessera_core::otp::PayloadError;
use tessera_core::vault::{Edit, KdfParams};

const URI: &str = "otpauth://totp/Microsoft:admin@contoso.com?secret=GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ&issuer=Microsoft";

fn added(outcome: AddOutcome) -> Vec<tessera_core::otp::AccountId> {
    match outcome {
        AddOutcome::Added { ids, .. } => ids,
        other => panic!("not added: {other:?}"),
    }
}

#[test]
fn setup_checks_the_password_pair_and_rates_it() {
    assert!(
        AppState::check_new_password("abc", "abd")
            .unwrap_err()
            .message()
            .contains("differ")
    );
    assert!(
        AppState::check_new_password("short", "short")
            .unwrap_err()
            .message()
            .contains("8")
    );
    assert!(AppState::check_new_password("correct horse battery", "correct horse battery").is_ok());
    assert_eq!(AppState::strength("").1, "too short");
    assert!(AppState::strength("correct horse battery staple").0 >= 3);
}

#[test]
fn add_search_rows_trash_undo_lock_unlock() {
    let dir = tempfile::tempdir().unwrap();
    let mut state = unlocked(dir.path());
    let meta = NewMeta {
        tenant: "Contoso".into(),
        note: "Anna's phone\nre-enrol: aka.ms/mfasetup".into(),
        tags: vec!["m365".into()],
    };
    let ids = added(state.add_text(URI, &meta).unwrap());
    assert_eq!(ids.len(), 1);
    // The same again is an exact duplicate, reported, not added.
    match state.add_text(URI, &NewMeta::default()).unwrap() {
        AddOutcome::Added {
            ids: none,
            duplicates,
            ..
        } => {
            assert!(none.is_empty());
            assert_eq!(duplicates.len(), 1);
            assert_eq!(duplicates[0].label, "Microsoft: admin@contoso.com");
            assert_eq!(duplicates[0].existing, ids[0]);
            assert_eq!(
                duplicates[0].created,
                state.account(ids[0]).unwrap().created
            );
            // "Add anyway" adds it all the same (the user asked for it).
            let again = state
                .add_anyway(duplicates[0].enrolment.clone(), &NewMeta::default())
                .unwrap();
            assert_eq!(state.rows("contoso", 59).len(), 2);
            state.trash(again).unwrap();
            state.purge(again).unwrap();
        }
        other => panic!("{other:?}"),
    }
    // A second authenticator for the same account (another seed): kept, marked as a twin.
    added(state.add_text("otpauth://totp/Microsoft:admin@contoso.com?secret=JBSWY3DPEHPK3PXP&issuer=Microsoft", &NewMeta { note: "Bob's phone".into(), ..Default::default() }).unwrap());
    // RFC 6238 at T=59: the row shows the grouped code and the seconds left.
    let rows = state.rows("contoso", 59);
    assert_eq!(rows.len(), 2);
    let first = rows.iter().find(|r| r.id == ids[0]).unwrap();
    assert_eq!(first.code, "287 082");
    assert_eq!(first.seconds_left, Some(1));
    assert_eq!(first.tenant, "Contoso");
    // A Microsoft row puts the tenant before the user, and shows no chip repeating it.
    assert!(first.tenant_first);
    assert_eq!(first.subtitle, "Contoso · admin@contoso.com");
    assert_eq!(first.note_line, "Anna's phone");
    assert_eq!(
        first.twin,
        Some((rows.iter().position(|r| r.id == ids[0]).unwrap() + 1, 2))
    );
    assert_eq!(
        first.accessible_name(),
        "Microsoft, Contoso · admin at contoso.com, code 2 8 7 0 8 2"
    );
    assert_eq!(tessera::app::rows::time_left(1), "1 second left");
    assert_eq!(tessera::app::rows::spelled("abc DEF"), "a b c D E F");
    assert_eq!(first.hue, hue("Microsoft"));
    assert!(state.rows("bob's", 59).iter().all(|r| r.id != ids[0]));
    assert!(state.rows("nothing like this", 59).is_empty());

    // Edit, trash, undo.
    state
        .edit(
            ids[0],
            Edit {
                note: Some("Moved to Bob".into()),
                ..Default::default()
            },
        )
        .unwrap();
    state.trash(ids[0]).unwrap();
    assert_eq!(state.rows("", 59).len(), 1);
    assert_eq!(state.trash_list().len(), 1);
    state.undo().unwrap();
    assert_eq!(state.rows("", 59).len(), 2);
    assert_eq!(state.account(ids[0]).unwrap().note, "Moved to Bob");

    // Locking drops the vault; the password opens it again, a wrong one is refused.
    state.lock();
    assert_eq!(state.phase(), Phase::Locked);
    assert!(state.rows("", 59).is_empty());
    let wrong = state
        .unlock_job("wrong".to_owned().into())
        .run(&Progress::default())
        .unwrap_err();
    assert_eq!(wrong.message(), "Wrong password.");
    assert_eq!(wrong.advice(), "Passwords are case-sensitive.");
    let vault = state
        .unlock_job(PASSWORD.to_owned().into())
        .run(&Progress::default())
        .unwrap();
    state.accept(vault);
    assert_eq!(state.rows("", 59).len(), 2);

    // The secret only after the password.
    assert!(state.reveal_uri(ids[0], "wrong").is_err());
    assert!(
        state
            .reveal_uri(ids[0], "correct horse battery")
            .unwrap()
            .contains("GEZDGNBVGY3TQOJQ")
    );
    assert_eq!(state.code_to_copy(ids[0]).unwrap().len(), 6);
}

/// An Entra code names the organisation in its label: it becomes the tenant (unless the user
/// typed one), the row leads with it, and search and the tenant chips find it.
#[test]
fn an_entra_code_brings_its_tenant() {
    let dir = tempfile::tempdir().unwrap();
    let mut state = unlocked(dir.path());
    let entra = |org: &str, secret: &str| {
        format!("otpauth://totp/{org}:guest%40msp.example?secret={secret}&issuer=Microsoft")
    };
    added(
        state
            .add_text(
                &entra("Contoso%20Ltd", "JBSWY3DPEHPK3PXP"),
                &NewMeta::default(),
            )
            .unwrap(),
    );
    added(
        state
            .add_text(
                &entra("Some+Company", "7KSQL2JTUDIS5EF65KLMRQIIGY"),
                &NewMeta::default(),
            )
            .unwrap(),
    );
    let typed = NewMeta {
        tenant: "Fabrikam (typed)".into(),
        ..Default::default()
    };
    added(
        state
            .add_text(&entra("Fabrikam", "KUVJJOM753IHTNDSZVCNKL7GII"), &typed)
            .unwrap(),
    );
    let mut subtitles: Vec<String> = state.rows("", 0).into_iter().map(|r| r.subtitle).collect();
    subtitles.sort();
    assert_eq!(
        subtitles,
        [
            "Contoso Ltd · guest@msp.example",
            "Fabrikam (typed) · guest@msp.example",
            "Some Company · guest@msp.example"
        ]
    );
    let found = state.rows("some company", 0);
    assert_eq!(found.len(), 1);
    assert_eq!(found[0].tenant, "Some Company");
    // One address in three tenants is three accounts, not three authenticators of one.
    assert!(state.rows("", 0).iter().all(|r| r.twin.is_none()));
    // A colleague's phone enrolled on the Contoso account is a twin there, and only there.
    added(
        state
            .add_text(
                &entra("Contoso%20Ltd", "GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ"),
                &NewMeta::default(),
            )
            .unwrap(),
    );
    let twins: Vec<(String, Option<(usize, usize)>)> = state
        .rows("", 0)
        .into_iter()
        .map(|r| (r.tenant, r.twin))
        .collect();
    assert_eq!(
        twins
            .iter()
            .filter(|(t, twin)| t == "Contoso Ltd" && twin.is_some())
            .count(),
        2
    );
    assert!(
        twins
            .iter()
            .all(|(t, twin)| t == "Contoso Ltd" || twin.is_none())
    );
    // The details screen compares the same ones: two for Contoso, one alone for Fabrikam.
    let rows = state.rows("", 0);
    let of = |tenant: &str| {
        let row = rows.iter().find(|r| r.tenant.starts_with(tenant)).unwrap();
        state.twins_of(row.id).len()
    };
    assert_eq!((of("Contoso"), of("Fabrikam"), of("Some")), (2, 1, 1));
}

#[test]
fn unusable_codes_give_guidance_and_google_batches_are_counted() {
    let dir = tempfile::tempdir().unwrap();
    let mut state = unlocked(dir.path());
    match state.add_text("phonefactor://activate_account?code=123456789&url=https://mobileappcommunicator.auth.microsoft.com/activate/123", &NewMeta::default()).unwrap() {
        AddOutcome::Guidance(PayloadError::MicrosoftPush) => {}
        other => panic!("{other:?}"),
    }
    assert!(matches!(
        state
            .add_text("https://example.com", &NewMeta::default())
            .unwrap(),
        AddOutcome::Guidance(_)
    ));
    // A broken URI is an error with advice, not guidance.
    let error = state
        .add_text("otpauth://totp/x?secret=!!!", &NewMeta::default())
        .unwrap_err();
    assert!(!error.advice().is_empty());
    let google = "otpauth-migration://offline?data=CjYKEExyJfPiZeroMa/MdF%2BnkTISE2pvaG5kb2VAZXhhbXBsZS5jb20aB0Rpc2NvcmQgASgBMAIQARgBIAA%3D";
    match state.add_text(google, &NewMeta::default()).unwrap() {
        AddOutcome::Added { ids, batch, .. } => {
            assert_eq!(ids.len(), 1);
            let batch = batch.unwrap();
            assert_eq!((batch.seen.len(), batch.size), (1, 1));
            assert!(batch.is_complete());
        }
        other => panic!("{other:?}"),
    }
}

#[test]
fn auto_lock_grouping_and_settings_persist() {
    let dir = tempfile::tempdir().unwrap();
    let mut state = unlocked(dir.path());
    added(
        state
            .add_text(
                URI,
                &NewMeta {
                    tenant: "Contoso".into(),
                    ..Default::default()
                },
            )
            .unwrap(),
    );
    added(
        state
            .add_text(
                "otpauth://totp/GitHub:me?secret=JBSWY3DPEHPK3PXP",
                &NewMeta::default(),
            )
            .unwrap(),
    );
    state.settings.group_by = GroupBy::Tenant;
    let groups: Vec<String> = state.rows("", 0).into_iter().map(|r| r.group).collect();
    assert_eq!(groups, ["Contoso", "No tenant"]);
    state.settings.auto_lock_secs = 60;
    state.save_settings().unwrap();
    assert_eq!(Settings::load(state.vault_path()).auto_lock_secs, 60);
    let now = state.last_activity;
    assert!(!state.lock_if_idle(now + 59));
    assert!(state.lock_if_idle(now + 60));
    assert_eq!(state.phase(), Phase::Locked);
}

#[test]
fn backup_preview_and_merge() {
    let dir = tempfile::tempdir().unwrap();
    let mut state = unlocked(dir.path());
    added(
        state
            .add_text(
                URI,
                &NewMeta {
                    note: "n".into(),
                    ..Default::default()
                },
            )
            .unwrap(),
    );
    let file = dir.path().join("b.tessera");
    // A backup needs the vault password again: a wrong one writes nothing.
    let backup = |vault_pw: &str, backup_pw: &str| {
        state
            .backup_job(
                &file,
                vault_pw.to_owned().into(),
                backup_pw.to_owned().into(),
            )
            .and_then(|job| job.run_with(KdfParams::MINIMUM, &Progress::default()))
    };
    let refused = backup("not the password", "backup pw").unwrap_err();
    assert!(
        refused.message().contains("not the vault password"),
        "{refused}"
    );
    assert!(!file.exists());
    let saved = backup(PASSWORD, "backup pw").unwrap();
    assert_eq!(saved.result.accounts, 1);
    assert_eq!(saved.share, None, "no share sheet on desktop");
    assert!(
        backup(PASSWORD, "").is_err(),
        "an empty backup password is refused"
    );
    // Into the same vault: a duplicate, nothing added. The file is read as the window reads a
    // typed path: by an import job.
    let read = |state: &AppState, password: &str| {
        let job =
            tessera::app::ImportJob::new(Source::Path(file.clone()), password.to_owned().into());
        job.run(&Progress::default())
            .and_then(|imported| state.preview(imported))
    };
    let preview = read(&state, "backup pw").unwrap();
    assert_eq!(
        (preview.plan.new_count(), preview.plan.duplicate_count()),
        (0, 1)
    );
    assert_eq!(state.apply(&preview).unwrap(), 0);
    // Into a new vault: added with its note.
    let other = tempfile::tempdir().unwrap();
    let mut fresh = unlocked(other.path());
    let preview = read(&fresh, "backup pw").unwrap();
    assert_eq!(preview.imported.accounts().len(), 1);
    assert_eq!(fresh.apply(&preview).unwrap(), 1);
    assert_eq!(fresh.rows("", 0)[0].note_line, "n");
    assert!(
        read(&fresh, "nope")
            .unwrap_err()
            .message()
            .contains("Wrong password")
    );
}

/// The camera preview passes every frame on to the scanner and keeps a small JPEG of the newest,
/// at most ten a second, and the newest frame at preview size for every frame.
#[test]
fn the_preview_wrapper_forwards_frames_and_keeps_a_small_jpeg() {
    use tessera::platform::preview::{
        NewestSlot, PREVIEW_WIDTH, PreviewSlot, Previewing, preview_jpeg,
    };
    use tessera_core::scan::{CameraError, FrameSource, GreyFrame};

    struct Frames(Vec<GreyFrame>);
    impl FrameSource for Frames {
        fn next_frame(&mut self) -> Result<Option<GreyFrame>, CameraError> {
            Ok(self.0.pop())
        }
    }
    let frame =
        |shade: u8| GreyFrame::from_luma(&vec![shade; 1280 * 720], 1280, 720, 1280).unwrap();
    let slot = PreviewSlot::default();
    let newest = NewestSlot::default();
    let mut source = Previewing::new(Frames(vec![frame(200), frame(10)]), slot.clone())
        .keeping_newest(newest.clone());
    let first = source.next_frame().unwrap().unwrap();
    assert_eq!(
        (first.width, first.height, first.data[0]),
        (1280, 720, 10),
        "frames pass unchanged"
    );
    let jpeg = slot
        .lock()
        .unwrap()
        .take()
        .expect("a preview of the first frame");
    let image = image::load_from_memory(&jpeg).unwrap().to_luma8();
    assert_eq!(
        (image.width() as usize, image.height()),
        (PREVIEW_WIDTH, 180)
    );
    assert!(image.get_pixel(10, 10)[0] < 30);
    // The next frame arrives within 100 ms: forwarded, but no new preview yet.
    assert_eq!(source.next_frame().unwrap().unwrap().data[0], 200);
    assert!(slot.lock().unwrap().is_none());
    // The newest frame is kept at preview size for every frame, to freeze on a found code.
    let kept = newest.lock().unwrap().clone().expect("the newest frame");
    assert_eq!(
        (kept.width, kept.height, kept.data[0]),
        (PREVIEW_WIDTH, 180, 200)
    );
    assert!(source.next_frame().unwrap().is_none());
    let empty = GreyFrame {
        data: Vec::new(),
        width: 0,
        height: 0,
    };
    assert!(preview_jpeg(&empty).is_none());
    // Without JPEGs (the web view shows its own video): frames pass, the newest is kept.
    let slot = PreviewSlot::default();
    let newest = NewestSlot::default();
    let mut source = Previewing::new(Frames(vec![frame(90)]), slot.clone())
        .keeping_newest(newest.clone())
        .without_jpegs();
    assert_eq!(source.next_frame().unwrap().unwrap().data[0], 90);
    assert!(slot.lock().unwrap().is_none());
    assert_eq!(newest.lock().unwrap().as_ref().unwrap().data[0], 90);
}

/// The list's filter chips (each tenant and tag once) and the row menu's "Copy next code".
#[test]
fn filter_chips_and_the_next_code() {
    use tessera::app::Filter;
    let dir = tempfile::tempdir().unwrap();
    let mut state = unlocked(dir.path());
    let meta = |tenant: &str, tags: &[&str]| NewMeta {
        tenant: tenant.into(),
        note: String::new(),
        tags: tags.iter().map(|t| t.to_string()).collect(),
    };
    let secret = |i: u8| {
        let secret = tessera_core::otp::Secret::from_bytes(vec![i; 10]).unwrap();
        secret.to_base32().as_str().to_owned()
    };
    for (i, (issuer, tenant, tags)) in [
        ("Microsoft", "Contoso", vec!["m365"]),
        ("GitHub", "contoso", vec!["dev"]),
        ("AWS", "Fabrikam", vec!["dev", "M365"]),
        ("Steam", "", vec![]),
    ]
    .into_iter()
    .enumerate()
    {
        let uri = format!(
            "otpauth://totp/{issuer}:tech?secret={}",
            secret(i as u8 + 1)
        );
        added(state.add_text(&uri, &meta(tenant, &tags)).unwrap());
    }
    let hotp = format!("otpauth://hotp/Bank:tech?secret={}&counter=5", secret(9));
    let bank = added(state.add_text(&hotp, &NewMeta::default()).unwrap())[0];
    // Tenants and tags each once, whatever their case, in name order; the most used spelling,
    // or the first in byte order on a tie.
    assert_eq!(
        state.filters(),
        [
            Filter::Tenant("Contoso".into()),
            Filter::Tenant("Fabrikam".into()),
            Filter::Tag("dev".into()),
            Filter::Tag("M365".into()),
        ]
    );
    let issuers = |filter: Filter, query: &str| -> Vec<String> {
        let (rows, matching) = state.rows_in(query, &filter, 59, 100);
        assert_eq!(rows.len(), matching);
        rows.into_iter().map(|r| r.title).collect()
    };
    assert_eq!(
        issuers(Filter::Tenant("CONTOSO".into()), ""),
        ["GitHub", "Microsoft"]
    );
    assert_eq!(
        issuers(Filter::Tag("m365".into()), ""),
        ["AWS", "Microsoft"]
    );
    assert_eq!(issuers(Filter::Tag("dev".into()), "aws"), ["AWS"]);
    assert_eq!(issuers(Filter::All, "").len(), 5);
    // The next code is the current code of the next 30-second period.
    let aws = state.rows("aws", 0)[0].id;
    let now = state.now();
    let next = state.next_code_to_copy(aws).unwrap();
    let account = state.account(aws).unwrap();
    assert_eq!(
        next.as_str(),
        account.otp.codes_at(now - now % 30 + 30).current.as_str()
    );
    assert!(
        state.next_code_to_copy(bank).is_none(),
        "HOTP has no next code to copy"
    );
    // The chips follow changes: a tenant renamed is gone from them, the new one is there.
    let edit = Edit {
        tenant: Some("Northwind".into()),
        ..Default::default()
    };
    state.edit(aws, edit).unwrap();
    let filters = state.filters();
    assert!(filters.contains(&Filter::Tenant("Northwind".into())));
    assert!(!filters.contains(&Filter::Tenant("Fabrikam".into())));
    // Twins keep their numbers when a search shows only one of them.
    let twin = format!("otpauth://totp/Microsoft:tech?secret={}", secret(7));
    let meta = NewMeta {
        note: "Bob's phone".into(),
        ..NewMeta::default()
    };
    added(state.add_text(&twin, &meta).unwrap());
    let (rows, _) = state.rows_in("bob's", &Filter::All, 59, 10);
    assert_eq!(rows.len(), 1);
    assert_eq!(rows[0].twin, Some((2, 2)));
}

/// The offline clock check: a code from a device two minutes ahead or five minutes behind gives
/// that correction; a wrong code and an HOTP account are refused with advice.
#[test]
fn the_clock_check_finds_the_correction() {
    let dir = tempfile::tempdir().unwrap();
    let mut state = unlocked(dir.path());
    let id = added(state.add_text(URI, &NewMeta::default()).unwrap())[0];
    // Keep clear of a period's end, so the code typed and the check see the same period.
    while tessera_core::otp::unix_now() % 30 > 25 {
        std::thread::sleep(std::time::Duration::from_millis(200));
    }
    let now = tessera_core::otp::unix_now();
    let otp = state.account(id).unwrap().otp.clone();
    let behind = state
        .check_clock(id, otp.code_at(now + 120).as_str())
        .unwrap();
    assert_eq!(behind.correction, 120);
    assert_eq!(
        behind.message,
        "Your clock seems 2 min behind: codes may be rejected."
    );
    let ahead = state
        .check_clock(id, otp.code_at(now - 300).as_str())
        .unwrap();
    assert_eq!(ahead.correction, -300);
    assert!(ahead.message.contains("5 min ahead"), "{}", ahead.message);
    let agree = state
        .check_clock(id, &otp.codes_at(now).current.grouped())
        .unwrap();
    assert_eq!(agree.correction, 0);
    assert!(agree.message.contains("agrees"));
    // A code no period within 15 minutes has.
    let near: Vec<String> = (-31..=31)
        .map(|k: i64| {
            otp.code_at(now.saturating_add_signed(k * 30))
                .as_str()
                .to_owned()
        })
        .collect();
    let wrong = (0..100u32)
        .map(|n| format!("{n:06}"))
        .find(|c| !near.contains(c))
        .unwrap();
    let error = state.check_clock(id, &wrong).unwrap_err();
    assert!(error.message().contains("does not match"), "{error}");
    assert!(error.advice().contains("same account"));
    let hotp = "otpauth://hotp/Bank:tech?secret=GEZDGNBVGY3TQOJQ&counter=1";
    let bank = added(state.add_text(hotp, &NewMeta::default()).unwrap())[0];
    let error = state.check_clock(bank, "123456").unwrap_err();
    assert!(error.message().contains("do not depend on the clock"));
}

/// Copying a code records its use in the vault (details show "last used"), without counting as
/// an edit.
#[test]
fn using_a_code_is_recorded() {
    let dir = tempfile::tempdir().unwrap();
    let mut state = unlocked(dir.path());
    let id = added(state.add_text(URI, &NewMeta::default()).unwrap())[0];
    let before = state.account(id).unwrap().clone();
    assert_eq!(before.last_used, None);
    state.mark_used(id).unwrap();
    let after = state.account(id).unwrap();
    assert!(after.last_used.is_some_and(|t| t >= before.created));
    assert_eq!(after.updated, before.updated);
    // Saved: a fresh unlock sees it.
    let path = dir.path().join("app.vault");
    let vault = tessera_core::vault::Vault::unlock(&path, PASSWORD.as_bytes())
        .unwrap()
        .0;
    assert_eq!(vault.get(id).unwrap().last_used, after.last_used);
}

#[test]
fn every_export_needs_the_vault_password_and_reports_what_it_wrote() {
    let dir = tempfile::tempdir().unwrap();
    let mut state = unlocked(dir.path());
    added(state.add_text(URI, &NewMeta::default()).unwrap());
    for kind in ExportFormat::ALL {
        let format = kind.id();
        let out = dir.path().join(format);
        std::fs::create_dir(&out).unwrap();
        let target = out.join("export.out");
        let export = |vault_pw: &str| {
            state
                .export_job(
                    kind,
                    "",
                    &target,
                    vault_pw.to_owned().into(),
                    "file pw".to_owned().into(),
                )
                .and_then(|job| job.run(&Progress::default()))
        };
        let refused = export("wrong").unwrap_err();
        assert!(
            refused.message().contains("not the vault password"),
            "{format}: {refused}"
        );
        let written = std::fs::read_dir(&out).unwrap().count();
        assert_eq!(written, 0, "{format}: nothing written without the password");
        let told = export(PASSWORD).unwrap().result;
        let file = if kind == ExportFormat::GoogleQr {
            target.with_extension("png")
        } else {
            target.clone()
        };
        assert!(file.exists(), "{format}: {told}");
        assert!(told.contains(&file.display().to_string()), "{told}");
    }
    assert_eq!(ExportFormat::from_id("csv"), None);
}

#[test]
fn the_keystore_opens_by_itself_only_at_start_and_never_after_a_lock() {
    let dir = tempfile::tempdir().unwrap();
    let mut state = unlocked(dir.path());
    assert!(state.take_keystore_on_start());
    assert!(!state.take_keystore_on_start(), "once");
    let path = state.vault_path().to_owned();
    let mut fresh = AppState::with_keystore(path.clone(), None);
    fresh.lock();
    assert!(!fresh.take_keystore_on_start(), "not after a lock");
    state.lock();
    assert_eq!(state.phase(), Phase::Locked);
}

#[test]
fn weaker_lock_settings_are_told_apart_from_stronger_ones() {
    let base = Settings::default();
    let with = |f: &dyn Fn(&mut Settings)| {
        let mut s = base.clone();
        f(&mut s);
        s
    };
    assert!(AppState::weakens_lock(
        &base,
        &with(&|s| s.auto_lock_secs = 0)
    ));
    assert!(AppState::weakens_lock(
        &base,
        &with(&|s| s.auto_lock_secs = base.auto_lock_secs * 2)
    ));
    assert!(!AppState::weakens_lock(
        &base,
        &with(&|s| s.auto_lock_secs = 60)
    ));
    let never = with(&|s| s.auto_lock_secs = 0);
    assert!(
        !AppState::weakens_lock(&never, &base),
        "never -> 5 min is stronger"
    );
    let hidden_on = with(&|s| s.lock_when_hidden = true);
    let hidden_off = with(&|s| s.lock_when_hidden = false);
    assert!(AppState::weakens_lock(&hidden_on, &hidden_off));
    assert!(!AppState::weakens_lock(&hidden_off, &hidden_on));
    assert!(!AppState::weakens_lock(
        &base,
        &with(&|s| s.tap_to_reveal = !s.tap_to_reveal)
    ));
    let grace = |secs| {
        with(&|s| {
            s.lock_when_hidden = true;
            s.hidden_grace_secs = secs;
        })
    };
    assert!(AppState::weakens_lock(&grace(30), &grace(300)));
    assert!(!AppState::weakens_lock(&grace(300), &grace(0)));
    let shots = with(&|s| s.allow_screenshots = true);
    assert!(AppState::weakens_lock(&base, &shots));
    assert!(!AppState::weakens_lock(&shots, &base));
}

#[test]
fn leaving_the_app_locks_it_after_the_grace_period_but_not_for_its_own_dialogs() {
    let dir = tempfile::tempdir().unwrap();
    let mut state = unlocked(dir.path());
    state.settings.lock_when_hidden = true;
    state.settings.hidden_grace_secs = 30;
    // Away 29 s and back: still open.
    assert!(!state.went_to_background(1_000));
    assert!(!state.away_too_long(1_029));
    assert!(!state.came_to_foreground(1_029));
    assert_eq!(state.phase(), Phase::Unlocked);
    // A second report of the same absence keeps its start.
    assert!(!state.went_to_background(2_000));
    assert!(!state.went_to_background(2_020));
    assert!(state.away_too_long(2_030), "counted from the first report");
    assert!(state.came_to_foreground(2_031));
    assert_eq!(state.phase(), Phase::Locked);

    // The document picker of a backup sends the app to the background too: not the user leaving.
    let dir2 = tempfile::tempdir().unwrap();
    let mut state = unlocked(dir2.path());
    state.settings.lock_when_hidden = true;
    state.settings.hidden_grace_secs = 0;
    {
        let _dialog = tessera::platform::lifecycle::SystemDialog::open();
        assert!(!state.went_to_background(5_000));
        assert!(!state.came_to_foreground(5_600));
    }
    assert_eq!(state.phase(), Phase::Unlocked);
    // No grace: leaving locks at once.
    assert!(state.went_to_background(6_000));
    assert_eq!(state.phase(), Phase::Locked);

    // The setting off: never.
    let dir3 = tempfile::tempdir().unwrap();
    let mut state = unlocked(dir3.path());
    state.settings.lock_when_hidden = false;
    state.went_to_background(7_000);
    assert!(!state.came_to_foreground(90_000));
    assert_eq!(state.phase(), Phase::Unlocked);
}

#[test]
fn reauth_takes_the_vault_password_only() {
    let dir = tempfile::tempdir().unwrap();
    let state = unlocked(dir.path());
    let check = state.reauth().unwrap();
    assert!(AppState::verify(&check, PASSWORD).is_ok());
    assert!(AppState::verify(&check, "wrong").is_err());
    assert!(AppState::verify(&check, "").is_err());
    assert!(!format!("{check:?}").contains(PASSWORD));
}

#[test]
fn the_app_takes_in_what_the_cli_saved_and_keeps_both_changes() {
    let dir = tempfile::tempdir().unwrap();
    let mut app = unlocked(dir.path());
    let mine = added(app.add_text(URI, &NewMeta::default()).unwrap())[0];
    // Another program (as tessera-cli does) opens the same file and adds an account.
    let path = app.vault_path().to_owned();
    let (mut other, _) = tessera_core::vault::Vault::unlock(&path, PASSWORD.as_bytes()).unwrap();
    let enrolment = tessera_core::otp::parse_otpauth(
        "otpauth://totp/GitHub:anna?secret=JBSWY3DPEHPK3PXP&issuer=GitHub",
    )
    .unwrap();
    let theirs = other.add(enrolment, 5).unwrap();
    drop(other);
    // The app, still holding its old copy, edits its own account: both survive.
    app.edit(
        mine,
        Edit {
            note: Some("edited in the app".into()),
            ..Default::default()
        },
    )
    .unwrap();
    assert!(app.take_notice().unwrap().contains("Another program"));
    let (reopened, _) = tessera_core::vault::Vault::unlock(&path, PASSWORD.as_bytes()).unwrap();
    assert!(reopened.get(theirs).is_some(), "the CLI's account is kept");
    assert_eq!(reopened.get(mine).unwrap().note, "edited in the app");
    assert_eq!(app.rows("", 0).len(), 2);
}

#[test]
fn the_app_locks_when_another_program_changed_the_password() {
    let dir = tempfile::tempdir().unwrap();
    let mut app = unlocked(dir.path());
    let mine = added(app.add_text(URI, &NewMeta::default()).unwrap())[0];
    let path = app.vault_path().to_owned();
    let (mut other, _) = tessera_core::vault::Vault::unlock(&path, PASSWORD.as_bytes()).unwrap();
    other
        .change_password(b"a new password", KdfParams::MINIMUM, None)
        .unwrap();
    let before = std::fs::read(&path).unwrap();
    let error = app
        .edit(
            mine,
            Edit {
                note: Some("stale".into()),
                ..Default::default()
            },
        )
        .unwrap_err();
    assert!(error.message().contains("password or keys"), "{error}");
    assert_eq!(app.phase(), Phase::Locked);
    assert_eq!(
        std::fs::read(&path).unwrap(),
        before,
        "nothing written over"
    );
    assert!(tessera_core::vault::Vault::unlock(&path, PASSWORD.as_bytes()).is_err());
}

#[cfg(unix)]
#[test]
fn settings_are_written_whole_and_readable_by_the_user_only() {
    use std::os::unix::fs::PermissionsExt;
    let dir = tempfile::tempdir().unwrap();
    let mut state = unlocked(dir.path());
    state.settings.auto_lock_secs = 60;
    state.save_settings().unwrap();
    let file = Settings::path(state.vault_path());
    let mode = std::fs::metadata(&file).unwrap().permissions().mode() & 0o777;
    assert_eq!(mode, 0o600);
    assert_eq!(Settings::load(state.vault_path()).auto_lock_secs, 60);
    let leftovers: Vec<_> = std::fs::read_dir(dir.path())
        .unwrap()
        .flatten()
        .filter(|e| e.file_name().to_string_lossy().contains(".tmp"))
        .collect();
    assert!(leftovers.is_empty());
}

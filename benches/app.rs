//! What the account list costs per frame at 10,000 accounts (each with a tenant out of 300, a
//! tag out of 7 and a 200-character note): the filter chips, the first 60 rows with their
//! codes, one tenant's rows, and a search. The list redraws every second for the countdown, so
//! these together must stay far under a frame (16 ms); and the first screen with brand icons
//! against letters only. Run with `cargo bench --bench app`.

use criterion::{Criterion, criterion_group, criterion_main};
use tessera::app::{AppState, Filter};
use tessera::app::{NewMeta, Progress};
use tessera_core::otp::{Algorithm, Enrolment, Otp, OtpKind, Secret};
use tessera_core::vault::KdfParams;

fn state_with(dir: &std::path::Path, n: usize) -> AppState {
    let path = dir.join("app.vault");
    let mut state = AppState::with_keystore(path, None);
    let vault = state
        .create_job("bench password".to_owned().into(), "bench password", false)
        .unwrap()
        .run_with(KdfParams::MINIMUM, &Progress::default())
        .unwrap();
    state.accept(vault);
    let note = "Enrolled on the shared admin phone; re-enrol through the tenant portal. ".repeat(3)
        [..200]
        .to_owned();
    // Added per tenant, as an import would: one save per batch.
    for tenant in 0..300 {
        let enrolments: Vec<Enrolment> = (0..n)
            .filter(|i| i % 300 == tenant)
            .map(|i| {
                let bytes = (0..20).map(|b| (b as usize * 31 + i * 7) as u8).collect();
                let secret = Secret::from_bytes(bytes).unwrap();
                Enrolment {
                    issuer: format!("Service {}", i % 50),
                    name: format!("admin{i}@tenant{tenant}.onmicrosoft.com"),
                    tenant: String::new(),
                    otp: Otp::new(OtpKind::Totp { period: 30 }, Algorithm::Sha1, 6, secret)
                        .unwrap(),
                }
            })
            .collect();
        let meta = NewMeta {
            tenant: format!("Customer {tenant}"),
            note: note.clone(),
            tags: vec![format!("tag{}", tenant % 7)],
        };
        state.add_enrolments(enrolments, &meta).unwrap();
    }
    state
}

fn bench(c: &mut Criterion) {
    // `cargo test --all-targets` runs each benchmark once, unoptimised: a small vault there
    // (filling 10,000 accounts in a debug build takes minutes), the full one under `cargo bench`.
    let n = if std::env::args().any(|a| a == "--bench") {
        10_000
    } else {
        300
    };
    let dir = tempfile::tempdir().unwrap();
    let state = state_with(dir.path(), n);
    let now = 1_800_000_000;
    assert_eq!(state.rows_in("", &Filter::All, now, 60).1, n);
    let mut group = c.benchmark_group(format!("list at {n} accounts"));
    group.bench_function("filter chips", |b| b.iter(|| state.filters()));
    group.bench_function("first 60 rows", |b| {
        b.iter(|| state.rows_in("", &Filter::All, now, 60))
    });
    let tenant = Filter::Tenant("Customer 42".into());
    group.bench_function("one tenant's rows", |b| {
        b.iter(|| state.rows_in("", &tenant, now, 60))
    });
    group.bench_function("search 'admin4'", |b| {
        b.iter(|| state.rows_in("admin4", &Filter::All, now, 60))
    });
    group.finish();
}

/// The first screen with brand icons against the same screen with letter circles only (what
/// the list drew before icons): 60 rows of real issuers, built and rendered to HTML as the
/// window's first frame is; and indexing the bundled icons, which the first use does once.
fn first_screen(c: &mut Criterion) {
    use tessera_core::otp::AccountIcon;
    let issuers = [
        "Microsoft",
        "GitHub",
        "Google",
        "Cloudflare",
        "Dropbox",
        "GitLab",
        "Okta",
        "Proton Mail",
        "Bitwarden",
        "Intranet VPN",
        "Docker",
        "npm",
    ];
    let dir = tempfile::tempdir().unwrap();
    let mut state = state_with(dir.path(), 0);
    let enrolments: Vec<Enrolment> = (0..60)
        .map(|i| {
            let bytes = (0..20).map(|b| (b as usize * 13 + i * 5) as u8).collect();
            Enrolment {
                issuer: issuers[i % issuers.len()].into(),
                name: format!("tech{i}@msp.example"),
                tenant: String::new(),
                otp: Otp::new(
                    OtpKind::Totp { period: 30 },
                    Algorithm::Sha1,
                    6,
                    Secret::from_bytes(bytes).unwrap(),
                )
                .unwrap(),
            }
        })
        .collect();
    state
        .add_enrolments(enrolments, &NewMeta::default())
        .unwrap();
    let now = 1_800_000_000;
    let mut group = c.benchmark_group("first screen, 60 rows");
    group.bench_function("index the bundled icons (first use)", |b| {
        b.iter(tessera::app::icons::Icons::build)
    });
    tessera::app::icons::icons();
    let html_with = |state: AppState| render::list(state);
    group.bench_function("rows with brand icons", |b| {
        b.iter(|| state.rows_in("", &Filter::All, now, 60))
    });
    let icons = state.rows_in("", &Filter::All, now, 60).0;
    assert!(icons.iter().filter(|r| r.icon.name() != "letter").count() >= 50);
    let path = dir.path().join("app.vault");
    let mut letters = state;
    let ids: Vec<_> = icons.iter().map(|r| r.id).collect();
    for id in &ids {
        letters.set_icon(*id, Some(AccountIcon::Letter)).unwrap();
    }
    group.bench_function("rows with letters only (before icons)", |b| {
        b.iter(|| letters.rows_in("", &Filter::All, now, 60))
    });
    group.bench_function("render with letters only (before icons)", |b| {
        b.iter_batched(
            || reopen(&path),
            html_with,
            criterion::BatchSize::LargeInput,
        )
    });
    for id in &ids {
        letters.set_icon(*id, None).unwrap();
    }
    group.bench_function("render with brand icons", |b| {
        b.iter_batched(
            || reopen(&path),
            html_with,
            criterion::BatchSize::LargeInput,
        )
    });
    group.finish();
}

/// The vault at `path`, unlocked again (the rendering takes the state by value).
fn reopen(path: &std::path::Path) -> AppState {
    let mut state = AppState::with_keystore(path.to_owned(), None);
    let vault = state
        .unlock_job("bench password".to_owned().into())
        .run(&Progress::default())
        .unwrap();
    state.accept(vault);
    state
}

/// The list component rendered once to HTML with a real state (as tests/components.rs does).
mod render {
    use std::cell::RefCell;

    use dioxus::prelude::*;
    use tessera::app::AppState;
    use tessera::ui::{Ctx, Ui};

    thread_local! {
        static STATE: RefCell<Option<AppState>> = const { RefCell::new(None) };
    }

    #[component]
    fn Harness() -> Element {
        let state = use_signal(|| STATE.with(|s| s.borrow_mut().take()).expect("a state"));
        let ui = use_signal(|| Ui::new(1_800_000_000));
        use_context_provider(|| Ctx { state, ui });
        rsx! { tessera::ui::list::AccountList {} }
    }

    pub fn list(state: AppState) -> String {
        STATE.with(|s| *s.borrow_mut() = Some(state));
        let mut dom = VirtualDom::new(Harness);
        dom.rebuild_in_place();
        dioxus_ssr::render(&dom)
    }
}

criterion_group!(benches, bench, first_screen);
criterion_main!(benches);

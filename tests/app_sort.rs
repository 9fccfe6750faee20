//! The list's sort orders on a real vault: each order, pinned first in every one, use counts
//! kept across a lock, and the user's own order moved with Move up / Move down.

#[path = "support/app.rs"]
mod support;
use support::unlocked;

use tessera::app::sort::SortOrder;
use tessera::app::{AddOutcome, AppState, NewMeta};
use tessera_core::otp::{AccountId, unix_now};

fn add(state: &mut AppState, issuer: &str, name: &str, tenant: &str, secret: &str) -> AccountId {
    let uri = format!("otpauth://totp/{issuer}:{name}?secret={secret}&issuer={issuer}");
    let meta = NewMeta {
        tenant: tenant.into(),
        ..NewMeta::default()
    };
    match state.add_text(&uri, &meta).unwrap() {
        AddOutcome::Added { ids, .. } => ids[0],
        other => panic!("not added: {other:?}"),
    }
}

fn titles(state: &AppState) -> Vec<String> {
    state
        .rows("", unix_now())
        .into_iter()
        .map(|r| r.title)
        .collect()
}

fn sorted_by(state: &mut AppState, order: SortOrder) -> Vec<String> {
    state.update_settings(|s| s.sort = order).unwrap();
    titles(state)
}

#[test]
fn every_order_sorts_and_pinned_accounts_stay_first() {
    let dir = tempfile::tempdir().unwrap();
    let mut state = unlocked(dir.path());
    // Added in this order, a second apart (times are whole seconds), so "newest first" is the
    // reverse.
    let second = || std::thread::sleep(std::time::Duration::from_millis(1100));
    let github = add(&mut state, "GitHub", "zoe", "", "JBSWY3DPEHPK3PXP");
    second();
    let aws = add(&mut state, "AWS", "mike", "Fabrikam", "GEZDGNBVGY3TQOJQ");
    second();
    let okta = add(&mut state, "Okta", "anna", "Contoso", "MFRGGZDFMZTWQ2LK");
    assert_eq!(
        sorted_by(&mut state, SortOrder::Issuer),
        ["AWS", "GitHub", "Okta"]
    );
    assert_eq!(
        sorted_by(&mut state, SortOrder::Account),
        ["Okta", "AWS", "GitHub"]
    );
    assert_eq!(
        sorted_by(&mut state, SortOrder::Tenant),
        ["Okta", "AWS", "GitHub"]
    );
    assert_eq!(
        sorted_by(&mut state, SortOrder::DateAdded),
        ["Okta", "AWS", "GitHub"]
    );
    // GitHub copied three times, AWS once and last.
    for _ in 0..3 {
        state.mark_used(github).unwrap();
    }
    second();
    state.mark_used(aws).unwrap();
    assert_eq!(
        sorted_by(&mut state, SortOrder::MostUsed),
        ["GitHub", "AWS", "Okta"]
    );
    assert_eq!(
        sorted_by(&mut state, SortOrder::RecentlyUsed),
        ["AWS", "GitHub", "Okta"]
    );
    // Pinned first in every order.
    state.pin(okta, true).unwrap();
    for order in SortOrder::ALL {
        assert_eq!(sorted_by(&mut state, order)[0], "Okta", "{order:?}");
    }
    // Use counts are kept in the vault, across a lock.
    support::relock(&mut state);
    assert_eq!(state.account(github).unwrap().use_count, 3);
    assert_eq!(
        sorted_by(&mut state, SortOrder::MostUsed),
        ["Okta", "GitHub", "AWS"]
    );
}

#[test]
fn the_users_own_order_moves_up_and_down_and_stays_below_the_pinned() {
    let dir = tempfile::tempdir().unwrap();
    let mut state = unlocked(dir.path());
    let a = add(&mut state, "Alpha", "a", "", "JBSWY3DPEHPK3PXP");
    let b = add(&mut state, "Bravo", "b", "", "GEZDGNBVGY3TQOJQ");
    let c = add(&mut state, "Charlie", "c", "", "MFRGGZDFMZTWQ2LK");
    state.move_account(c, true).unwrap();
    assert_eq!(state.settings.sort, SortOrder::Custom);
    assert_eq!(titles(&state), ["Alpha", "Charlie", "Bravo"]);
    state.move_account(c, true).unwrap();
    state.move_account(c, true).unwrap(); // already first: stays
    assert_eq!(titles(&state), ["Charlie", "Alpha", "Bravo"]);
    state.move_account(a, false).unwrap();
    assert_eq!(titles(&state), ["Charlie", "Bravo", "Alpha"]);
    // A pinned account stays on top; the others cannot move above it.
    state.pin(b, true).unwrap();
    assert_eq!(titles(&state), ["Bravo", "Charlie", "Alpha"]);
    state.move_account(c, true).unwrap();
    assert_eq!(titles(&state), ["Bravo", "Charlie", "Alpha"]);
    // A new account goes to the end of the own order; the order survives a restart.
    add(&mut state, "Delta", "d", "", "KRSXG5CTMVRXEZLU");
    assert_eq!(titles(&state), ["Bravo", "Charlie", "Alpha", "Delta"]);
    let saved = tessera::app::settings::Settings::load(&dir.path().join("app.vault"));
    assert_eq!(saved.sort, SortOrder::Custom);
    assert_eq!(saved.custom_order.len(), 3);
}

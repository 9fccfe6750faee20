//! Any bytes as a file of the sync folder, and any name: a device file opens only under its
//! key; everything else is one of the named refusals (not a sync file, newer, another key,
//! damaged), never a panic, a hang or a large allocation; merging what opened never panics,
//! nor does turning each merged account back into a vault account (another device's records
//! may hold any values).
#![no_main]

use libfuzzer_sys::fuzz_target;
use tessera_core::transfer::sync::{
    DeviceFile, State, SyncKey, Values, account_from, classify, merge, open, read_header,
};

fuzz_target!(|data: &[u8]| {
    let _ = read_header(data);
    let _ = open(data, &SyncKey::random());
    // The sealed payload, as if it had authenticated: any records merge without a panic.
    if let Ok(file) = serde_json::from_slice::<DeviceFile>(data) {
        let merged = merge(file.records.iter().map(|r| (file.device, r)));
        assert!(merged.len() <= file.records.len());
        for (id, account) in &merged {
            let shown = Values(
                account
                    .fields
                    .iter()
                    .filter_map(|(name, values)| Some((name.clone(), values.first()?.v.clone())))
                    .collect(),
            );
            let state = if account.state == State::Purged { State::Live } else { account.state };
            let _ = account_from(*id, &shown, state, &account.book, 0, None, 0);
        }
    }
    let _ = classify(&String::from_utf8_lossy(data));
});

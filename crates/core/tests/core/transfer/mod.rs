//! Moving accounts: golden imports of every fixture, lossless round trips, backups and merges.

mod archives;
mod destination;
mod formats;
mod golden;
mod handover;
mod html;
mod icons;
mod keepass;
mod kinds;
mod roundtrip;
mod sqlcipher;
mod sync;
mod sync_files;
mod sync_vault;
mod sync_vault_prop;

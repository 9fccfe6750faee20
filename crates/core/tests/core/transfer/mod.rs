//! Moving accounts: golden imports of every fixture, lossless round trips, backups and merges.

mod golden;
mod roundtrip;

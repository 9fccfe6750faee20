//! Integration tests of tessera-core, built as one binary.

#[macro_use]
mod macros;
mod shared;

mod codes;
mod concurrent;
mod migration;
mod oathtool;
mod os_keystore;
mod payload;
mod phone_slots;
mod scan;
mod transfer;
mod uri;
mod vault;

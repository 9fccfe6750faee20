//! Sync through a folder that a sync engine keeps in step between devices (Syncthing, Nextcloud,
//! Dropbox): each device writes only its own file, and merging every file converges on every
//! device, never losing an account (docs/sync-format.md).
//!
//! - [`record`](Record): dots, version vectors, the stamped field values of one account.
//! - [`merge`]: the merge of any set of records, the same on every device.
//! - [`Replica`]: one device's records, and a change becoming a record.
//! - [`seal`] and [`open`]: a device file, sealed under the group's [`SyncKey`].
//! - [`read_folder`]: every device file and conflict copy of the folder, problems named.
//! - [`join`], [`sync`], [`status`], [`remove_device`], [`leave`]: a vault's sync, applied to
//!   the vault (this device's state sealed beside it).

mod devices;
mod error;
mod fields;
mod file;
mod folder;
mod local;
mod merge;
mod record;
mod replica;
mod run;

pub use devices::{
    DeviceSeen, JoinKey, MIN_PASSWORD_CHARS, Removed, SyncStatus, folder_of, join, leave, new_key,
    prepare_join, remove_device, status, sync,
};
pub use error::SyncError;
pub use fields::{Values, account_from, fields_of};
pub use file::{
    DeviceFile, DeviceInfo, Header, JoinSlot, MAGIC, MAX_DEVICES, MAX_FILE_BYTES, MAX_RECORDS,
    SyncFileError, SyncKey, VERSION, open, read_header, seal,
};
pub use folder::{
    BUCKETS, EXTENSION, FolderRead, MAX_FILES, Name, SyncFolder, bucket_of, classify, file_name,
    read_folder,
};
pub use merge::{MergedAccount, merge};
pub use record::{Book, DeviceId, Dot, FIELDS, Record, STATE, Stamped, State, VersionVector};
pub use replica::Replica;
pub use run::SyncReport;

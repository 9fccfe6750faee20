//! Which QR codes of a Google Authenticator export were read: one tracker for the scanner, the
//! importer and the command line, so each says "2 of 3 QR codes" the same way and skips a QR code
//! read twice. Exports are told apart by their batch id, so QR codes of two exports may come in
//! any order, interleaved.

use std::collections::BTreeSet;

use super::migration::BatchInfo;

/// The QR codes read so far, per export.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct BatchProgress {
    /// Per export (in the order first seen): its id, its size, the indexes read.
    exports: Vec<(i32, u32, BTreeSet<u32>)>,
}

/// Where one export stands.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BatchStatus {
    /// The export's batch id.
    pub id: i32,
    /// How many QR codes it has.
    pub size: u32,
    /// The 0-based indexes read, in order.
    pub seen: Vec<u32>,
}

impl BatchStatus {
    /// The 0-based indexes not read yet.
    pub fn missing(&self) -> Vec<u32> {
        (0..self.size).filter(|i| !self.seen.contains(i)).collect()
    }

    /// Whether every QR code of the export was read.
    pub fn is_complete(&self) -> bool {
        self.missing().is_empty()
    }

    /// "2 of 3 QR codes" and, when some are missing, which (1-based, as Google numbers them).
    pub fn describe(&self) -> String {
        let missing = self.missing();
        let mut text = format!("{} of {} QR codes", self.seen.len(), self.size);
        if !missing.is_empty() {
            let numbers: Vec<String> = missing.iter().map(|i| (i + 1).to_string()).collect();
            text.push_str(&format!(" (missing: {})", numbers.join(", ")));
        }
        text
    }
}

impl BatchProgress {
    /// Records a QR code read. False when it was read before: its accounts are already in,
    /// so skip them.
    pub fn record(&mut self, info: BatchInfo) -> bool {
        let size = info.size.max(1);
        match self.exports.iter_mut().find(|(id, _, _)| *id == info.id) {
            Some((_, known, seen)) => {
                *known = (*known).max(size);
                seen.insert(info.index)
            }
            None => {
                self.exports
                    .push((info.id, size, BTreeSet::from([info.index])));
                true
            }
        }
    }

    /// Where the export with batch id `id` stands.
    pub fn status(&self, id: i32) -> Option<BatchStatus> {
        self.exports
            .iter()
            .find(|(known, _, _)| *known == id)
            .map(|(id, size, seen)| BatchStatus {
                id: *id,
                size: *size,
                seen: seen.iter().copied().collect(),
            })
    }

    /// Every export seen, in the order first seen.
    pub fn exports(&self) -> Vec<BatchStatus> {
        self.exports
            .iter()
            .filter_map(|(id, _, _)| self.status(*id))
            .collect()
    }

    /// The exports with QR codes still to read.
    pub fn incomplete(&self) -> Vec<BatchStatus> {
        self.exports()
            .into_iter()
            .filter(|s| !s.is_complete())
            .collect()
    }

    /// Forgets one export (every QR code of it is in, or the user gave up on it).
    pub fn forget(&mut self, id: i32) {
        self.exports.retain(|(known, _, _)| *known != id);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn info(id: i32, index: u32, size: u32) -> BatchInfo {
        BatchInfo { index, size, id }
    }

    #[test]
    fn interleaved_exports_are_counted_once_each() {
        let mut progress = BatchProgress::default();
        assert!(progress.record(info(7, 0, 2)));
        assert!(progress.record(info(9, 0, 3)));
        assert!(progress.record(info(7, 1, 2)));
        assert!(!progress.record(info(7, 1, 2)), "read twice");
        assert!(progress.record(info(9, 2, 3)));
        let exports = progress.exports();
        assert_eq!(exports.len(), 2, "{exports:?}");
        assert!(exports[0].is_complete());
        assert_eq!(exports[1].missing(), vec![1]);
        assert_eq!(exports[1].describe(), "2 of 3 QR codes (missing: 2)");
        assert_eq!(progress.incomplete().len(), 1);
        progress.forget(9);
        assert!(progress.incomplete().is_empty());
    }
}

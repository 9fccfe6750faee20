//! The reader on hostile input: column lists of any shape, and shared cells and overflow
//! chains that would multiply a small file.

use super::*;

#[test]
fn column_lists_of_any_shape_never_panic() {
    assert_eq!(
        columns("CREATE TABLE t (a, b INTEGER, c TEXT)"),
        ["a", "b", "c"]
    );
    assert!(columns(")(").is_empty());
    assert!(columns("(").is_empty());
    assert!(columns("").is_empty());
    assert_eq!(columns("CREATE TABLE \u{e9}\u{e9} (x, y)"), ["x", "y"]);
    assert_eq!(
        columns("CREATE TABLE t (\u{e9}t\u{e9}, b)"),
        ["\u{e9}t\u{e9}", "b"]
    );
    assert_eq!(columns("t (a, CHECK (a > 0), b)"), ["a", "b"]);
}

/// A database of one leaf page whose cells all point at the same cell, which spills into
/// a long overflow chain: without a budget, a small file would become gigabytes of rows.
#[test]
fn shared_cells_and_overflow_chains_are_refused_not_multiplied() {
    let page_size = 512usize;
    let pages = 64usize;
    let mut db = vec![0u8; page_size * pages];
    db[..16].copy_from_slice(b"SQLite format 3\0");
    db[16..18].copy_from_slice(&(page_size as u16).to_be_bytes());
    // Page 1: the schema, a leaf with one row: ("table", "t", "t", 2, "CREATE TABLE t(a)").
    let record = {
        let values: [&[u8]; 5] = [b"table", b"t", b"t", &[2], b"CREATE TABLE t(a)"];
        let types = [
            13 + 2 * 5,
            13 + 2,
            13 + 2,
            1,
            13 + 2 * values[4].len() as u8,
        ];
        let mut r = vec![1 + types.len() as u8];
        r.extend(types);
        for v in values {
            r.extend_from_slice(v);
        }
        r
    };
    let cell_at = page_size - record.len() - 2;
    db[100] = 0x0d;
    db[103..105].copy_from_slice(&1u16.to_be_bytes());
    db[108..110].copy_from_slice(&(cell_at as u16).to_be_bytes());
    db[cell_at] = record.len() as u8;
    db[cell_at + 1] = 1;
    db[cell_at + 2..cell_at + 2 + record.len()].copy_from_slice(&record);
    // Page 2: the table, a leaf whose 200 cell pointers all name one cell of a payload of
    // 30 pages, held in an overflow chain from page 3 on.
    let p2 = page_size;
    db[p2] = 0x0d;
    let count = 200u16;
    db[p2 + 3..p2 + 5].copy_from_slice(&count.to_be_bytes());
    let cell = p2 + 8 + 2 * count as usize;
    for i in 0..count as usize {
        db[p2 + 8 + 2 * i..p2 + 10 + 2 * i].copy_from_slice(&((cell - p2) as u16).to_be_bytes());
    }
    let len = 30 * (page_size - 4);
    // varint of len (two bytes), rowid 1.
    db[cell] = 0x80 | (len >> 7) as u8;
    db[cell + 1] = (len & 0x7f) as u8;
    db[cell + 2] = 1;
    let usable = page_size;
    let min_local = (usable - 12) * 32 / 255 - 23;
    let local = min_local + (len - min_local) % (usable - 4);
    let local = if local <= usable - 35 {
        local
    } else {
        min_local
    };
    let next_at = cell + 3 + local;
    db[next_at..next_at + 4].copy_from_slice(&3u32.to_be_bytes());
    for page in 3..pages {
        let at = (page - 1) * page_size;
        let next = if page + 1 < pages { page as u32 + 1 } else { 0 };
        db[at..at + 4].copy_from_slice(&next.to_be_bytes());
    }
    let error = table(&db, "t").err().expect("refused");
    assert!(error.contains("repeat"), "{error}");
}

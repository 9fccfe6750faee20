//! A small read-only SQLite reader: enough to list a table's rows from the internal databases
//! of other authenticator apps (file format as documented at sqlite.org/fileformat2.html: b-tree
//! pages, varints, records, overflow pages). No C library, so it also builds for phones.
//! Every offset is checked: a damaged file is an error, never a panic or a loop.

/// A value in a row.
#[derive(Debug, Clone, PartialEq)]
pub enum Cell {
    /// NULL.
    Null,
    /// An integer.
    Int(i64),
    /// A float.
    Float(f64),
    /// Text.
    Text(String),
    /// A blob.
    Blob(Vec<u8>),
}

impl Cell {
    /// As text (numbers are written out), empty for NULL and blobs.
    pub fn text(&self) -> String {
        match self {
            Cell::Text(t) => t.clone(),
            Cell::Int(i) => i.to_string(),
            Cell::Float(f) => f.to_string(),
            Cell::Null | Cell::Blob(_) => String::new(),
        }
    }

    /// As an integer, if it is one (or text holding one).
    pub fn int(&self) -> Option<i64> {
        match self {
            Cell::Int(i) => Some(*i),
            Cell::Text(t) => t.trim().parse().ok(),
            _ => None,
        }
    }
}

/// A table: column names and rows.
pub struct Table {
    /// Column names in order.
    pub columns: Vec<String>,
    /// Rows, each with one cell per column.
    pub rows: Vec<Vec<Cell>>,
}

impl Table {
    /// The cell of `row` in the column named `name` (NULL when there is no such column).
    pub fn get<'a>(&self, row: &'a [Cell], name: &str) -> &'a Cell {
        const NULL: &Cell = &Cell::Null;
        self.columns
            .iter()
            .position(|c| c.eq_ignore_ascii_case(name))
            .and_then(|i| row.get(i))
            .unwrap_or(NULL)
    }
}

/// Whether `bytes` are an SQLite database.
pub fn is_sqlite(bytes: &[u8]) -> bool {
    bytes.starts_with(b"SQLite format 3\0")
}

struct Db<'a> {
    bytes: &'a [u8],
    page_size: usize,
    usable: usize,
    /// Payload bytes still allowed: a real database stores each payload byte once, so more
    /// than twice the file means cells or overflow chains are shared to multiply the file.
    budget: std::cell::Cell<usize>,
}

type Result<T> = std::result::Result<T, String>;

/// Reads the table `name`.
pub fn table(bytes: &[u8], name: &str) -> Result<Table> {
    if !is_sqlite(bytes) || bytes.len() < 100 {
        return Err("not an SQLite database".into());
    }
    let page_size = match u16::from_be_bytes([bytes[16], bytes[17]]) {
        1 => 65536,
        n if n >= 512 && n.is_power_of_two() => usize::from(n),
        _ => return Err("the page size is not valid".into()),
    };
    let usable = page_size - usize::from(bytes[20]);
    let db = Db {
        bytes,
        page_size,
        usable,
        budget: std::cell::Cell::new(bytes.len().saturating_mul(2).saturating_add(64 * 1024)),
    };
    let master = db.rows(1)?;
    let entry = master
        .iter()
        .find(|r| {
            r.get(1)
                .is_some_and(|c| c.text().eq_ignore_ascii_case(name))
                && r.first().is_some_and(|c| c.text() == "table")
        })
        .ok_or_else(|| format!("it has no table \"{name}\""))?;
    let root = entry
        .get(3)
        .and_then(Cell::int)
        .ok_or("the table has no root page")?;
    let sql = entry.get(4).map(Cell::text).unwrap_or_default();
    let columns = columns(&sql);
    let rowid_alias = columns_rowid_alias(&sql, &columns);
    let mut rows = db.rows_with_ids(usize::try_from(root).map_err(|_| "bad root page")?)?;
    for (id, row) in &mut rows {
        row.resize(columns.len(), Cell::Null);
        if let Some(i) = rowid_alias {
            row[i] = Cell::Int(*id);
        }
    }
    Ok(Table {
        columns,
        rows: rows.into_iter().map(|(_, r)| r).collect(),
    })
}

impl Db<'_> {
    fn page(&self, n: usize) -> Result<&[u8]> {
        let start = n
            .checked_sub(1)
            .ok_or("page 0")?
            .checked_mul(self.page_size)
            .ok_or("bad page")?;
        let end = start.checked_add(self.page_size).ok_or("bad page")?;
        self.bytes
            .get(start..end)
            .ok_or_else(|| "the file is cut short".into())
    }

    /// Takes `n` bytes from the payload budget.
    fn spend(&self, n: usize) -> Result<()> {
        let left = self
            .budget
            .get()
            .checked_sub(n)
            .ok_or("its cells repeat the same data over and over (not a real database)")?;
        self.budget.set(left);
        Ok(())
    }

    fn rows(&self, root: usize) -> Result<Vec<Vec<Cell>>> {
        Ok(self
            .rows_with_ids(root)?
            .into_iter()
            .map(|(_, r)| r)
            .collect())
    }

    /// Every row of the table b-tree at `root`, with its rowid, in order.
    fn rows_with_ids(&self, root: usize) -> Result<Vec<(i64, Vec<Cell>)>> {
        let mut out = Vec::new();
        let mut stack = vec![root];
        let mut visited = std::collections::HashSet::new();
        while let Some(n) = stack.pop() {
            if !visited.insert(n) {
                return Err("the b-tree loops".into());
            }
            let page = self.page(n)?;
            let header = if n == 1 { 100 } else { 0 };
            let kind = *page.get(header).ok_or("bad page")?;
            let count = be16(page, header + 3)?;
            let (cells_at, interior) = match kind {
                0x0d => (header + 8, false),
                0x05 => (header + 12, true),
                _ => return Err(format!("unexpected page type {kind}")),
            };
            let mut children = Vec::new();
            for i in 0..count {
                let at = be16(page, cells_at + 2 * i)?;
                if interior {
                    children.push(be32(page, at)? as usize);
                } else {
                    let (len, a) = varint(page, at)?;
                    let (rowid, a) = varint(page, a)?;
                    let payload =
                        self.payload(page, a, usize::try_from(len).map_err(|_| "bad length")?)?;
                    out.push((rowid, record(&payload)?));
                }
            }
            if interior {
                children.push(be32(page, header + 8)? as usize);
                // Depth first, left to right: push in reverse.
                stack.extend(children.into_iter().rev());
            }
        }
        Ok(out)
    }

    /// A cell's payload, following overflow pages.
    fn payload(&self, page: &[u8], at: usize, len: usize) -> Result<Vec<u8>> {
        let max_local = self.usable - 35;
        let local = if len <= max_local {
            len
        } else {
            let min_local = (self.usable - 12) * 32 / 255 - 23;
            let k = min_local + (len - min_local) % (self.usable - 4);
            if k <= max_local { k } else { min_local }
        };
        self.spend(local)?;
        let mut out = page
            .get(at..at.checked_add(local).ok_or("bad cell")?)
            .ok_or("a cell runs past its page")?
            .to_vec();
        if local < len {
            let mut next = be32(page, at + local)? as usize;
            let mut hops = 0;
            while out.len() < len {
                hops += 1;
                if next == 0 || hops > self.bytes.len() / self.page_size + 1 {
                    return Err("an overflow chain is broken".into());
                }
                let overflow = self.page(next)?;
                next = be32(overflow, 0)? as usize;
                let take = (len - out.len()).min(self.usable - 4);
                self.spend(take)?;
                out.extend_from_slice(overflow.get(4..4 + take).ok_or("bad overflow page")?);
            }
        }
        Ok(out)
    }
}

fn be16(b: &[u8], at: usize) -> Result<usize> {
    b.get(at..at + 2)
        .map(|s| usize::from(u16::from_be_bytes([s[0], s[1]])))
        .ok_or_else(|| "cut short".into())
}

fn be32(b: &[u8], at: usize) -> Result<u32> {
    b.get(at..at + 4)
        .map(|s| u32::from_be_bytes([s[0], s[1], s[2], s[3]]))
        .ok_or_else(|| "cut short".into())
}

/// SQLite's big-endian varint (1-9 bytes): value and the offset after it.
fn varint(b: &[u8], at: usize) -> Result<(i64, usize)> {
    let mut value: u64 = 0;
    for i in 0..9 {
        let byte = *b.get(at + i).ok_or("a number runs past its page")?;
        if i == 8 {
            value = (value << 8) | u64::from(byte);
            return Ok((value as i64, at + 9));
        }
        value = (value << 7) | u64::from(byte & 0x7f);
        if byte & 0x80 == 0 {
            return Ok((value as i64, at + i + 1));
        }
    }
    unreachable!("the loop returns by the ninth byte")
}

/// A record: header of serial types, then the values.
fn record(p: &[u8]) -> Result<Vec<Cell>> {
    let (header_len, mut at) = varint(p, 0)?;
    let header_len = usize::try_from(header_len)
        .ok()
        .filter(|len| *len <= p.len())
        .ok_or("bad record")?;
    let mut types = Vec::new();
    while at < header_len {
        let (t, next) = varint(p, at)?;
        types.push(t);
        at = next;
    }
    let mut body = header_len;
    let mut cells = Vec::with_capacity(types.len());
    for t in types {
        let int = |n: usize, body: &mut usize| -> Result<i64> {
            let bytes = p
                .get(*body..*body + n)
                .ok_or("a value runs past its record")?;
            // (n is at most 8 and body within the record: no overflow.)
            *body += n;
            let mut v: i64 = if bytes.first().is_some_and(|b| b & 0x80 != 0) {
                -1
            } else {
                0
            };
            for b in bytes {
                v = (v << 8) | i64::from(*b);
            }
            Ok(v)
        };
        let cell = match t {
            0 => Cell::Null,
            1..=4 => Cell::Int(int(t as usize, &mut body)?),
            5 => Cell::Int(int(6, &mut body)?),
            6 => Cell::Int(int(8, &mut body)?),
            7 => Cell::Float(f64::from_bits(int(8, &mut body)? as u64)),
            8 => Cell::Int(0),
            9 => Cell::Int(1),
            t if t >= 12 => {
                let n = usize::try_from((t - 12) / 2).map_err(|_| "bad length")?;
                let end = body.checked_add(n).ok_or("a value runs past its record")?;
                let bytes = p
                    .get(body..end)
                    .ok_or("a value runs past its record")?
                    .to_vec();
                body += n;
                if t % 2 == 0 {
                    Cell::Blob(bytes)
                } else {
                    Cell::Text(String::from_utf8_lossy(&bytes).into_owned())
                }
            }
            _ => return Err("an unknown value type".into()),
        };
        cells.push(cell);
    }
    Ok(cells)
}

/// Column names from a `CREATE TABLE` statement (none when it has no parenthesised list).
fn columns(sql: &str) -> Vec<String> {
    let (Some(open), Some(close)) = (sql.find('('), sql.rfind(')')) else {
        return Vec::new();
    };
    // Both are ASCII, so both are character boundaries; `)(` has no list at all.
    let Some(body) = sql.get(open + 1..close) else {
        return Vec::new();
    };
    let mut out = Vec::new();
    let (mut depth, mut start) = (0i32, 0);
    for (i, c) in body.char_indices() {
        match c {
            '(' => depth += 1,
            ')' => depth -= 1,
            ',' if depth == 0 => {
                out.push(&body[start..i]);
                start = i + 1;
            }
            _ => {}
        }
    }
    out.push(&body[start..]);
    out.into_iter()
        .filter_map(|def| {
            let name = def
                .split_whitespace()
                .next()?
                .trim_matches(|c| matches!(c, '"' | '`' | '[' | ']' | '\''));
            let keyword = ["primary", "unique", "check", "foreign", "constraint"];
            (!keyword.contains(&name.to_lowercase().as_str())).then(|| name.to_owned())
        })
        .collect()
}

/// The column that is an alias of the rowid (`INTEGER PRIMARY KEY`), stored as NULL in records.
fn columns_rowid_alias(sql: &str, columns: &[String]) -> Option<usize> {
    let lower = sql.to_lowercase();
    columns.iter().position(|c| {
        let c = c.to_lowercase();
        [
            format!("{c} integer primary key"),
            format!("`{c}` integer primary key"),
            format!("\"{c}\" integer primary key"),
        ]
        .iter()
        .any(|pattern| lower.contains(pattern))
    })
}

#[cfg(test)]
mod tests;

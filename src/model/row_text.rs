//! A main row's free text (本月进展, 存在问题, 下步计划, 填报人, 联系电话) in one shared allocation.
//!
//! A province holds a quarter of a million main rows. Five `String`s per row made five allocations
//! and 120 bytes of pointers each; one `Arc<str>` with four boundaries is one allocation and 32
//! bytes, and a judgement quoting the row shares it instead of copying the text.

use std::fmt;
use std::sync::Arc;

use serde::ser::{Serialize, SerializeMap, Serializer};

/// The five cells, in this order, joined in one string.
#[derive(Clone, Default, PartialEq, Eq)]
pub struct RowText {
    text: Arc<str>,
    /// Where each of the first four cells ends (the fifth ends with the text).
    ends: [u32; 4],
}

/// The cells' names, as JSON keys.
const NAMES: [&str; 5] = ["progress_note", "problems", "next_steps", "reporter", "phone"];

impl RowText {
    /// The cells in this order: 本月进展, 存在问题, 下步计划, 填报人, 联系电话. Cells are at most
    /// 32,767 characters (Excel's limit, checked before a row is read), so the boundaries fit in
    /// `u32`.
    pub(crate) fn new(cells: [&str; 5]) -> RowText {
        let mut text = String::with_capacity(cells.iter().map(|c| c.len()).sum());
        let mut ends = [0u32; 4];
        for (i, cell) in cells.iter().enumerate() {
            text.push_str(cell);
            if let Some(end) = ends.get_mut(i) {
                *end = u32::try_from(text.len()).unwrap_or(u32::MAX);
            }
        }
        RowText {
            text: Arc::from(text),
            ends,
        }
    }

    fn cell(&self, i: usize) -> &str {
        let start = if i == 0 { 0 } else { self.ends[i - 1] as usize };
        let end = self.ends.get(i).map_or(self.text.len(), |&e| e as usize);
        self.text.get(start..end).unwrap_or("")
    }

    /// 本月进展.
    pub fn progress_note(&self) -> &str {
        self.cell(0)
    }

    /// 存在问题.
    pub fn problems(&self) -> &str {
        self.cell(1)
    }

    /// 下步计划.
    pub fn next_steps(&self) -> &str {
        self.cell(2)
    }

    /// 填报人.
    pub(crate) fn reporter(&self) -> &str {
        self.cell(3)
    }

    /// 联系电话.
    pub(crate) fn phone(&self) -> &str {
        self.cell(4)
    }

    /// The first `n` cells as a JSON object's entries (for `#[serde(flatten)]`).
    pub(crate) fn first(&self, n: usize) -> FirstCells<'_> {
        FirstCells { text: self, n }
    }
}

impl fmt::Debug for RowText {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut map = f.debug_map();
        for (i, name) in NAMES.iter().enumerate() {
            map.entry(name, &self.cell(i));
        }
        map.finish()
    }
}

/// The first cells of a [`RowText`], serialized as map entries.
pub(crate) struct FirstCells<'a> {
    text: &'a RowText,
    n: usize,
}

impl Serialize for FirstCells<'_> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut map = serializer.serialize_map(Some(self.n))?;
        for (i, name) in NAMES.iter().enumerate().take(self.n) {
            map.serialize_entry(name, self.text.cell(i))?;
        }
        map.end()
    }
}

impl Serialize for RowText {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        self.first(NAMES.len()).serialize(serializer)
    }
}

#[cfg(test)]
mod tests {
    use super::RowText;

    #[test]
    fn each_cell_reads_back_including_empty_and_multibyte_ones() {
        let t = RowText::new(["完成 3 次调度", "", "下月继续", "联络员", "0971-1234567"]);
        assert_eq!(t.progress_note(), "完成 3 次调度");
        assert_eq!(t.problems(), "");
        assert_eq!(t.next_steps(), "下月继续");
        assert_eq!(t.reporter(), "联络员");
        assert_eq!(t.phone(), "0971-1234567");
        let empty = RowText::default();
        assert_eq!((empty.progress_note(), empty.phone()), ("", ""));
    }

    #[test]
    fn serializes_as_the_five_fields_it_replaced() {
        let t = RowText::new(["a", "b\n", "c", "d", "e"]);
        assert_eq!(
            serde_json::to_string(&t).unwrap(),
            r#"{"progress_note":"a","problems":"b\n","next_steps":"c","reporter":"d","phone":"e"}"#
        );
        assert_eq!(
            serde_json::to_string(&t.first(3)).unwrap(),
            r#"{"progress_note":"a","problems":"b\n","next_steps":"c"}"#
        );
    }
}

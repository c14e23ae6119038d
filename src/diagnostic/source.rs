//! A loaded text file with a line index, to turn byte offsets into the line:column people see.

use std::ops::Range;
use std::sync::OnceLock;

#[derive(Debug, Clone)]
pub struct Source {
    /// Path relative to the repository root.
    pub path: String,
    pub text: String,
    /// Where each line starts, made when a large file is first asked for a position.
    starts: OnceLock<Vec<usize>>,
}

/// Up to this size a position is found by counting line breaks before it: cheaper than indexing
/// the lines of the 20,000 small task files of a province, most of which are asked a few times.
const COUNTED: usize = 4096;

impl Source {
    pub fn new(path: impl Into<String>, text: impl Into<String>) -> Source {
        Source {
            path: path.into(),
            text: text.into(),
            starts: OnceLock::new(),
        }
    }

    fn starts(&self) -> &[usize] {
        self.starts.get_or_init(|| {
            std::iter::once(0)
                .chain(memchr::memchr_iter(b'\n', self.text.as_bytes()).map(|i| i + 1))
                .collect()
        })
    }

    /// 1-based line and character column of a byte offset.
    pub(crate) fn position(&self, offset: usize) -> (usize, usize) {
        let offset = offset.min(self.text.len());
        let (line, start) = if self.text.len() <= COUNTED {
            let before = &self.text.as_bytes()[..offset];
            let line = 1 + memchr::memchr_iter(b'\n', before).count();
            (line, memchr::memrchr(b'\n', before).map_or(0, |i| i + 1))
        } else {
            let starts = self.starts();
            let line = starts.partition_point(|&s| s <= offset);
            (line, starts[line - 1])
        };
        let col = self.text.get(start..offset).map_or(0, |s| s.chars().count());
        (line, col + 1)
    }

    /// The characters a byte range covers (for carets), at least 1.
    pub(crate) fn char_len(&self, span: &Range<usize>) -> usize {
        self.text.get(span.clone()).map_or(1, |s| s.chars().count().max(1))
    }

    pub(crate) fn line_text(&self, line: usize) -> Option<&str> {
        let starts = self.starts();
        let start = *starts.get(line.checked_sub(1)?)?;
        let end = starts.get(line).copied().unwrap_or(self.text.len());
        Some(self.text[start..end].trim_end_matches(['\n', '\r']))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn positions_count_characters() {
        let s = Source::new("a", "x = 1\nlead = [\"市局\"]\n");
        let off = s.text.find('"').unwrap();
        assert_eq!(s.position(off), (2, 9));
        assert_eq!(s.line_text(2), Some("lead = [\"市局\"]"));
    }

    #[test]
    fn counted_and_indexed_positions_agree() {
        let small = "a = 1\r\n\n任务 = \"x\"\nend";
        let large = small.repeat(COUNTED / small.len() + 1);
        assert!(small.len() <= COUNTED && large.len() > COUNTED);
        let (s, l) = (Source::new("s", small), Source::new("l", large.clone()));
        for offset in (0..=small.len()).filter(|&o| small.is_char_boundary(o)) {
            assert_eq!(s.position(offset), l.position(offset), "at {offset}");
        }
        assert_eq!(s.position(small.len() + 9), s.position(small.len()));
        assert_eq!(l.position(large.len()).0, large.matches('\n').count() + 1);
    }
}

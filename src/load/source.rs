//! A loaded text file with a line index, to turn byte offsets into the line:column people see.

use std::ops::Range;

use crate::model::Located;

#[derive(Debug, Clone)]
pub struct Source {
    /// Path relative to the repository root.
    pub path: String,
    pub text: String,
    starts: Vec<usize>,
}

impl Source {
    pub fn new(path: impl Into<String>, text: impl Into<String>) -> Source {
        let text = text.into();
        let starts = std::iter::once(0)
            .chain(text.match_indices('\n').map(|(i, _)| i + 1))
            .collect();
        Source {
            path: path.into(),
            text,
            starts,
        }
    }

    /// 1-based line and character column of a byte offset.
    pub fn position(&self, offset: usize) -> (usize, usize) {
        let offset = offset.min(self.text.len());
        let line = self.starts.partition_point(|&s| s <= offset);
        let start = self.starts[line - 1];
        let col = self.text.get(start..offset).map_or(0, |s| s.chars().count());
        (line, col + 1)
    }

    /// The characters a byte range covers (for carets), at least 1.
    pub fn char_len(&self, span: &Range<usize>) -> usize {
        self.text.get(span.clone()).map_or(1, |s| s.chars().count().max(1))
    }

    pub fn line_text(&self, line: usize) -> Option<&str> {
        let start = *self.starts.get(line.checked_sub(1)?)?;
        let end = self.starts.get(line).copied().unwrap_or(self.text.len());
        Some(self.text[start..end].trim_end_matches(['\n', '\r']))
    }

    pub fn locate<T>(&self, spanned: toml::Spanned<T>) -> Located<T> {
        let (line, col) = self.position(spanned.span().start);
        Located {
            value: spanned.into_inner(),
            line,
            col,
        }
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
}

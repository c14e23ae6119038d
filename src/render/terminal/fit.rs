//! Fitting text into a width the way Chinese typesetting does: numbers, dates and percentages are
//! never split, no line starts with closing punctuation (、，。；：）」…) and none ends with an
//! opening one (（「…); text that must stay on one line ends with "…".

use unicode_width::UnicodeWidthStr;

use crate::text::width;

/// Closing punctuation: never at the start of a line.
const NO_START: &str = "、，。；：？！）」』】》〉”’％%,.;:?!)]}…·";
/// Opening punctuation: never at the end of a line.
const NO_END: &str = "（「『【《〈“‘([{";

/// Measure words that stay with the number before them: 「3天」「6时」「18 个」 never part.
const MEASURES: &str = "天时分秒个项轮年月日点";

/// The pieces a line may break between: one CJK character (or full-width punctuation), or a run
/// of other non-space characters (a number, a date, a word, a file name: ASCII punctuation such as
/// the `.` of `76.2%` or `jtj.csv` stays inside it), or a run of spaces.
fn atoms(text: &str) -> Vec<&str> {
    let mut out = Vec::new();
    let mut start = 0;
    let mut prev: Option<Kind> = None;
    let mut after_digit = false;
    for (i, c) in text.char_indices() {
        let kind = Kind::of(c);
        let joins = matches!(
            (prev, kind),
            (Some(Kind::Word), Kind::Word) | (Some(Kind::Space), Kind::Space)
        ) || (after_digit && MEASURES.contains(c));
        after_digit = c.is_ascii_digit();
        if i > start && !joins {
            out.push(&text[start..i]);
            start = i;
        }
        prev = Some(kind);
    }
    if start < text.len() {
        out.push(&text[start..]);
    }
    out
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Kind {
    Wide,
    Word,
    Space,
}

impl Kind {
    fn of(c: char) -> Kind {
        if c.is_whitespace() {
            Kind::Space
        } else if UnicodeWidthStr::width(c.encode_utf8(&mut [0; 4]) as &str) >= 2
            || (!c.is_ascii() && (NO_START.contains(c) || NO_END.contains(c)))
        {
            Kind::Wide
        } else {
            Kind::Word
        }
    }
}

fn starts_closed(atom: &str) -> bool {
    atom.chars().next().is_some_and(|c| NO_START.contains(c))
}

fn ends_open(atom: &str) -> bool {
    atom.chars().last().is_some_and(|c| NO_END.contains(c))
}

/// Wraps `text` (each of its lines) to `max` display columns.
pub(crate) fn wrap(text: &str, max: usize) -> Vec<String> {
    let max = max.max(2);
    text.lines().flat_map(|line| wrap_line(line, max)).collect()
}

fn wrap_line(line: &str, max: usize) -> Vec<String> {
    let mut lines: Vec<Vec<&str>> = vec![Vec::new()];
    let mut used = 0;
    for atom in atoms(line) {
        let w = width(atom);
        let current = lines.last_mut().expect("never empty");
        if used + w <= max || current.is_empty() {
            if !(current.is_empty() && atom.trim().is_empty()) {
                current.push(atom);
                used += w;
            }
            continue;
        }
        if atom.trim().is_empty() {
            lines.push(Vec::new());
            used = 0;
            continue;
        }
        // Kinsoku: carry the last atom down when this one may not start a line, or when the
        // line would end with an opening bracket.
        let mut carried = vec![atom];
        while current.len() > 1 && (starts_closed(carried[0]) || current.last().is_some_and(|a| ends_open(a))) {
            carried.insert(0, current.pop().expect("len > 1"));
        }
        while current.last().is_some_and(|a| a.trim().is_empty()) {
            current.pop();
        }
        // A line left holding only an opening bracket goes down whole.
        if current.len() == 1 && ends_open(current[0]) && width(current[0]) == width(current[0].trim()) {
            carried.insert(0, current.pop().expect("len 1"));
        }
        used = carried.iter().map(|a| width(a)).sum();
        if current.is_empty() {
            *current = carried;
        } else {
            lines.push(carried);
        }
    }
    let mut out: Vec<String> = lines.into_iter().map(|atoms| atoms.concat()).collect();
    // An atom wider than the line (a very long word) is cut hard.
    out = out.into_iter().flat_map(|l| hard_cut(&l, max)).collect();
    if out.is_empty() {
        out.push(String::new());
    }
    out
}

fn hard_cut(line: &str, max: usize) -> Vec<String> {
    if width(line) <= max {
        return vec![line.to_string()];
    }
    let mut out = vec![String::new()];
    for c in line.chars() {
        let cw = width(c.encode_utf8(&mut [0; 4]));
        let last = out.last_mut().expect("never empty");
        if width(last) + cw > max {
            out.push(String::new());
        }
        out.last_mut().expect("never empty").push(c);
    }
    out
}

/// `text` on one line of at most `max` columns, ending with "…" when cut.
pub(crate) fn truncate(text: &str, max: usize) -> String {
    let text = text.lines().next().unwrap_or("");
    if width(text) <= max {
        return text.to_string();
    }
    let mut out = String::new();
    for c in text.chars() {
        if width(&out) + width(c.encode_utf8(&mut [0; 4])) + 1 > max {
            break;
        }
        out.push(c);
    }
    out.push('…');
    out
}

/// Whether a line breaks the typesetting rules (for tests): it starts with closing punctuation.
pub fn bad_line_start(line: &str) -> bool {
    line.trim_start_matches(|c: char| c == ' ' || "│┆|+-─╞═╪╡┌┬┐└┴┘├┼┤".contains(c))
        .chars()
        .next()
        .is_some_and(|c| "、，。；：）」".contains(c))
}

/// A writer that wraps every line wider than `width` (prose around tables; the tables already
/// fit). Widths are measured without colour codes.
pub(crate) struct LineWrap<'a> {
    inner: &'a mut dyn std::io::Write,
    width: usize,
    pending: Vec<u8>,
}

impl<'a> LineWrap<'a> {
    pub(crate) fn new(inner: &'a mut dyn std::io::Write, width: u16) -> LineWrap<'a> {
        LineWrap {
            inner,
            width: usize::from(width),
            pending: Vec::new(),
        }
    }

    /// Writes one line (without its newline), wrapped when too wide.
    fn emit(&mut self, line: &[u8]) -> std::io::Result<()> {
        let text = String::from_utf8_lossy(line);
        let plain = anstream::adapter::strip_str(&text).to_string();
        if width(&plain) <= self.width {
            self.inner.write_all(line)?;
            return self.inner.write_all(b"\n");
        }
        for l in wrap(&plain, self.width) {
            writeln!(self.inner, "{l}")?;
        }
        Ok(())
    }
}

impl std::io::Write for LineWrap<'_> {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.pending.extend_from_slice(buf);
        while let Some(end) = self.pending.iter().position(|b| *b == b'\n') {
            let line: Vec<u8> = self.pending.drain(..=end).collect();
            self.emit(&line[..end])?;
        }
        Ok(buf.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        if !self.pending.is_empty() {
            let rest = std::mem::take(&mut self.pending);
            let text = String::from_utf8_lossy(&rest);
            let wrapped = wrap(&anstream::adapter::strip_str(&text).to_string(), self.width);
            let fits = width(&anstream::adapter::strip_str(&text).to_string()) <= self.width;
            if fits {
                self.inner.write_all(&rest)?;
            } else {
                self.inner.write_all(wrapped.join("\n").as_bytes())?;
            }
        }
        self.inner.flush()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_number_keeps_its_measure_word() {
        assert_eq!(super::atoms("逾期3天6时"), ["逾", "期", "3天", "6时"]);
        assert_eq!(super::wrap("逾期3天6时", 8), ["逾期3天", "6时"]);
    }

    #[test]
    fn ascii_punctuation_stays_inside_its_word() {
        // Wherever the width falls, a file name, a decimal percentage and a date stay whole.
        for word in ["jtj.CSV", "76.2%", "2024-08-05", "0972-8000001"] {
            let line = format!("报送文件名须全部小写，进度为：{word} 应为 {word}");
            for max in 14..40 {
                for out in wrap(&line, max) {
                    let cut = word
                        .char_indices()
                        .skip(1)
                        .any(|(i, _)| out.ends_with(&word[..i]) || out.starts_with(&word[i..]));
                    assert!(!cut || out.contains(word), "{word} split at {max}: {out:?}");
                }
            }
        }
    }

    #[test]
    fn numbers_stay_whole_and_punctuation_stays_attached() {
        assert_eq!(wrap("平均进度 66.3%", 10), ["平均进度", "66.3%"]);
        assert_eq!(wrap("欠进度（红）", 12), ["欠进度（红）"]);
        assert_eq!(
            wrap("欠进度（红）", 10),
            ["欠进度", "（红）"],
            "the bracket goes down with its text"
        );
        let lines = wrap("进度 50%，序时进度 68%，落后 18 个百分点", 12);
        assert!(lines.iter().all(|l| width(l) <= 12), "{lines:?}");
        assert!(lines.iter().all(|l| !bad_line_start(l)), "{lines:?}");
        assert!(lines.iter().any(|l| l.contains("50%")), "{lines:?}");
    }

    #[test]
    fn no_line_ends_with_an_opening_bracket() {
        for max in 8..16 {
            for line in wrap("欠进度（红）、报送有误（待更正）", max) {
                assert!(!line.ends_with('（') && !bad_line_start(&line), "{max}: {line}");
                assert!(width(&line) <= max, "{max}: {line}");
            }
        }
    }

    #[test]
    fn truncates_with_an_ellipsis() {
        assert_eq!(truncate("建立健全示范区一体化发展推进组织体系", 10), "建立健全…");
        assert_eq!(truncate("短", 10), "短");
        assert!(width(&truncate("abcdefghijk", 5)) <= 5);
    }
}

//! Text helpers shared by loaders, checks and renderers: display width, normalisation, suggestions.

use std::borrow::Cow;

use unicode_width::UnicodeWidthStr;

/// `text` cut to `max` characters, saying how long it was: hostile data must not make one message
/// print megabytes.
pub(crate) fn clip(text: String, max: usize) -> String {
    // No more bytes than the limit means no more characters either: nothing to count.
    if text.len() <= max {
        return text;
    }
    match text.char_indices().nth(max) {
        None => text,
        Some((cut, _)) => format!("{}…（共 {} 个字符）", &text[..cut], text.chars().count()),
    }
}

/// Display width of `s` in a terminal (CJK characters count 2).
pub(crate) fn width(s: &str) -> usize {
    UnicodeWidthStr::width(s)
}

/// True for CJK ideographs and full-width CJK punctuation: the characters between which a PDF
/// line break leaves a spurious space.
pub(crate) fn is_cjk(c: char) -> bool {
    matches!(c as u32,
        0x3000..=0x303F | 0x3400..=0x4DBF | 0x4E00..=0x9FFF | 0xF900..=0xFAFF | 0xFF00..=0xFFEF
        | 0x2018..=0x201F)
}

/// Removes whitespace runs that sit between two CJK characters (PDF line-break damage) and trims.
pub(crate) fn join_cjk_lines(s: &str) -> String {
    let chars: Vec<char> = s.trim().chars().collect();
    let mut out = String::with_capacity(s.len());
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        if c.is_whitespace() {
            let start = i;
            while i < chars.len() && chars[i].is_whitespace() {
                i += 1;
            }
            let before = start.checked_sub(1).map(|j| chars[j]);
            let after = chars.get(i).copied();
            let glue = matches!((before, after), (Some(b), Some(a)) if is_cjk(b) && is_cjk(a));
            if !glue {
                out.push(' ');
            }
            continue;
        }
        out.push(c);
        i += 1;
    }
    out
}

/// Folds full-width ASCII variants (`８０％`, `，`) to ASCII and trims ordinary and ideographic
/// spaces, the way a person means a spreadsheet cell.
pub(crate) fn fold_cell(s: &str) -> Cow<'_, str> {
    let foldable = |c: char| c == '\u{3000}' || ('\u{FF01}'..='\u{FF5E}').contains(&c);
    // Most cells have nothing to fold: the cell itself, trimmed, with no copy. Every character
    // folded starts with byte E3 (U+3000) or EF (U+FF01–U+FF5E) in UTF-8: a cell without either
    // byte is not decoded at all.
    if !s.bytes().any(|b| b == 0xE3 || b == 0xEF) || !s.chars().any(foldable) {
        return Cow::Borrowed(s.trim());
    }
    let folded: String = s
        .chars()
        .map(|c| match c {
            '\u{3000}' => ' ',
            '\u{FF01}'..='\u{FF5E}' => char::from_u32(c as u32 - 0xFEE0).unwrap_or(c),
            _ => c,
        })
        .collect();
    Cow::Owned(folded.trim().to_string())
}

/// Whether a cell is empty as a person sees it: [`fold_cell`] would leave nothing (the ideographic
/// space is whitespace too, and no full-width character it folds becomes one).
pub(crate) fn is_blank(s: &str) -> bool {
    s.trim().is_empty()
}

/// The candidates closest to `wanted`, best first, at most `limit`, only reasonably close ones.
pub(crate) fn suggest<'a>(wanted: &str, candidates: impl IntoIterator<Item = &'a str>, limit: usize) -> Vec<&'a str> {
    let len = wanted.chars().count().max(1);
    let mut scored: Vec<(usize, &str)> = candidates
        .into_iter()
        .map(|c| {
            let d = strsim::levenshtein(wanted, c);
            let contains = c.contains(wanted) || wanted.contains(c) || is_subsequence(wanted, c);
            (if contains { d.min(1) } else { d }, c)
        })
        .filter(|(d, c)| *d <= (len.max(c.chars().count()) / 3).max(1))
        .collect();
    scored.sort();
    scored.dedup_by(|a, b| a.1 == b.1);
    scored.into_iter().take(limit).map(|(_, c)| c).collect()
}

/// True when every character of `short` appears in `long`, in order (an abbreviation).
fn is_subsequence(short: &str, long: &str) -> bool {
    let mut rest = long.chars();
    short.chars().count() >= 2 && short.chars().all(|c| rest.any(|l| l == c))
}

/// What makes a spreadsheet run a cell as a formula: `= + - @` and their full-width forms, which
/// Excel and WPS treat the same way.
pub(crate) const FORMULA_STARTS: [char; 8] = ['=', '+', '-', '@', '＝', '＋', '－', '＠'];

/// Rounded to one decimal, the precision every output shows. Judgements never use it.
pub fn round1(v: f64) -> f64 {
    (v * 10.0).round() / 10.0
}

/// A score to two decimals (deductions come in tenths and hundredths of a point).
pub(crate) fn round2(v: f64) -> f64 {
    (v * 100.0).round() / 100.0
}

/// For `#[serde(serialize_with)]`: a score written with two decimals.
pub(crate) fn ser_round2<S: serde::Serializer>(v: &f64, s: S) -> Result<S::Ok, S::Error> {
    s.serialize_f64(round2(*v))
}

/// For `#[serde(serialize_with)]`: an optional score written with two decimals.
pub(crate) fn ser_round2_opt<S: serde::Serializer>(v: &Option<f64>, s: S) -> Result<S::Ok, S::Error> {
    match v {
        Some(v) => s.serialize_some(&round2(*v)),
        None => s.serialize_none(),
    }
}

/// A percentage or gap as written: one decimal at most, `59.5`, `60`.
pub(crate) fn fmt_pct(v: f64) -> String {
    fmt_num(round1(v))
}

/// For `#[serde(serialize_with)]`: a judged value written with one decimal.
pub(crate) fn ser_round1<S: serde::Serializer>(v: &f64, s: S) -> Result<S::Ok, S::Error> {
    s.serialize_f64(round1(*v))
}

/// For `#[serde(serialize_with)]`: an optional judged value written with one decimal.
pub(crate) fn ser_round1_opt<S: serde::Serializer>(v: &Option<f64>, s: S) -> Result<S::Ok, S::Error> {
    match v {
        Some(v) => s.serialize_some(&round1(*v)),
        None => s.serialize_none(),
    }
}

/// "是否为「a」或「b」？" when there are suggestions, otherwise the fallback advice.
pub(crate) fn did_you_mean(close: &[&str], otherwise: &str) -> String {
    if close.is_empty() {
        otherwise.to_string()
    } else {
        let quoted: Vec<String> = close.iter().map(|c| format!("「{c}」")).collect();
        format!("是否为{}？", quoted.join("或"))
    }
}

/// A number as people write it: `129`, `39.1`.
pub fn fmt_num(v: f64) -> String {
    if v.fract() == 0.0 && v.abs() < 1e15 {
        format!("{}", v as i64)
    } else {
        format!("{v}")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn joins_only_between_cjk() {
        assert_eq!(join_cjk_lines("年内建设 和美乡村 129 个"), "年内建设和美乡村 129 个");
        assert_eq!(join_cjk_lines("G109 小峡口"), "G109 小峡口");
    }

    #[test]
    fn folds_full_width() {
        assert_eq!(fold_cell("\u{3000}８０％ "), "80%");
        assert_eq!(fold_cell(" 推进中\t"), "推进中");
        assert_eq!(fold_cell("\u{3000}推进中\u{3000}"), "推进中");
        // The shortcut on bytes E3/EF misses no character: each one folds as a plain mapping would.
        let fold = |c: char| match c {
            '\u{3000}' => ' ',
            '\u{FF01}'..='\u{FF5E}' => char::from_u32(c as u32 - 0xFEE0).unwrap_or(c),
            _ => c,
        };
        for c in (0..0x1_0000).filter_map(char::from_u32) {
            let cell = format!("a{c}b");
            assert_eq!(fold_cell(&cell), format!("a{}b", fold(c)), "U+{:04X}", c as u32);
        }
    }

    #[test]
    fn suggests_close_names() {
        let names = ["市交通运输局", "市水务局", "市商务局"];
        assert_eq!(suggest("市交通局", names, 3), vec!["市交通运输局"]);
        assert_eq!(suggest("市商物局", names, 1), vec!["市商务局"]);
    }
}

/// A character that must not reach a terminal or a document as it is: C0 controls other than tab
/// and line feed, DEL, C1 controls, and the bidirectional overrides and isolates that reorder
/// what is shown (U+202A–U+202E, U+2066–U+2069). A carriage return is one unless a line feed
/// follows it (see [`inert`]).
pub(crate) fn is_unsafe_char(c: char) -> bool {
    matches!(c, '\0'..='\x08' | '\x0b' | '\x0c' | '\x0e'..='\x1f' | '\x7f'..='\u{9f}')
        || matches!(c, '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}')
}

/// Each character of `text` with whether [`inert`] escapes it (a carriage return unless a line
/// feed follows).
fn flagged(text: &str) -> impl Iterator<Item = (char, bool)> + '_ {
    let mut chars = text.chars().peekable();
    std::iter::from_fn(move || {
        let c = chars.next()?;
        Some((c, is_unsafe_char(c) || (c == '\r' && chars.peek() != Some(&'\n'))))
    })
}

/// The first character of `text` that [`inert`] would escape, if any: for the checks.
pub(crate) fn first_unsafe_char(text: &str) -> Option<char> {
    flagged(text).find_map(|(c, bad)| bad.then_some(c))
}

/// `text` with every unsafe character shown as its escape (`\u{1b}`), so that data can neither
/// retitle, clear or recolour a terminal nor reorder or overprint what is shown.
pub(crate) fn inert(text: &str) -> std::borrow::Cow<'_, str> {
    if first_unsafe_char(text).is_none() {
        return std::borrow::Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len() + 8);
    for (c, bad) in flagged(text) {
        if bad {
            out.push_str(&format!("\\u{{{:x}}}", c as u32));
        } else {
            out.push(c);
        }
    }
    std::borrow::Cow::Owned(out)
}

#[cfg(test)]
mod inert_tests {
    #[test]
    fn escapes_what_would_act_on_a_terminal_and_keeps_the_rest() {
        assert_eq!(super::inert("市交通运输局\t60%\n"), "市交通运输局\t60%\n");
        assert_eq!(super::inert("a\u{1b}]0;pwned\u{7}b"), "a\\u{1b}]0;pwned\\u{7}b");
        assert_eq!(super::inert("\u{1b}[2J"), "\\u{1b}[2J");
        assert_eq!(super::inert("进度\r60"), "进度\\u{d}60");
        assert_eq!(super::inert("行一\r\n行二"), "行一\r\n行二");
        assert_eq!(super::inert("abc\u{202e}fed"), "abc\\u{202e}fed");
        assert_eq!(super::inert("\u{85}"), "\\u{85}");
        assert_eq!(super::first_unsafe_char("正常"), None);
    }
}

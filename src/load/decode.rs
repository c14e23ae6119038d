//! Bytes as people's spreadsheet programs save them -> text: UTF-8 (with or without BOM),
//! GBK/GB18030 (Excel's plain "CSV" on Chinese Windows), UTF-16 (Excel's "Unicode text").

use std::borrow::Cow;

use encoding_rs::{GB18030, UTF_16BE, UTF_16LE};

#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Decoded<'a> {
    /// Borrowed from the bytes when they were UTF-8 already.
    pub text: Cow<'a, str>,
    /// `UTF-8`, `UTF-8 BOM`, `GB18030`, `UTF-16LE`, `UTF-16BE`.
    pub encoding: &'static str,
    /// The field separator the encoding and first line imply: tab for "Unicode text", else comma.
    pub delimiter: u8,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum NotText {
    /// A workbook (xlsx/ods are zip files; xls is an OLE compound file) renamed to .csv.
    Workbook,
    /// NUL bytes or undecodable content.
    Binary,
    /// UTF-8 text with bytes that are not UTF-8 from this line on (a cell pasted from a GBK file).
    Mixed { line: usize },
}

pub(crate) fn decode(bytes: &[u8]) -> Result<Decoded<'_>, NotText> {
    if bytes.starts_with(b"PK\x03\x04") || bytes.starts_with(&[0xD0, 0xCF, 0x11, 0xE0]) {
        return Err(NotText::Workbook);
    }
    let (text, encoding) = if let Some(rest) = bytes.strip_prefix(&[0xEF, 0xBB, 0xBF]) {
        (
            Cow::Borrowed(utf8(rest).map_err(|e| mixed_at(rest, e.valid_up_to()))?),
            "UTF-8 BOM",
        )
    } else if let Some(rest) = bytes.strip_prefix(&[0xFF, 0xFE]) {
        (Cow::Owned(decode_with(UTF_16LE, rest)?), "UTF-16LE")
    } else if let Some(rest) = bytes.strip_prefix(&[0xFE, 0xFF]) {
        (Cow::Owned(decode_with(UTF_16BE, rest)?), "UTF-16BE")
    } else {
        match utf8(bytes) {
            Ok(s) => (Cow::Borrowed(s), "UTF-8"),
            // Chinese text read as UTF-8 before the first bad byte: UTF-8 with a foreign cell.
            Err(e) if !bytes[..e.valid_up_to()].is_ascii() => return Err(mixed_at(bytes, e.valid_up_to())),
            Err(_) => (Cow::Owned(decode_with(GB18030, bytes)?), "GB18030"),
        }
    };
    if has_control(&text) {
        return Err(NotText::Binary);
    }
    let first_line = text.lines().next().unwrap_or("");
    let delimiter = if encoding.starts_with("UTF-16") || (first_line.contains('\t') && !first_line.contains(',')) {
        b'\t'
    } else {
        b','
    };
    Ok(Decoded {
        text,
        encoding,
        delimiter,
    })
}

/// The bytes as UTF-8 text, checked with SIMD: Chinese text defeats the standard library's ASCII
/// shortcut, and every byte of every report is checked. Only when they are not UTF-8 does the
/// standard library look again, to say where.
fn utf8(bytes: &[u8]) -> Result<&str, std::str::Utf8Error> {
    simdutf8::basic::from_utf8(bytes).or_else(|_| std::str::from_utf8(bytes))
}

/// A control character other than line breaks and tab (Unicode's Cc: U+0000–U+001F, U+007F–U+009F),
/// looked for in the UTF-8 bytes: C1 controls are encoded as 0xC2 0x80–0x9F.
fn has_control(text: &str) -> bool {
    let bytes = text.as_bytes();
    // A branch-free test of each 64-byte block first (the compiler vectorises it); only a block
    // with a candidate byte is looked at closely.
    let candidate = |b: u8| (b < 0x20) & (b != b'\n') & (b != b'\r') & (b != b'\t') | (b == 0x7F) | (b == 0xC2);
    bytes.chunks(64).enumerate().any(|(k, block)| {
        block.iter().fold(false, |seen, &b| seen | candidate(b))
            && block.iter().enumerate().any(|(i, &b)| {
                // C2 is a control only before 80–9F (C2 B7 is ·).
                candidate(b) && (b != 0xC2 || bytes.get(k * 64 + i + 1).is_some_and(|n| (0x80..=0x9F).contains(n)))
            })
    })
}

fn mixed_at(bytes: &[u8], valid_up_to: usize) -> NotText {
    NotText::Mixed {
        line: 1 + bytes[..valid_up_to].iter().filter(|b| **b == b'\n').count(),
    }
}

fn decode_with(enc: &'static encoding_rs::Encoding, bytes: &[u8]) -> Result<String, NotText> {
    let (text, had_errors) = enc.decode_without_bom_handling(bytes);
    if had_errors {
        Err(NotText::Binary)
    } else {
        Ok(text.into_owned())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_gbk_cell_in_utf8_names_its_line() {
        let mut bytes = "任务编号,本月进展\r\n2,完成\r\n3,".as_bytes().to_vec();
        bytes.extend(GB18030.encode("粘贴的文字").0.iter());
        assert_eq!(decode(&bytes), Err(NotText::Mixed { line: 3 }));
    }

    #[test]
    fn recognises_each_encoding() {
        let gbk = GB18030.encode("任务编号,进度\r\n1,80%\r\n").0.into_owned();
        assert_eq!(decode(&gbk).unwrap().encoding, "GB18030");
        assert_eq!(decode(&gbk).unwrap().text, "任务编号,进度\r\n1,80%\r\n");
        let mut utf16 = vec![0xFF, 0xFE];
        for u in "任务编号\t进度\r\n".encode_utf16() {
            utf16.extend(u.to_le_bytes());
        }
        let d = decode(&utf16).unwrap();
        assert_eq!((d.encoding, d.delimiter), ("UTF-16LE", b'\t'));
        assert_eq!(decode(b"\xEF\xBB\xBFa,b").unwrap().encoding, "UTF-8 BOM");
        assert_eq!(decode(b"PK\x03\x04rest"), Err(NotText::Workbook));
        assert_eq!(decode(b"a,\x00,b"), Err(NotText::Binary));
    }

    #[test]
    fn control_characters_are_found_in_the_bytes_as_unicode_defines_them() {
        for c in (0..0x800u32).filter_map(char::from_u32) {
            let text = format!("任务{c}编号");
            let expected = c.is_control() && !matches!(c, '\n' | '\r' | '\t');
            assert_eq!(has_control(&text), expected, "U+{:04X}", c as u32);
        }
        // Across the edge of a 64-byte block: U+0085 (C2 85) is a control, U+00B7 (C2 B7) is not.
        for pad in 0..130 {
            let at = |c: char| has_control(&format!("{}{c}", "a".repeat(pad)));
            assert!(at('\u{85}') && at('\u{7F}') && at('\u{1}'), "at {pad}");
            assert!(!at('\u{B7}') && !at('\t') && !at('任'), "at {pad}");
        }
    }
}

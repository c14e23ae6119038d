//! Reads the source document's text: its header (number, title, dates) and the table rows with the
//! chapter and section each belongs to.

use chrono::NaiveDate;

use crate::model::{Chapter, Section};

/// What the notice above the table says about the plan.
#[derive(Debug, Clone, Default, PartialEq)]
pub(crate) struct DocMeta {
    pub title: String,
    pub document: String,
    pub issuer: String,
    pub issued: Option<NaiveDate>,
    pub receiver: String,
    /// The plan year, from the title (`…2024年重点任务清单`).
    pub year: Option<i32>,
    /// Day of the month reports are due (`每月5日前`).
    pub due_day: Option<u32>,
    /// The first round's special deadline (`7月10日18时前`): month, day, hour.
    pub first_due: Option<(u32, u32, u32)>,
}

/// One numbered row of the table, its cells after the 序号 cell.
#[derive(Debug, Clone)]
pub(crate) struct RawRow {
    pub line: usize,
    pub id: u32,
    pub cells: Vec<String>,
    pub chapter: u32,
    pub section: u32,
}

#[derive(Debug, Default)]
pub(crate) struct Document {
    pub meta: DocMeta,
    pub outline: Vec<Chapter>,
    pub rows: Vec<RawRow>,
    /// Lines inside the table that are neither headings nor rows (reported, never dropped silently).
    pub stray: Vec<(usize, String)>,
}

pub(crate) fn parse(text: &str) -> Document {
    let mut doc = Document::default();
    let mut in_table = false;
    for (i, raw) in text.lines().enumerate() {
        let line_no = i + 1;
        let line = raw.trim_end_matches('\r');
        let first = line.split('\t').next().unwrap_or("").trim();
        if !in_table {
            header_line(&mut doc.meta, line.trim());
            if first == "序号" {
                in_table = true;
            }
            continue;
        }
        if line.trim().is_empty() {
            continue;
        }
        if let Some((n, title)) = chapter_heading(first) {
            doc.outline.push(Chapter {
                number: n,
                title,
                sections: Vec::new(),
            });
        } else if let Some((n, title)) = section_heading(first) {
            match doc.outline.last_mut() {
                Some(ch) => ch.sections.push(Section { number: n, title }),
                None => doc.stray.push((line_no, line.to_string())),
            }
        } else if let Ok(id) = first.parse::<u32>() {
            let mut cells: Vec<String> = line.split('\t').skip(1).map(|c| c.trim().to_string()).collect();
            while cells.last().is_some_and(String::is_empty) {
                cells.pop();
            }
            let chapter = doc.outline.len() as u32;
            let section = doc.outline.last().map_or(0, |c| c.sections.len() as u32);
            doc.rows.push(RawRow {
                line: line_no,
                id,
                cells,
                chapter,
                section,
            });
        } else if !line.contains('\t') && !doc.rows.is_empty() {
            // The table has ended (distribution list and signature follow).
            break;
        } else {
            doc.stray.push((line_no, line.to_string()));
        }
    }
    doc
}

fn header_line(meta: &mut DocMeta, line: &str) {
    if meta.issuer.is_empty()
        && let Some(issuer) = line.strip_suffix("文件")
    {
        meta.issuer = issuer.trim().to_string();
    }
    if meta.document.is_empty() && line.contains('〔') && line.ends_with('号') && !line.contains(' ') {
        meta.document = line.to_string();
    }
    if meta.title.is_empty()
        && let Some(start) = line.find('《')
        && let Some(len) = line[start..].find('》')
    {
        let title = &line[start + '《'.len_utf8()..start + len];
        if title.ends_with("清单") {
            meta.title = title.to_string();
            meta.year = four_digits_before(title, "年");
        }
    }
    if meta.issued.is_none() {
        meta.issued = chinese_date(line);
    }
    if let Some(pos) = line.find("报送市")
        && meta.receiver.is_empty()
    {
        let rest = &line[pos + "报送".len()..];
        let end = rest.find(['（', '(', '，', '。']).unwrap_or(rest.len());
        meta.receiver = rest[..end].to_string();
    }
    if let Some(pos) = line.find("每月") {
        meta.due_day = meta.due_day.or_else(|| leading_number(&line[pos + "每月".len()..]));
    }
    if let Some(pos) = line.find("本月工作进展于") {
        let rest = &line[pos + "本月工作进展于".len()..];
        let month = leading_number(rest);
        let day = rest
            .find('月')
            .and_then(|p| leading_number(&rest[p + '月'.len_utf8()..]));
        let hour = rest
            .find('日')
            .and_then(|p| leading_number(&rest[p + '日'.len_utf8()..]));
        if let (Some(m), Some(d), Some(h)) = (month, day, hour) {
            meta.first_due = Some((m, d, h));
        }
    }
}

/// `2024年7月9日` alone on a line.
fn chinese_date(line: &str) -> Option<NaiveDate> {
    let (y, rest) = line.split_once('年')?;
    let (m, rest) = rest.split_once('月')?;
    let d = rest.strip_suffix('日')?;
    NaiveDate::from_ymd_opt(y.parse().ok()?, m.parse().ok()?, d.parse().ok()?)
}

fn leading_number(s: &str) -> Option<u32> {
    let digits: String = s.trim_start().chars().take_while(char::is_ascii_digit).collect();
    digits.parse().ok()
}

fn four_digits_before(s: &str, marker: &str) -> Option<i32> {
    let pos = s.find(marker)?;
    let digits: String = s[..pos]
        .trim_end()
        .chars()
        .rev()
        .take_while(char::is_ascii_digit)
        .collect();
    (digits.len() == 4)
        .then(|| digits.chars().rev().collect::<String>().parse().ok())
        .flatten()
}

pub(crate) fn chinese_number(s: &str) -> Option<u32> {
    const DIGITS: &str = "一二三四五六七八九";
    let digit = |c: char| DIGITS.chars().position(|d| d == c).map(|p| p as u32 + 1);
    let chars: Vec<char> = s.chars().collect();
    match chars.as_slice() {
        [c] if *c == '十' => Some(10),
        [c] => digit(*c),
        ['十', u] => Some(10 + digit(*u)?),
        [t, '十'] => Some(digit(*t)? * 10),
        [t, '十', u] => Some(digit(*t)? * 10 + digit(*u)?),
        _ => None,
    }
}

/// `一、构建……` -> (1, "构建……").
fn chapter_heading(cell: &str) -> Option<(u32, String)> {
    let (num, title) = cell.split_once('、')?;
    Some((chinese_number(num)?, crate::text::join_cjk_lines(title)))
}

/// `(一) 全面落实……` or `（一）全面落实……` -> (1, "全面落实……").
fn section_heading(cell: &str) -> Option<(u32, String)> {
    let rest = cell.strip_prefix('(').or_else(|| cell.strip_prefix('（'))?;
    let end = rest.find([')', '）'])?;
    let num = chinese_number(&rest[..end])?;
    let close = rest[end..].chars().next()?.len_utf8();
    Some((num, crate::text::join_cjk_lines(&rest[end + close..])))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_headings_and_numbers() {
        assert_eq!(chinese_number("十二"), Some(12));
        assert_eq!(
            section_heading("（三）共构韧性安全能源体系"),
            Some((3, "共构韧性安全能源体系".into()))
        );
        assert_eq!(
            section_heading("(四) 增强区域防灾减灾救灾能力"),
            Some((4, "增强区域防灾减灾救灾能力".into()))
        );
        assert_eq!(
            chapter_heading("八、扩大高水平开放合作"),
            Some((8, "扩大高水平开放合作".into()))
        );
    }
}

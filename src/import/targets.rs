//! Numeric annual targets read from a work item: `改造城镇老旧小区 2000 套`, with per-unit splits
//! such as `其中：乐都区 10 个、平安区 5 个`.

use crate::model::Units;

/// Measure words that make a number a countable target, longest first.
const MEASURES: &[&str] = &[
    "平方公里",
    "平方千米",
    "亿立方米",
    "平方米",
    "万头只",
    "万亩",
    "万吨",
    "万株",
    "亿元",
    "万元",
    "公里",
    "场次",
    "兆瓦",
    "亩",
    "吨",
    "株",
    "个",
    "座",
    "套",
    "项",
    "家",
    "名",
    "次",
    "期",
    "支",
    "处",
    "对",
    "所",
    "条",
    "辆",
    "份",
];
const DELIMS: &[char] = &['，', '。', '；', '：', '、', ',', ';', ':', '（', '(', '）', ')'];
const LEADING_FILLER: &[&str] = &[
    "年内", "全年", "力争", "确保", "争取", "累计", "完成", "实施", "开展", "实现", "推进", "加快", "积极", "其中",
    "共",
];
const TRAILING_FILLER: &[&str] = &[
    "不少于",
    "达到",
    "发展至",
    "至少",
    "超过",
    "数量",
    "总数",
    "以上",
    "左右",
    "全年",
    "达",
    "至",
    "为",
    "约",
    "共",
];
const AFTER_FILLER: &[&str] = &["以上", "左右", "以内"];

#[derive(Debug, Clone, PartialEq)]
pub(crate) struct ParsedTarget {
    pub metric: String,
    pub value: f64,
    pub unit: String,
    /// (canonical unit name, value) in the order the text gives them.
    pub breakdown: Vec<(String, f64)>,
}

pub(crate) fn extract(work: &str, units: &Units) -> Vec<ParsedTarget> {
    let chars: Vec<char> = work.chars().collect();
    let mut out: Vec<ParsedTarget> = Vec::new();
    let mut i = 0;
    while i < chars.len() {
        if !chars[i].is_ascii_digit() {
            i += 1;
            continue;
        }
        let start = i;
        while i < chars.len() && (chars[i].is_ascii_digit() || chars[i] == '.') {
            i += 1;
        }
        let number: String = chars[start..i].iter().collect();
        let prev = prev_non_space(&chars, start);
        if prev.is_some_and(|c| c.is_ascii_alphanumeric() || "-—–～~.".contains(c)) {
            continue;
        }
        let mut j = skip_spaces(&chars, i);
        if chars.get(j).is_some_and(|c| "-—–～~".contains(*c)) {
            continue; // a range such as 1-2 家: not one target
        }
        if chars.get(j) == Some(&'余') {
            j += 1;
        }
        let rest: String = chars[j..].iter().collect();
        let Some(measure) = MEASURES.iter().find(|m| rest.starts_with(**m)) else {
            continue;
        };
        let Ok(value) = number.parse::<f64>() else { continue };
        let after_start = j + measure.chars().count();
        if *measure == "个" && chars.get(after_start) == Some(&'月') {
            continue; // 6 个月 is a duration, not a count
        }
        let before = clause_before(&chars, start);
        if before.contains("年产") || before.ends_with("投资") || before.contains('每') || before.ends_with('第')
        {
            continue;
        }
        let owner = strip(&before, &["其中"], &[]);
        if let Some(unit) = units.unit_by_name(&owner)
            && let Some(total) = out.iter_mut().rev().find(|t| t.unit == *measure)
        {
            total.breakdown.push((unit.name.clone(), value));
            i = after_start;
            continue;
        }
        let after = clause_after(&chars, after_start);
        let metric = if after.is_empty() {
            strip(&before, LEADING_FILLER, TRAILING_FILLER)
        } else {
            after
        };
        if !metric.is_empty() {
            out.push(ParsedTarget {
                metric,
                value,
                unit: measure.to_string(),
                breakdown: Vec::new(),
            });
        }
        i = after_start;
    }
    out
}

fn prev_non_space(chars: &[char], at: usize) -> Option<char> {
    chars[..at].iter().rev().find(|c| !c.is_whitespace()).copied()
}

fn skip_spaces(chars: &[char], mut at: usize) -> usize {
    while chars.get(at).is_some_and(|c| c.is_whitespace()) {
        at += 1;
    }
    at
}

fn clause_before(chars: &[char], end: usize) -> String {
    let start = chars[..end]
        .iter()
        .rposition(|c| DELIMS.contains(c))
        .map_or(0, |p| p + 1);
    chars[start..end].iter().collect::<String>().trim().to_string()
}

fn clause_after(chars: &[char], start: usize) -> String {
    let end = chars[start..]
        .iter()
        .position(|c| DELIMS.contains(c))
        .map_or(chars.len(), |p| start + p);
    let text: String = chars[start..end].iter().collect();
    strip(text.trim(), AFTER_FILLER, &[])
}

/// Removes filler words from both ends, repeatedly.
fn strip(s: &str, leading: &[&str], trailing: &[&str]) -> String {
    let mut s = s.trim();
    loop {
        let before = s;
        for w in leading {
            s = s.strip_prefix(w).unwrap_or(s).trim_start();
        }
        for w in trailing {
            s = s.strip_suffix(w).unwrap_or(s).trim_end();
        }
        if s == before {
            return s.to_string();
        }
    }
}

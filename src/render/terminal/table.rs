//! Terminal tables: Chinese aligned by display width, box or ASCII style, fitted to `--width` or
//! the terminal (a pipe gets the full width), colour only when asked.

use anstyle::{AnsiColor, Style};
use comfy_table::{Cell, ContentArrangement, Table, presets};

use crate::assess::{Assessment, Submission};
use crate::render::terminal::fit;
use crate::text::width;

#[derive(Debug, Clone, Copy, Default)]
pub(crate) struct TableOpts {
    /// `--width`, or the terminal's width when stdout is one; None: as wide as the content.
    pub width: Option<u16>,
    pub ascii: bool,
    pub color: bool,
}

/// How a column gives way when the table is too wide.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Fit {
    /// Never split (numbers, percentages, dates, short labels).
    Keep,
    /// One line, cut with "…", down to this many columns.
    Truncate(usize),
    /// Wrapped by the Chinese line-breaking rules, down to this many columns.
    Wrap(usize),
    /// Unit names separated by 、: never cut inside a name, wrapped between names, and giving way
    /// after every other column; narrower than its widest name, each name is shown as its id
    /// (see [`Grid::ids`]).
    Names,
}

/// A table column: its header, how it fits, and whether it may be left out when it holds nothing
/// but blanks and zeros and the table is too wide.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Col<'a> {
    pub header: &'a str,
    pub fit: Fit,
    pub droppable: bool,
    /// Left out, content and all, before any other column is shrunk.
    pub expendable: bool,
    /// A shorter header for the compact layout.
    pub short: Option<&'a str>,
    /// A truncated column gives way first, but only down to this width; below it, wrapped text
    /// gives way before it does (a name cut to two characters names nobody).
    pub prefer: usize,
}

pub(crate) const fn keep(header: &str) -> Col<'_> {
    Col {
        header,
        fit: Fit::Keep,
        droppable: false,
        expendable: false,
        short: None,
        prefer: 0,
    }
}

pub(crate) const fn truncate(header: &str, min: usize) -> Col<'_> {
    Col {
        header,
        fit: Fit::Truncate(min),
        droppable: false,
        expendable: false,
        short: None,
        prefer: 0,
    }
}

pub(crate) const fn names(header: &str) -> Col<'_> {
    Col {
        header,
        fit: Fit::Names,
        droppable: false,
        expendable: false,
        short: None,
        prefer: 0,
    }
}

pub(crate) const fn wrap(header: &str, min: usize) -> Col<'_> {
    Col {
        header,
        fit: Fit::Wrap(min),
        droppable: false,
        expendable: false,
        short: None,
        prefer: 0,
    }
}

impl<'a> Col<'a> {
    pub(crate) const fn short(mut self, header: &'a str) -> Self {
        self.short = Some(header);
        self
    }

    fn header(&self, compact: bool) -> &'a str {
        match (compact, self.short) {
            (true, Some(s)) => s,
            _ => self.header,
        }
    }

    pub(crate) const fn prefer(mut self, width: usize) -> Self {
        self.prefer = width;
        self
    }

    pub(crate) const fn droppable(mut self) -> Self {
        self.droppable = true;
        self
    }

    pub(crate) const fn expendable(mut self) -> Self {
        self.expendable = true;
        self
    }
}

/// A cell's text and colour.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(crate) struct Text {
    pub text: String,
    pub style: Option<Style>,
}

/// Every cell's text is made inert here: no data reaches the terminal as control characters.
impl<T: Into<String>> From<T> for Text {
    fn from(text: T) -> Text {
        let text: String = text.into();
        let text = match crate::text::first_unsafe_char(&text) {
            None => text,
            Some(_) => crate::text::inert(&text).into_owned(),
        };
        Text { text, style: None }
    }
}

/// A table laid out for a width: columns give way by their [`Fit`], blank optional columns go
/// first, Chinese text wraps by the rules, and colour comes from anstyle.
pub(crate) struct Grid<'a> {
    opts: TableOpts,
    cols: Vec<Col<'a>>,
    rows: Vec<Vec<Text>>,
    /// Unit name -> id, for [`Fit::Names`] columns narrower than a name.
    ids: std::collections::HashMap<String, String>,
}

/// Border and padding columns per table column: boxed `│ x ┆` (3 a column and the closing border),
/// or compact, a space between columns (the style when a boxed table cannot fit).
fn overhead(columns: usize, compact: bool) -> usize {
    if compact { columns } else { 3 * columns + 1 }
}

impl<'a> Grid<'a> {
    pub(crate) fn new(opts: &TableOpts, cols: &[Col<'a>]) -> Grid<'a> {
        Grid {
            opts: *opts,
            cols: cols.to_vec(),
            rows: Vec::new(),
            ids: std::collections::HashMap::new(),
        }
    }

    /// The ids a [`Fit::Names`] column shows when it is narrower than a name.
    pub(crate) fn ids(&mut self, ids: impl IntoIterator<Item = (String, String)>) {
        self.ids.extend(ids);
    }

    /// Which columns of names are narrower than their widest name (so show ids), by `floors`.
    fn as_ids(&self, widths: &[Option<usize>], floors: &[(usize, usize)]) -> Vec<bool> {
        (0..self.cols.len())
            .map(|i| self.cols[i].fit == Fit::Names && widths[i].is_some_and(|w| w < floors[i].0))
            .collect()
    }

    /// The widest name, and the widest id, of each column of names (zeros for other columns).
    fn name_floors(&self) -> Vec<(usize, usize)> {
        (0..self.cols.len())
            .map(|c| match self.cols[c].fit {
                Fit::Names => (self.widest_name(c, false), self.widest_name(c, true)),
                _ => (0, 0),
            })
            .collect()
    }

    /// The widest single name in a column, or (`ids`) the widest of their ids.
    fn widest_name(&self, col: usize, ids: bool) -> usize {
        let cells = self.rows.iter().filter_map(|r| r.get(col));
        cells
            .flat_map(|c| c.text.split(['、', '\n']).map(|n| n.to_string()).collect::<Vec<_>>())
            .map(|n| if ids { self.ids.get(&n).cloned().unwrap_or(n) } else { n })
            .map(|n| width(&n))
            .max()
            .unwrap_or(0)
    }

    pub(crate) fn row(&mut self, cells: Vec<Text>) {
        self.rows.push(cells);
    }

    /// The widest each column needs.
    fn natural(&self, col: usize, compact: bool) -> usize {
        let cells = self.rows.iter().filter_map(|r| r.get(col));
        cells
            .flat_map(|c| c.text.lines().map(width).collect::<Vec<_>>())
            .chain([width(self.cols[col].header(compact))])
            .max()
            .unwrap_or(0)
    }

    fn blank(&self, col: usize) -> bool {
        self.rows.iter().all(|r| {
            r.get(col)
                .is_none_or(|c| c.text.trim().is_empty() || c.text.trim() == "0")
        })
    }

    /// The width the table takes with nothing shrunk, boxed.
    pub(crate) fn natural_width(&self) -> usize {
        (0..self.cols.len()).map(|c| self.natural(c, false)).sum::<usize>() + overhead(self.cols.len(), false)
    }

    /// Column widths for `max` columns of terminal (None: a column left out); `floors` from
    /// [`Grid::name_floors`].
    fn layout(&self, max: Option<usize>, compact: bool, floors: &[(usize, usize)]) -> Vec<Option<usize>> {
        let mut widths: Vec<Option<usize>> = (0..self.cols.len()).map(|c| Some(self.natural(c, compact))).collect();
        let Some(max) = max else { return widths };
        let total = |w: &[Option<usize>]| {
            let shown: Vec<usize> = w.iter().flatten().copied().collect();
            shown.iter().sum::<usize>() + overhead(shown.len(), compact)
        };
        for c in (0..self.cols.len()).rev() {
            if total(&widths) > max && self.cols[c].droppable && self.blank(c) {
                widths[c] = None;
            }
        }
        for c in (0..self.cols.len()).rev() {
            if total(&widths) > max && self.cols[c].expendable {
                widths[c] = None;
            }
        }
        while total(&widths) > max {
            // Names that can end in "…" give way first (down to their preferred width), then
            // wrapped text, then names again down to their minimum; the widest first.
            let shrinkable = (0..self.cols.len())
                .filter_map(|c| {
                    let w = widths[c]?;
                    let col = &self.cols[c];
                    let floor = |min: usize| min.max(width(col.header(compact)));
                    let stage = match col.fit {
                        Fit::Keep => return None,
                        Fit::Truncate(m) if w > floor(m.max(col.prefer)) => 4,
                        Fit::Wrap(m) if w > floor(m) => 3,
                        Fit::Truncate(m) if w > floor(m) => 2,
                        Fit::Names if w > floor(floors[c].0) => 1,
                        Fit::Names if w > floor(floors[c].1) => 0,
                        _ => return None,
                    };
                    Some((stage, w, c))
                })
                .max();
            match shrinkable {
                Some((_, _, c)) => widths[c] = widths[c].map(|w| w - 1),
                None => break, // as narrow as it gets
            }
        }
        widths
    }

    pub(crate) fn render(&self) -> String {
        let max = self.opts.width.map(usize::from);
        let floors = self.name_floors();
        let mut widths = self.layout(max, false, &floors);
        let used = |w: &[Option<usize>], compact| {
            w.iter().flatten().sum::<usize>() + overhead(w.iter().flatten().count(), compact)
        };
        // Compact (no borders) when a boxed table cannot fit, or could fit only by showing ids for
        // names that the compact layout keeps.
        let shows_ids = |w: &[Option<usize>]| self.as_ids(w, &floors).contains(&true);
        let mut compact = max.is_some_and(|m| used(&widths, false) > m);
        if compact || shows_ids(&widths) {
            let tight = self.layout(max, true, &floors);
            if compact || !shows_ids(&tight) {
                (widths, compact) = (tight, true);
            }
        }
        let mut t = Table::new();
        t.load_style(match (compact, self.opts.ascii) {
            (true, _) => presets::NOTHING,
            (false, true) => presets::ASCII_FULL_CONDENSED,
            (false, false) => presets::UTF8_FULL_CONDENSED,
        });
        t.set_content_arrangement(ContentArrangement::Disabled).force_no_tty();
        let shown = |i: usize| widths[i].is_some();
        // A column of names narrower than its widest name shows every unit by id, not some.
        let as_ids = self.as_ids(&widths, &floors);
        t.set_header(
            (0..self.cols.len())
                .filter(|i| shown(*i))
                .map(|i| Cell::new(self.cols[i].header(compact))),
        );
        for row in &self.rows {
            t.add_row(
                row.iter()
                    .enumerate()
                    .filter(|(i, _)| shown(*i))
                    .map(|(i, cell)| Cell::new(self.cell(cell, self.cols[i].fit, widths[i].unwrap_or(0), as_ids[i]))),
            );
        }
        if compact {
            for column in t.column_iter_mut() {
                column.set_padding((0, 1));
            }
        }
        let text = t.to_string();
        // Compact rows end with the padding space; a line must not end in blanks.
        let mut lines: Vec<&str> = text.lines().map(str::trim_end).collect();
        let note = as_ids
            .iter()
            .any(|x| *x)
            .then_some("注：终端较窄，单位以编号显示（编号见 units.toml）");
        lines.extend(note);
        lines.join("\n")
    }

    fn cell(&self, cell: &Text, fit: Fit, w: usize, as_ids: bool) -> String {
        let lines: Vec<String> = match fit {
            Fit::Keep => cell.text.lines().map(str::to_string).collect(),
            Fit::Truncate(_) => vec![fit::truncate(&cell.text, w)],
            Fit::Wrap(_) => fit::wrap(&cell.text, w),
            Fit::Names => self.names(&cell.text, w, as_ids),
        };
        match (cell.style, self.opts.color) {
            (Some(style), true) => lines
                .iter()
                .map(|l| format!("{style}{l}{style:#}"))
                .collect::<Vec<_>>()
                .join("\n"),
            _ => lines.join("\n"),
        }
    }
}

impl Grid<'_> {
    /// Names packed into lines of `w` columns, broken only between names; as ids when a name is
    /// wider than that.
    fn names(&self, text: &str, w: usize, as_ids: bool) -> Vec<String> {
        let names: Vec<&str> = text.split(['、', '\n']).filter(|n| !n.is_empty()).collect();
        let shown: Vec<String> = names
            .iter()
            .map(|n| match self.ids.get(*n) {
                Some(id) if as_ids => id.clone(),
                _ => n.to_string(),
            })
            .collect();
        let mut lines: Vec<String> = Vec::new();
        for n in shown {
            match lines.last_mut() {
                Some(line) if width(line) + 2 + width(&n) <= w => {
                    line.push('、');
                    line.push_str(&n);
                }
                _ => lines.push(n),
            }
        }
        if lines.is_empty() {
            lines.push(String::new());
        }
        lines
    }
}

pub(crate) fn style(color: AnsiColor) -> Style {
    Style::new().fg_color(Some(color.into()))
}

/// The colour people expect for an assessment: 红灯 red, 黄灯 yellow, 已完成/超进度 green; and
/// each of the other alarms its own: 受阻 magenta, 未报送 grey, 报送有误 blue (see [`LEGEND`]).
pub(crate) fn assessment_style(a: Assessment) -> Option<Style> {
    match a {
        Assessment::Done | Assessment::Ahead => Some(style(AnsiColor::Green)),
        Assessment::BehindYellow => Some(style(AnsiColor::Yellow)),
        Assessment::BehindRed => Some(style(AnsiColor::Red)),
        Assessment::Blocked => Some(style(AnsiColor::Magenta)),
        Assessment::Missing => Some(style(AnsiColor::BrightBlack)),
        Assessment::Invalid => Some(style(AnsiColor::Blue)),
        Assessment::OnPace | Assessment::NotStarted | Assessment::Pending => None,
    }
}

/// What the colours of assessments mean, under a coloured table.
pub(crate) const LEGEND: &str = "颜色：绿 已完成/超进度，黄 黄灯，红 红灯，紫 受阻，灰 未报送，蓝 报送有误";

/// What the colours of submissions mean, under a coloured table.
pub(crate) const SUBMISSION_LEGEND: &str = "颜色：绿 按时，黄 逾期/不完整，灰 未报送，蓝 有错误";

pub(crate) fn assessment_cell(a: Assessment) -> Text {
    Text {
        text: a.label().to_string(),
        style: assessment_style(a),
    }
}

pub(crate) fn submission_cell(text: String, s: Submission) -> Text {
    let style = match s {
        Submission::OnTime => Some(style(AnsiColor::Green)),
        Submission::Late | Submission::Incomplete => Some(style(AnsiColor::Yellow)),
        Submission::Missing => Some(style(AnsiColor::BrightBlack)),
        Submission::Invalid => Some(style(AnsiColor::Blue)),
        Submission::Pending => None,
    };
    Text { text, style }
}

pub(crate) fn pct(v: Option<f64>) -> String {
    v.map_or_else(|| "—".to_string(), |p| format!("{}%", crate::text::fmt_pct(p)))
}

/// A ten-step bar for progress: `██████░░░░`.
pub(crate) fn bar(progress: Option<f64>, ascii: bool) -> String {
    let Some(p) = progress else { return String::new() };
    let filled = ((p / 10.0).round() as usize).min(10);
    let (on, off) = if ascii { ('#', '.') } else { ('█', '░') };
    std::iter::repeat_n(on, filled)
        .chain(std::iter::repeat_n(off, 10 - filled))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn layout(max: usize) -> Vec<Option<usize>> {
        let opts = TableOpts {
            width: None,
            ascii: false,
            color: false,
        };
        let cols = [truncate("单位", 6).prefer(10), wrap("说明", 12)];
        let mut grid = Grid::new(&opts, &cols);
        grid.row(vec![
            "市自然资源规划局".into(),
            "进度 30%，序时进度 68%，落后 38 个百分点".into(),
        ]);
        grid.layout(Some(max), true, &grid.name_floors())
    }

    #[test]
    fn a_name_gives_way_to_its_preferred_width_then_text_then_the_name_again() {
        // Natural: 16 + 40 and 2 columns of compact overhead.
        assert_eq!(
            layout(40),
            [Some(10), Some(28)],
            "the name stops at 10 while the text gives way"
        );
        assert_eq!(layout(24), [Some(10), Some(12)], "the text down to its minimum");
        assert_eq!(layout(20), [Some(6), Some(12)], "then the name down to its own");
    }
}

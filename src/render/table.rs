//! Terminal tables: Chinese aligned by display width, box or ASCII style, width from `--width` or
//! the terminal, no wrapping when piped, colour only when asked.

use comfy_table::{Cell, Color, ContentArrangement, Table, presets};

use crate::assess::{Assessment, Submission};

#[derive(Debug, Clone, Copy, Default)]
pub struct TableOpts {
    /// `--width`; otherwise the terminal's width when stdout is one.
    pub width: Option<u16>,
    pub terminal: bool,
    pub ascii: bool,
    pub color: bool,
}

pub fn new(opts: &TableOpts, header: &[&str]) -> Table {
    let mut t = Table::new();
    t.load_style(if opts.ascii {
        presets::ASCII_FULL_CONDENSED
    } else {
        presets::UTF8_FULL_CONDENSED
    });
    match (opts.width, opts.terminal) {
        (Some(w), _) => {
            t.set_width(w).set_content_arrangement(ContentArrangement::Dynamic);
        }
        (None, true) => {
            t.set_content_arrangement(ContentArrangement::Dynamic);
        }
        (None, false) => {
            t.set_content_arrangement(ContentArrangement::Disabled);
        }
    }
    if opts.color {
        t.enforce_styling();
    } else {
        // Also stops comfy-table from asking the terminal for its width: --width or nothing.
        t.force_no_tty();
    }
    t.set_header(header.iter().map(Cell::new));
    t
}

pub fn assessment_cell(a: Assessment, opts: &TableOpts) -> Cell {
    let cell = Cell::new(a.label());
    if !opts.color {
        return cell;
    }
    cell.fg(match a {
        Assessment::Done | Assessment::Ahead => Color::Green,
        Assessment::OnPace | Assessment::NotStarted => Color::Reset,
        Assessment::BehindYellow => Color::Yellow,
        Assessment::BehindRed | Assessment::Missing | Assessment::Invalid | Assessment::Blocked => Color::Red,
        Assessment::Pending => Color::Reset,
    })
}

pub fn submission_cell(text: String, s: Submission, opts: &TableOpts) -> Cell {
    let cell = Cell::new(text);
    if !opts.color {
        return cell;
    }
    cell.fg(match s {
        Submission::OnTime => Color::Green,
        Submission::Late | Submission::Incomplete => Color::Yellow,
        Submission::Missing | Submission::Invalid => Color::Red,
        Submission::Pending => Color::Reset,
    })
}

pub fn pct(v: Option<f64>) -> String {
    v.map_or_else(|| "—".to_string(), |p| format!("{}%", crate::text::fmt_pct(p)))
}

/// A ten-step bar for progress: `██████░░░░`.
pub fn bar(progress: Option<f64>, ascii: bool) -> String {
    let Some(p) = progress else { return String::new() };
    let filled = ((p / 10.0).round() as usize).min(10);
    let (on, off) = if ascii { ('#', '.') } else { ('█', '░') };
    std::iter::repeat_n(on, filled)
        .chain(std::iter::repeat_n(off, 10 - filled))
        .collect()
}

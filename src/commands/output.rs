//! One output path for every command: a result says how it is written as a table, CSV and JSON
//! ([`Emit`]), and [`emit`] chooses once, from `--format`, which of them goes to standard output
//! (ripgrep chooses its printer once in the same way).

use std::io::Write;

use anyhow::{Result, bail};

use super::Context;
use crate::cli::{DiagFormat, OutputFormat, RemindFormat, ShowFormat, TableArgs};
use crate::render::terminal::table::TableOpts;

/// How a command's result is written in each format it offers. A format a command does not offer
/// on its command line is never asked for; the default says so rather than write nothing.
pub(crate) trait Emit {
    /// For people: a table (or text) fitted to `opts.width`.
    fn table(&self, out: &mut dyn Write, opts: &TableOpts) -> Result<()>;
    fn csv(&self, _out: &mut dyn Write) -> Result<()> {
        bail!("此命令没有 CSV 格式")
    }
    fn json(&self, _out: &mut dyn Write) -> Result<()> {
        bail!("此命令没有 JSON 格式")
    }
}

/// The three ways a result can be written.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Format {
    Table,
    Csv,
    Json,
}

impl From<OutputFormat> for Format {
    fn from(f: OutputFormat) -> Format {
        match f {
            OutputFormat::Table => Format::Table,
            OutputFormat::Csv => Format::Csv,
            OutputFormat::Json => Format::Json,
        }
    }
}

impl From<ShowFormat> for Format {
    fn from(f: ShowFormat) -> Format {
        match f {
            ShowFormat::Table => Format::Table,
            ShowFormat::Json => Format::Json,
        }
    }
}

impl From<DiagFormat> for Format {
    fn from(f: DiagFormat) -> Format {
        match f {
            DiagFormat::Text => Format::Table,
            DiagFormat::Json => Format::Json,
        }
    }
}

impl From<RemindFormat> for Format {
    fn from(f: RemindFormat) -> Format {
        match f {
            RemindFormat::Text => Format::Table,
            RemindFormat::Csv => Format::Csv,
            RemindFormat::Json => Format::Json,
        }
    }
}

/// Writes `result` to standard output in `format`. A table follows `table` (`--width`, `--style`):
/// lines wider than the width are wrapped; text with no table options is written as it is.
pub(crate) fn emit(
    ctx: &Context,
    format: impl Into<Format>,
    table: Option<&TableArgs>,
    result: &dyn Emit,
) -> Result<()> {
    let mut out = stdout();
    match format.into() {
        Format::Table => {
            let opts = table.map(|t| table_opts(ctx, t)).unwrap_or_default();
            let mut fitted = fitted(&mut out, opts.width);
            result.table(&mut fitted, &opts)?;
            fitted.flush()?;
        }
        Format::Csv => result.csv(&mut out)?,
        Format::Json => result.json(&mut out)?,
    }
    out.flush()?;
    Ok(())
}

/// The table options the command line and the terminal give.
pub(crate) fn table_opts(ctx: &Context, output: &TableArgs) -> TableOpts {
    TableOpts {
        // A pipe gets the full width; a terminal its own.
        width: output
            .width
            .or_else(|| ctx.terminal.then(|| comfy_table::Table::new().width()).flatten()),
        ascii: output.style == crate::cli::TableStyleArg::Ascii,
        color: ctx.color,
    }
}

/// Standard output, buffered: it is line-buffered on its own, and a province's JSON has hundreds
/// of thousands of lines. Callers flush it before they return, so a write error is not lost.
pub(crate) fn stdout() -> std::io::BufWriter<std::io::StdoutLock<'static>> {
    std::io::BufWriter::with_capacity(1 << 16, std::io::stdout().lock())
}

/// Standard output for a table: lines wider than the table width are wrapped (a pipe without
/// `--width` gets everything as it is).
pub(crate) fn fitted<'a>(out: &'a mut dyn Write, width: Option<u16>) -> Box<dyn Write + 'a> {
    match width {
        Some(w) => Box::new(crate::render::terminal::fit::LineWrap::new(out, w)),
        None => Box::new(out),
    }
}

//! Diagnostics as text (with the source line and carets placed by display width) or JSON.

use std::collections::BTreeMap;
use std::io::{self, Write};

use anstyle::{AnsiColor, Style};
use serde::Serialize;

use crate::diagnostic::Source;
use crate::diagnostic::{Diagnostic, Severity};
use crate::text::inert;
use crate::text::width;

pub(crate) fn text(
    out: &mut dyn Write,
    diags: &[Diagnostic],
    sources: &BTreeMap<String, Source>,
    color: bool,
) -> io::Result<()> {
    for d in diags {
        let place = match (d.line, d.column) {
            (0, _) => d.file.clone(),
            (l, 0) => format!("{}:{l}", d.file),
            (l, c) => format!("{}:{l}:{c}", d.file),
        };
        // Errors red, warnings yellow: anstyle's basic ANSI colours, bold.
        let style = match (color, d.severity) {
            (false, _) => Style::new(),
            (true, Severity::Error) => Style::new().bold().fg_color(Some(AnsiColor::Red.into())),
            (true, Severity::Warning) => Style::new().bold().fg_color(Some(AnsiColor::Yellow.into())),
        };
        let (on, off) = (style.render(), style.render_reset());
        writeln!(
            out,
            "{}: {on}{}[{}]{off}: {}",
            inert(&place),
            d.severity.label(),
            d.rule,
            inert(&d.message)
        )?;
        // A source line gets carets under the column; a given snippet (a CSV cell) is shown as is.
        let from_source = d.snippet.is_none();
        let snippet = d
            .snippet
            .as_deref()
            .or_else(|| sources.get(&d.file).and_then(|s| s.line_text(d.line)));
        if let (Some(line_text), true) = (snippet, d.line > 0) {
            let num = d.line.to_string();
            let pad = " ".repeat(num.len());
            let shown = inert(&line_text.replace('\t', " ")).into_owned();
            writeln!(out, "{pad} |")?;
            writeln!(out, "{num} | {shown}")?;
            if d.column > 0 && from_source {
                let before: String = shown.chars().take(d.column - 1).collect();
                let under: String = shown.chars().skip(d.column - 1).take(d.width.max(1)).collect();
                let carets = "^".repeat(width(&under).max(1));
                writeln!(out, "{pad} | {}{on}{carets}{off}", " ".repeat(width(&before)))?;
            }
        }
        if let Some(h) = &d.hint {
            writeln!(out, "  = 提示: {}", inert(h))?;
        }
    }
    Ok(())
}

pub(crate) fn summary(out: &mut dyn Write, diags: &[Diagnostic], what: &str) -> io::Result<()> {
    let (errors, warnings) = counts(diags);
    if errors == 0 && warnings == 0 {
        writeln!(out, "检查通过：{what}，没有发现问题。")
    } else {
        writeln!(out, "发现 {errors} 个错误、{warnings} 个警告（{what}）。")
    }
}

pub(crate) fn counts(diags: &[Diagnostic]) -> (usize, usize) {
    let errors = diags.iter().filter(|d| d.is_error()).count();
    (errors, diags.len() - errors)
}

#[derive(Serialize)]
struct JsonReport<'a> {
    errors: usize,
    warnings: usize,
    diagnostics: &'a [Diagnostic],
}

pub(crate) fn json(out: &mut dyn Write, diags: &[Diagnostic]) -> io::Result<()> {
    let (errors, warnings) = counts(diags);
    serde_json::to_writer_pretty(
        &mut *out,
        &JsonReport {
            errors,
            warnings,
            diagnostics: diags,
        },
    )?;
    writeln!(out)
}

//! A diagnostic: where (file, line, column), what (rule, message) and how to fix it (hint). A leaf
//! module: loading, the ledger and the checks all produce diagnostics; none of them owns the type.

mod bounded;
mod rule;
mod source;

pub(crate) use bounded::Bounded;

pub(crate) use rule::Rule;
pub use source::Source;

use serde::Serialize;

use crate::text::clip;

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    Error,
    Warning,
}

impl Severity {
    pub(crate) fn label(self) -> &'static str {
        match self {
            Severity::Error => "error",
            Severity::Warning => "warning",
        }
    }
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Diagnostic {
    /// Path relative to the repository root, `/`-separated.
    pub file: String,
    /// 1-based line (for CSV files: the row number Excel shows); 0 for the whole file.
    pub line: usize,
    /// 1-based column in characters (for CSV files: the column number); 0 when unknown.
    pub column: usize,
    pub severity: Severity,
    pub rule: Rule,
    pub message: String,
    pub hint: Option<String>,
    /// How many characters from `column` the problem covers (for carets).
    #[serde(skip)]
    pub width: usize,
    /// The text to show under the message (defaults to the source line).
    #[serde(skip)]
    pub snippet: Option<String>,
}

impl Diagnostic {
    pub(crate) fn new(rule: Rule, file: impl Into<String>, message: impl Into<String>) -> Diagnostic {
        Diagnostic {
            file: clip(file.into(), MAX_PATH),
            line: 0,
            column: 0,
            severity: rule.severity(),
            rule,
            message: clip(message.into(), MAX_TEXT),
            hint: None,
            width: 0,
            snippet: None,
        }
    }

    pub(crate) fn at(mut self, line: usize, column: usize) -> Diagnostic {
        self.line = line;
        self.column = column;
        self
    }

    pub(crate) fn width(mut self, width: usize) -> Diagnostic {
        self.width = width;
        self
    }

    /// Replaces the message (clipped like every message).
    pub(crate) fn with_message(mut self, message: impl Into<String>) -> Diagnostic {
        self.message = clip(message.into(), MAX_TEXT);
        self
    }

    pub(crate) fn hint(mut self, hint: impl Into<String>) -> Diagnostic {
        self.hint = Some(clip(hint.into(), MAX_TEXT));
        self
    }

    pub(crate) fn snippet(mut self, snippet: impl Into<String>) -> Diagnostic {
        self.snippet = Some(clip(snippet.into(), MAX_SNIPPET));
        self
    }

    pub(crate) fn severity(mut self, severity: Severity) -> Diagnostic {
        self.severity = severity;
        self
    }

    pub fn is_error(&self) -> bool {
        self.severity == Severity::Error
    }
}

/// Hostile data must not make one diagnostic print megabytes: a message, hint or snippet longer
/// than this many characters is cut, saying how long it was.
pub(crate) const MAX_TEXT: usize = 300;
const MAX_PATH: usize = 200;
const MAX_SNIPPET: usize = 120;

/// Sorts by file, then line, column and rule, so output is stable and reads top to bottom.
/// At most `cap` diagnostics per file (they are sorted, so the first of each file), and for each
/// file that had more, one that counts the rest: one bad file cannot print without bound.
pub(crate) fn cap_per_file(diags: Vec<Diagnostic>, cap: usize) -> Vec<Diagnostic> {
    let mut out: Vec<Diagnostic> = Vec::with_capacity(diags.len().min(4096));
    // Of the file being gone through: diagnostics kept, and the errors and warnings past the cap.
    let (mut kept, mut errors, mut warnings) = (0, 0, 0);
    let mut diags = diags.into_iter().peekable();
    while let Some(d) = diags.next() {
        let last_of_file = diags
            .peek()
            .is_none_or(|next| next.file != d.file)
            .then(|| d.file.clone());
        if let Some((e, w)) = d.unlisted_counts() {
            // Let go of as they were found (see [`Bounded`]): counted, never listed.
            (errors, warnings) = (errors + e, warnings + w);
        } else if kept < cap {
            kept += 1;
            out.push(d);
        } else if d.is_error() {
            errors += 1;
        } else {
            warnings += 1;
        }
        if let Some(file) = last_of_file {
            if errors + warnings > 0 {
                out.push(truncated(file, errors, warnings, cap));
            }
            (kept, errors, warnings) = (0, 0, 0);
        }
    }
    out
}

/// The one diagnostic that counts what [`cap_per_file`] left out of a file.
fn truncated(file: String, errors: usize, warnings: usize, cap: usize) -> Diagnostic {
    Diagnostic::new(
        Rule::Truncated,
        file,
        format!("另有 {errors} 个错误、{warnings} 个警告未列出（每个文件只列出前 {cap} 个）"),
    )
    .hint("先改正以上问题再检查；多半是整列填错或粘贴错位")
}

pub(crate) fn sort(diags: &mut [Diagnostic]) {
    diags.sort_by(|a, b| {
        (&a.file, a.line, a.column, a.rule.name(), &a.message).cmp(&(
            &b.file,
            b.line,
            b.column,
            b.rule.name(),
            &b.message,
        ))
    });
}

#[cfg(test)]
mod tests {
    #[test]
    fn long_text_is_clipped_and_says_so() {
        let long = "9".repeat(1_000_000);
        let d = super::Diagnostic::new(super::Rule::InvalidProgress, "a.csv", format!("进度「{long}」不是数字"));
        assert!(d.message.chars().count() < 330, "{}", d.message.len());
        assert!(
            d.message.ends_with("…（共 1000008 个字符）"),
            "{}",
            &d.message[d.message.len() - 40..]
        );
        assert_eq!(super::clip("短".to_string(), 3), "短");
    }
}

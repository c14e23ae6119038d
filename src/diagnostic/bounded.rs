//! One file's diagnostics as they are found, in bounded memory (issue #25). A file of twenty
//! thousand bad rows made twenty thousand full diagnostics (message, hint, snippet) before the
//! per-file cap cut the list to 200 for printing: a 440 KB file took 40 MB. Here at most twice the
//! cap are held; whenever that fills, the first `cap` in printing order stay, and of the rest only
//! each error's row and rule (the error still keeps its row out of every judgement) and the counts,
//! which [`super::cap_per_file`] adds to its closing 「另有…未列出」.

use super::{Diagnostic, Rule, sort};

/// A file's diagnostics, at most twice `cap` held in full.
pub(crate) struct Bounded {
    cap: usize,
    kept: Vec<Diagnostic>,
    unlisted: Unlisted,
}

/// What [`Bounded`] let go of: each error's (Excel row, rule), and how many warnings.
#[derive(Debug, Clone, Default, PartialEq)]
pub(crate) struct Unlisted {
    pub(crate) errors: Vec<(usize, Rule)>,
    pub(crate) warnings: usize,
}

impl Unlisted {
    pub(crate) fn is_empty(&self) -> bool {
        self.errors.is_empty() && self.warnings == 0
    }
}

impl Bounded {
    pub(crate) fn new(cap: usize) -> Bounded {
        Bounded {
            cap: cap.max(1),
            kept: Vec::new(),
            unlisted: Unlisted::default(),
        }
    }

    pub(crate) fn push(&mut self, d: Diagnostic) {
        self.kept.push(d);
        if self.kept.len() >= 2 * self.cap {
            sort(&mut self.kept);
            for d in self.kept.drain(self.cap..) {
                if d.is_error() {
                    self.unlisted.errors.push((d.line, d.rule));
                } else {
                    self.unlisted.warnings += 1;
                }
            }
        }
    }

    /// The diagnostics held, with one that carries the counts of the rest when any were let go,
    /// and the errors let go.
    pub(crate) fn finish(self) -> (Vec<Diagnostic>, Unlisted) {
        let mut kept = self.kept;
        if let Some(file) = kept.first().map(|d| d.file.clone())
            && !self.unlisted.is_empty()
        {
            kept.push(Diagnostic::unlisted(
                file,
                self.unlisted.errors.len(),
                self.unlisted.warnings,
            ));
        }
        (kept, self.unlisted)
    }
}

impl Diagnostic {
    /// Carries how many errors and warnings of `file` were let go to [`super::cap_per_file`],
    /// which counts them and prints it never (it reads as the count it is, should it be printed).
    fn unlisted(file: String, errors: usize, warnings: usize) -> Diagnostic {
        let mut d = Diagnostic::new(
            Rule::Truncated,
            file,
            format!("另有 {errors} 个错误、{warnings} 个警告未列出"),
        );
        (d.column, d.width) = (errors, warnings);
        d
    }

    /// The counts a diagnostic made by [`Bounded::finish`] carries.
    pub(crate) fn unlisted_counts(&self) -> Option<(usize, usize)> {
        (self.rule == Rule::Truncated && self.line == 0 && (self.column > 0 || self.width > 0))
            .then_some((self.column, self.width))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn holds_at_most_twice_the_cap_and_keeps_the_first_in_printing_order() {
        let mut b = Bounded::new(3);
        for row in (2..=20).rev() {
            b.push(Diagnostic::new(Rule::InvalidStatus, "a.csv", "x").at(row, 3));
            assert!(b.kept.len() < 6);
        }
        b.push(Diagnostic::new(Rule::ProgressDecreased, "a.csv", "w").at(30, 4));
        let (mut kept, unlisted) = b.finish();
        let counts = kept.pop().as_ref().and_then(Diagnostic::unlisted_counts);
        sort(&mut kept);
        let rows: Vec<usize> = kept.iter().map(|d| d.line).collect();
        assert_eq!(&rows[..3], &[2, 3, 4]);
        let total = kept.len() + unlisted.errors.len() + unlisted.warnings;
        assert_eq!(total, 20);
        assert_eq!(counts, Some((unlisted.errors.len(), unlisted.warnings)));
        kept.extend(counts.map(|(e, w)| Diagnostic::unlisted("a.csv".into(), e, w)));
        let capped = super::super::cap_per_file(kept, 3);
        assert_eq!(capped.len(), 4);
        assert!(
            capped[3].message.starts_with("另有 16 个错误、1 个警告未列出"),
            "{}",
            capped[3].message
        );
    }
}

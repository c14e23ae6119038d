//! The validation rules: a registry of small named rules, each a pure function producing diagnostics.

pub mod diagnostic;
pub mod registry;
mod rules;

pub use diagnostic::{Diagnostic, Severity};
pub use rules::units::did_you_mean;

use crate::load::Loaded;

/// Every diagnostic for a loaded repository: what loading found plus every rule, sorted.
pub fn run(loaded: &Loaded) -> Vec<Diagnostic> {
    let mut diags = loaded.diagnostics.clone();
    if let Some(units) = &loaded.units {
        rules::units::check(units, &mut diags);
    }
    rules::tasks::check(loaded, &mut diags);
    rules::reports::check(loaded, &mut diags);
    diagnostic::sort(&mut diags);
    diags
}

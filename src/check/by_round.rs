//! Loading for commands that judge one round: the reports arrive round by round and each round's
//! files are checked against each unit's previous file as they come. Of the rounds before the one
//! judged only each unit's latest files are kept; older ones are folded into [`Carried`], so memory
//! holds about two rounds of reports however many came before.
//!
//! The flaws are the ones [`super::flaw_reports`] records on a full load. There, every rule runs
//! before any error is recorded, so a rule reading the previous file sees only the errors found
//! while reading it; here a file's errors are recorded when no later file can be checked against
//! it any more (when it is retired, or at the end).

use std::collections::{HashMap, HashSet};

use anyhow::Result;
use chrono::{DateTime, FixedOffset};

use super::{errors_by_file, final_flaws, rules};
use crate::load::{self, Found, Loaded};
use crate::model::{Flaw, Round};

/// Lists, reads and checks `loaded`'s reports for judging round `judged` at `as_of`.
pub fn load(loaded: &mut Loaded, as_of: DateTime<FixedOffset>, judged: Round) -> Result<()> {
    let files = load::list_reports(loaded)?;
    let (before, rest): (Vec<Found>, Vec<Found>) = files.into_iter().partition(|(_, round)| *round < judged);
    // Each earlier round alone, then the judged round and any later ones together.
    let mut batches: Vec<&[Found]> = before.chunk_by(|a, b| a.1 == b.1).collect();
    batches.push(&rest);
    let reader = load::Reader::of(loaded);
    let mut pending = HashMap::new();
    let mut next = reader.read(batches[0]);
    for (i, batch) in batches.iter().enumerate() {
        load::add_reports(loaded, std::mem::take(&mut next));
        let last = i + 1 == batches.len();
        let from = if last { judged } else { batch[0].1 };
        // The next batch is read while this one is checked and what it replaces is retired.
        let following = batches.get(i + 1).copied().unwrap_or_default();
        (next, ()) = crate::par::join(
            || reader.read(following),
            || {
                check_from(loaded, as_of, from, &mut pending);
                if !last {
                    retire(loaded, &mut pending);
                }
            },
        );
    }
    for report in &mut loaded.reports {
        if let Some(flaws) = pending.remove(&report.file) {
            report.set_flaws(flaws);
        }
    }
    Ok(())
}

/// Each file's errors, found but not yet recorded on it.
type Pending = HashMap<String, Vec<Flaw>>;

/// Runs the rules that can make a row invalid on the reports of round `from` on, each against the
/// unit's previous file, and keeps their errors in `pending`.
fn check_from(loaded: &Loaded, as_of: DateTime<FixedOffset>, from: Round, pending: &mut Pending) {
    let files: HashSet<&str> = loaded
        .reports
        .iter()
        .filter(|r| r.round >= from)
        .map(|r| r.file.as_str())
        .collect();
    let mut diags: Vec<_> = loaded
        .diagnostics
        .iter()
        .filter(|d| files.contains(d.file.as_str()))
        .cloned()
        .collect();
    rules::reports::check(loaded, false, Some(from), &mut diags);
    rules::submission::check(loaded, as_of, Some(from), &mut diags);
    crate::diagnostic::sort(&mut diags);
    let errors = errors_by_file(&diags);
    let found: Vec<(String, Vec<Flaw>)> = loaded
        .reports
        .iter()
        .filter(|r| files.contains(r.file.as_str()))
        .map(|r| {
            let errors = errors.get(r.file.as_str()).map_or(&[][..], Vec::as_slice);
            (r.file.clone(), final_flaws(r, errors))
        })
        .collect();
    pending.extend(found);
}

/// Folds every report older than its unit's latest into `loaded.carried`, with its errors
/// recorded, and forgets its diagnostics.
fn retire(loaded: &mut Loaded, pending: &mut Pending) {
    let mut latest: HashMap<String, Round> = HashMap::new();
    for r in &loaded.reports {
        let at = latest.entry(r.unit.clone()).or_insert(r.round);
        *at = (*at).max(r.round);
    }
    let (kept, old): (Vec<_>, Vec<_>) = std::mem::take(&mut loaded.reports)
        .into_iter()
        .partition(|r| latest.get(&r.unit).is_none_or(|l| r.round >= *l));
    loaded.reports = kept;
    let gone: HashSet<&str> = old.iter().map(|r| r.file.as_str()).collect();
    loaded.diagnostics.retain(|d| !gone.contains(d.file.as_str()));
    for mut report in old {
        if let Some(flaws) = pending.remove(&report.file) {
            report.set_flaws(flaws);
        }
        loaded.carried.retire(report);
    }
}

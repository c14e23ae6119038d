//! Loading round by round: the reports arrive two rounds at a time and each round's files are
//! checked against each unit's previous file as they come. Of the rounds before the last batch
//! only each unit's latest files are kept; older ones are folded into [`Carried`], so memory holds
//! about three rounds of reports however many came before.
//!
//! The flaws are the ones [`crate::check::flaw_reports`] records on a full load. There, every rule runs
//! before any error is recorded, so a rule reading the previous file sees only the errors found
//! while reading it; here a file's errors are recorded when no later file can be checked against
//! it any more (when it is retired, or at the end). [`check`] keeps every diagnostic on the way,
//! and gives what [`crate::check::run`] gives on a full load.

use std::collections::{HashMap, HashSet};

use anyhow::Result;
use chrono::{DateTime, FixedOffset};

use crate::check;
use crate::diagnostic::Diagnostic;
use crate::load::{self, Found, Loaded};
use crate::model::{Flaw, Round};

/// Lists, reads and checks `loaded`'s reports for judging round `judged` at `as_of`: the earlier
/// rounds two at a time, then the judged round and any later ones together.
pub(crate) fn load(loaded: &mut Loaded, as_of: DateTime<FixedOffset>, judged: Round) -> Result<()> {
    read_rounds(loaded, as_of, Some(judged), None)
}

/// Every diagnostic of the repository at `as_of`, as [`crate::check::run`] finds them on a full load,
/// with `loaded`'s reports read and checked round by round (two rounds at a time). The reports
/// left in `loaded` are each unit's latest; the rest are in `loaded.carried`.
pub(crate) fn check(loaded: &mut Loaded, as_of: DateTime<FixedOffset>) -> Result<Vec<Diagnostic>> {
    let mut diags = Vec::new();
    read_rounds(loaded, as_of, None, Some(&mut diags))?;
    // What no round's files own: the plan, units and tasks, files that are not reports.
    let kept: HashSet<&str> = loaded.reports.iter().map(|r| r.file.as_str()).collect();
    diags.extend(
        loaded
            .diagnostics
            .iter()
            .filter(|d| !kept.contains(d.file.as_str()))
            .cloned(),
    );
    check::shared(loaded, as_of, &mut diags);
    crate::diagnostic::sort(&mut diags);
    Ok(crate::diagnostic::cap_per_file(
        diags,
        check::limits(loaded).diagnostics_per_file,
    ))
}

/// Reads the rounds in batches: before `judged` two rounds at a time, then the rest together
/// (with no `judged`, every round two at a time). With `all`, every diagnostic of the reports goes
/// there, warnings included; without, only errors are found, to be recorded as flaws.
fn read_rounds(
    loaded: &mut Loaded,
    as_of: DateTime<FixedOffset>,
    judged: Option<Round>,
    mut all: Option<&mut Vec<Diagnostic>>,
) -> Result<()> {
    let files = load::list_reports(loaded)?;
    let (before, rest): (Vec<Found>, Vec<Found>) = files
        .into_iter()
        .partition(|(_, round)| judged.is_none_or(|j| *round < j));
    let mut batches = in_batches_of_rounds(&before, |(_, round)| *round);
    if judged.is_some() {
        batches.push(&rest);
    }
    if batches.is_empty() {
        return Ok(()); // no report to read
    }
    let reader = load::Reader::of(loaded);
    let mut pending = HashMap::new();
    // Who reports on what is built while the first round is read: the checks of every round ask.
    let (mut next, _) = crate::par::join(|| reader.read(batches[0]), || loaded.assignments());
    for (i, batch) in batches.iter().enumerate() {
        load::add_reports(loaded, std::mem::take(&mut next));
        let last = i + 1 == batches.len();
        let from = match judged {
            Some(j) if last => j,
            _ => batch[0].1,
        };
        // The next batch is read while this one is checked and what it replaces is retired.
        let following = batches.get(i + 1).copied().unwrap_or_default();
        let keep = all.as_deref_mut();
        (next, ()) = crate::par::join(
            || reader.read(following),
            || {
                check_from(loaded, as_of, from, &mut pending, keep);
                if !last {
                    retire(loaded, &mut pending, judged.is_some());
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

/// Rounds read and checked together before the last batch. Each batch has fixed costs (the two
/// cores wait for each other, the rules build their indexes, what is replaced is retired): on a
/// province two rounds at a time took 5–10% less time than one, for one more round held.
const ROUNDS_PER_BATCH: usize = 2;

/// `items` (in round order) cut into batches of [`ROUNDS_PER_BATCH`] rounds.
fn in_batches_of_rounds<T>(items: &[T], round: impl Fn(&T) -> Round) -> Vec<&[T]> {
    let mut batches = Vec::new();
    let (mut start, mut rounds) = (0, 1);
    for i in 1..items.len() {
        if round(&items[i]) != round(&items[i - 1]) {
            if rounds == ROUNDS_PER_BATCH {
                batches.push(&items[start..i]);
                (start, rounds) = (i, 0);
            }
            rounds += 1;
        }
    }
    if start < items.len() {
        batches.push(&items[start..]);
    }
    batches
}

/// Each file's errors, found but not yet recorded on it.
type Pending = HashMap<String, Vec<Flaw>>;

/// Checks the reports of round `from` on and keeps their errors in `pending`; with `all`, every
/// rule runs and the diagnostics are added to it.
fn check_from(
    loaded: &Loaded,
    as_of: DateTime<FixedOffset>,
    from: Round,
    pending: &mut Pending,
    all: Option<&mut Vec<Diagnostic>>,
) {
    let (mut diags, flaws) = check::reports_from(loaded, as_of, from, all.is_some());
    pending.extend(flaws);
    if let Some(all) = all {
        all.append(&mut diags);
    }
}

/// Folds every report older than its unit's latest into `loaded.carried` (what judging reads of
/// it, when `judging`), with its errors recorded, and forgets its diagnostics.
fn retire(loaded: &mut Loaded, pending: &mut Pending, judging: bool) {
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
        if judging {
            loaded.carried.retire(report);
        } else {
            loaded.carried.retire_file(report);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rounds_are_read_two_at_a_time() {
        let r = |m: u32| Round::new(2024, m).unwrap();
        let files = [r(1), r(1), r(2), r(3), r(3), r(3), r(4), r(5)];
        let batches = in_batches_of_rounds(&files, |x| *x);
        assert_eq!(batches, [&files[..3], &files[3..7], &files[7..]]);
        assert!(in_batches_of_rounds(&[] as &[Round], |x| *x).is_empty());
        assert_eq!(in_batches_of_rounds(&files[..2], |x| *x), [&files[..2]]);
    }
}

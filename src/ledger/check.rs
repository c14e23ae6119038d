//! What `tracker check` says about the ledger: history it cannot read, reports not yet committed,
//! and commits whose author time was set on the other side of a deadline.

use super::history::{self, Ledger};
use super::times::backdated;
use crate::diagnostic::{Diagnostic, Rule};
use crate::load::Loaded;
use crate::model::{ReceivedFrom, Round};

pub(crate) fn diagnostics(loaded: &Loaded) -> Vec<Diagnostic> {
    let Some(plan) = &loaded.plan else { return Vec::new() };
    if plan.calendar.received_from != ReceivedFrom::Git || loaded.report_files().next().is_none() {
        return Vec::new();
    }
    let ledger: Ledger = match history::read(&loaded.root) {
        Ok(l) => l,
        Err(why) => {
            return vec![Diagnostic::new(Rule::GitHistory, "reports/", why.warning()).hint(
                "在任务仓库的 git 克隆中运行；或在 tracker.toml 的 [calendar] 中写 received_from = \"declared\"",
            )];
        }
    };
    let mut out = repository_notices(loaded, &ledger);
    for (file, unit, round) in loaded.report_files() {
        file_notices(&ledger, file, unit, plan.due(round).timestamp(), round, &mut out);
    }
    for r in &loaded.reports {
        dated_after_receipt(r, &ledger, plan.timezone, &mut out);
    }
    out
}

/// A 填报日期 after the day the office received the file: compared with the receipt, and said so
/// (「填报日期 11-25 晚于收到时间 11-04 10:00」), not with "now".
fn dated_after_receipt(r: &crate::model::Report, ledger: &Ledger, tz: chrono::FixedOffset, out: &mut Vec<Diagnostic>) {
    use chrono::TimeZone;
    if ledger.dirty.contains(&r.file) {
        return;
    }
    let Some(received) = ledger
        .files
        .get(&r.file)
        .and_then(|v| v.last())
        .and_then(|v| tz.timestamp_opt(v.stamp(), 0).single())
    else {
        return;
    };
    let col = r
        .columns
        .get(&crate::model::template::Column::ReportedOn)
        .copied()
        .unwrap_or(0);
    for row in &r.rows {
        if let Some(d) = row.reported_on.filter(|d| *d > received.date_naive()) {
            out.push(
                Diagnostic::new(
                    Rule::FutureDate,
                    r.file.clone(),
                    format!(
                        "填报日期 {} 晚于收到时间 {}",
                        d.format("%m-%d"),
                        received.format("%m-%d %H:%M")
                    ),
                )
                .at(row.row, col)
                .severity(crate::diagnostic::Severity::Warning)
                .hint("填报日期写实际填报的那一天；收到时间以市发展改革委仓库的记录为准"),
            );
        }
    }
}

/// Receipts the server keeps but this clone has not fetched; a shallow clone.
fn repository_notices(loaded: &Loaded, ledger: &Ledger) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    if ledger.receipts.is_none() && super::notes::remote_has_notes(&loaded.root) == Some(true) {
        out.push(
            Diagnostic::new(
                Rule::GitHistory,
                "reports/",
                "服务器记录了各报送文件的收到时间，本地没有取回，收到时间暂按提交时间计",
            )
            .hint(format!(
                "运行 git fetch origin '+{0}:{0}'；以后自动取回：git config --add remote.origin.fetch '+refs/notes/*:refs/notes/*'",
                super::notes::NOTES_REF
            )),
        );
    }
    if ledger.shallow {
        out.push(
            Diagnostic::new(Rule::GitHistory, "reports/", super::SHALLOW_WARNING)
                .hint("运行 git fetch --unshallow 取回完整历史"),
        );
    }
    out
}

/// One report file: not committed, a clock far from the server's receipt, a back-dated commit, a
/// first commit the server has no receipt of although it keeps receipts.
fn file_notices(ledger: &Ledger, file: &str, unit: &str, due: i64, round: Round, out: &mut Vec<Diagnostic>) {
    if let Some(first) = ledger.files.get(file).and_then(|v| v.first())
        && ledger.receipts.is_some()
        && first.received.is_none()
    {
        out.push(
            Diagnostic::new(
                Rule::MissingReceipt,
                file,
                format!(
                    "服务器没有这个文件首次提交（{}）的收到记录，收到时间只能按提交时间计，而提交时间可由提交者设定",
                    &first.commit[..first.commit.len().min(7)]
                ),
            )
            .hint("提交多半没有经过装有 tracker 服务器钩子的仓库；请核实收到时间，必要时由市发展改革委书面确认"),
        );
    }
    if ledger.dirty.contains(file) {
        let committed = ledger.files.contains_key(file);
        out.push(
            Diagnostic::new(
                Rule::Uncommitted,
                file,
                if committed {
                    "文件有未提交的修改，当前内容尚未“收到”"
                } else {
                    "文件尚未提交，尚未“收到”"
                },
            )
            .hint(format!(
                "确认无误后提交：tracker submit --unit {} --round {}",
                unit, round
            )),
        );
    }
    if let Some(apart) = ledger
        .files
        .get(file)
        .into_iter()
        .flatten()
        .find_map(super::times::clock_skew)
    {
        out.push(
            Diagnostic::new(
                Rule::ClockSkew,
                file,
                format!(
                    "提交时间与服务器收到时间相差 {}",
                    crate::assess::submissions::duration_label(apart / 60)
                ),
            )
            .hint("收到时间以服务器记录为准；提交者的电脑时钟有误，或提交时间被手工设定"),
        );
    }
    if let Some(first) = ledger.files.get(file).and_then(|v| v.first())
        && backdated(first, due)
    {
        out.push(
            Diagnostic::new(
                Rule::Backdated,
                file,
                "提交的作者时间与提交时间相差超过一天，截止时间恰在两者之间",
            )
            .hint(format!(
                "收到时间以提交时间为准（提交 {}）；作者时间可由提交者自行设定",
                &first.commit[..first.commit.len().min(7)]
            )),
        );
    }
}

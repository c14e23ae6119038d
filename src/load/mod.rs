//! Files -> model. Finds the repository root, reads every file once, keeps positions, and turns
//! every problem it meets into a diagnostic instead of stopping.

mod cells;
pub(crate) mod csv_rows;
mod decisions;
mod decode;
mod extensions;
mod files;
mod holidays;
mod ods;
mod plan;
pub mod report;
mod reports;
pub(crate) mod schedule;
mod shown;
mod tasks;
mod toml_file;
mod units;
pub mod workbook;
mod xls_scan;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::OnceLock;

use anyhow::{Context, Result, bail};

use crate::diagnostic::{Diagnostic, Rule, Source};
use crate::model::schedule::{PLANS_DIR, Schedule, Schedules};
use crate::model::scoring::{Appeal, PlanChange};
use crate::model::{Assignments, Carried, Extension, Plan, Report, Round, Task, Units, Workspace};
pub(crate) use decisions::{APPEALS_FILE, PLAN_CHANGES_FILE, plan_changes as parse_plan_changes};
pub(crate) use extensions::EXTENSIONS_FILE;
pub use files::list_dir;
pub(crate) use files::{Entry, is_hidden, list_entries, outside_root, read_inside, read_listed, read_text, text_of};
pub(crate) use holidays::HOLIDAYS_FILE;
pub use plan::load as parse_plan;
pub(crate) use plan::to_date;
pub(crate) use reports::{
    DIGESTS_DIR, Found, REPORTS_DIR, Reader, add as add_reports, list as list_reports, load as load_reports,
};
pub(crate) use tasks::MAX_TASK_ID;
pub use tasks::load as parse_task;
pub(crate) use toml_file::parse as parse_toml;
pub use units::load as parse_units;

pub(crate) const PLAN_FILE: &str = "tracker.toml";
pub(crate) const UNITS_FILE: &str = "units.toml";
pub(crate) const TASKS_DIR: &str = "tasks";

/// Everything read from a repository, as far as it could be read.
#[derive(Debug, Default)]
pub struct Loaded {
    pub root: PathBuf,
    pub plan: Option<Plan>,
    pub units: Option<Units>,
    pub tasks: Vec<Task>,
    pub reports: Vec<Report>,
    /// What is kept of reports retired by a command that judges one round (empty otherwise).
    pub carried: Carried,
    pub extensions: Vec<Extension>,
    pub sources: BTreeMap<String, Source>,
    pub diagnostics: Vec<Diagnostic>,
    /// Who reports on what, worked out once from tasks and units (neither changes after loading).
    assignments: OnceLock<Assignments>,
    /// Report files read from a commit instead of the working copy (see [`Pinned`]).
    pub pinned: Option<std::sync::Arc<Pinned>>,
    /// The units' plan files (推进计划) as they are now, valid rows only.
    pub(crate) schedule_files: Vec<Schedule>,
    /// Which plan was in force when: the current files from always, until the app layer reads
    /// their history from git.
    pub(crate) schedules: Schedules,
    /// Approved plan changes (`plan-changes.toml`).
    pub(crate) plan_changes: Vec<PlanChange>,
    /// Decided appeals (`appeals.toml`).
    pub(crate) appeals: Vec<Appeal>,
}

/// Report path -> its bytes at the commit an output is made from (`None`: the file was not there
/// then): a round as published, or as received by an `--as-of` time.
pub(crate) type Pinned = BTreeMap<String, Option<Vec<u8>>>;

impl Loaded {
    /// Every report file read, those retired into [`Loaded::carried`] included: path, unit, round.
    pub(crate) fn report_files(&self) -> impl Iterator<Item = (&str, &str, Round)> {
        crate::model::report_files(&self.reports, &self.carried)
    }

    /// Takes the plan, the units and who reports on what out of the repository, when both loaded:
    /// what a validated workspace owns.
    pub(crate) fn take_checked(&mut self) -> Option<(Plan, Units, Assignments)> {
        let assignments = match self.assignments.take() {
            Some(a) => a,
            None => Assignments::new(&self.tasks, self.units.as_ref()?),
        };
        if self.plan.is_none() || self.units.is_none() {
            return None;
        }
        Some((self.plan.take()?, self.units.take()?, assignments))
    }

    pub fn workspace(&self) -> Option<Workspace<'_>> {
        Some(Workspace {
            root: &self.root,
            plan: self.plan.as_ref()?,
            units: self.units.as_ref()?,
            tasks: &self.tasks,
            reports: &self.reports,
            carried: &self.carried,
            extensions: &self.extensions,
            assignments: self.assignments()?,
            schedules: &self.schedules,
        })
    }

    /// Who reports on what (None without units).
    pub(crate) fn assignments(&self) -> Option<&Assignments> {
        let units = self.units.as_ref()?;
        Some(self.assignments.get_or_init(|| Assignments::new(&self.tasks, units)))
    }

    pub fn has_errors(&self) -> bool {
        self.diagnostics.iter().any(Diagnostic::is_error)
    }
}

/// Walks up from `start` to the folder holding `tracker.toml`, like cargo finds `Cargo.toml`.
pub(crate) fn find_root(start: &Path) -> Result<PathBuf> {
    let start = start
        .canonicalize()
        .with_context(|| format!("无法访问目录 {}", start.display()))?;
    for dir in start.ancestors() {
        if dir.join(PLAN_FILE).is_file() {
            return Ok(dir.to_path_buf());
        }
    }
    bail!(
        "在 {} 及其上级目录中找不到 {PLAN_FILE}；请在任务仓库内运行，或用 --root 指定仓库目录",
        start.display()
    )
}

/// Resolves `--root` (which must hold tracker.toml) or discovers the root from the current directory.
pub(crate) fn root_from(explicit: Option<&Path>) -> Result<PathBuf> {
    match explicit {
        Some(dir) => {
            if !dir.join(PLAN_FILE).is_file() {
                bail!("{} 中没有 {PLAN_FILE}；--root 应指向任务仓库的根目录", dir.display());
            }
            dir.canonicalize()
                .with_context(|| format!("无法访问目录 {}", dir.display()))
        }
        None => find_root(&std::env::current_dir().context("无法读取当前目录")?),
    }
}

/// One version of a report file read on its own (its diagnostics dropped): to compare versions.
pub(crate) fn parse_report(plan: &Plan, rel: &str, round: Round, unit: &str, bytes: &[u8]) -> Option<Report> {
    let info = report::FileInfo {
        path: rel,
        round,
        unit,
        years: plan.report_years(),
        limits: plan.limits,
    };
    report::parse(&info, bytes).0
}

/// Puts `bytes` in place of the report `rel` (for `round` and `unit`) as if it were on disk, with
/// its diagnostics: to check a file before it is written.
pub(crate) fn replace_report(loaded: &mut Loaded, rel: &str, round: crate::model::Round, unit: &str, bytes: &[u8]) {
    loaded.reports.retain(|r| r.file != rel);
    loaded.diagnostics.retain(|d| d.file != rel);
    let years = loaded.plan.as_ref().map_or(2000..=2100, |p| p.report_years());
    let info = report::FileInfo {
        path: rel,
        round,
        unit,
        years,
        limits: loaded.plan.as_ref().map(|p| p.limits).unwrap_or_default(),
    };
    let (parsed, diags) = report::parse(&info, bytes);
    loaded
        .reports
        .push(parsed.unwrap_or_else(|| report::unreadable(&info, &diags)));
    loaded.diagnostics.extend(diags);
}

/// A table file's rows (CSV in any encoding Excel writes, or a workbook's first sheet), each with
/// the row number Excel shows: for importing a list received as a table.
pub(crate) fn read_table(path: &Path) -> std::result::Result<Vec<csv_rows::Row>, String> {
    use crate::model::template::{Spreadsheet, spreadsheet, wps_refusal};
    match spreadsheet(path) {
        Some(Spreadsheet::Workbook) => return workbook_rows(path),
        Some(Spreadsheet::WpsOwn) => return Err(wps_refusal(path)),
        None => {}
    }
    let bytes = std::fs::read(path).map_err(|e| format!("无法读取 {}：{e}", path.display()))?;
    let decoded = decode::decode(&bytes).map_err(|_| format!("{} 不是文本表格", path.display()))?;
    csv_rows::read(&decoded.text, decoded.delimiter).map_err(|e| format!("{} 无法按 CSV 读取：{e:?}", path.display()))
}

fn workbook_rows(path: &Path) -> std::result::Result<Vec<csv_rows::Row>, String> {
    use calamine::{Data, Reader, open_workbook_auto};
    let mut wb = open_workbook_auto(path).map_err(|e| format!("无法打开工作簿 {}：{e}", path.display()))?;
    let range = wb
        .worksheet_range_at(0)
        .ok_or_else(|| format!("{} 中没有工作表", path.display()))?
        .map_err(|e| format!("无法读取 {} 的第一张工作表：{e}", path.display()))?;
    let first_row = range.start().map_or(0, |(r, _)| r as usize);
    Ok(range
        .rows()
        .enumerate()
        .map(|(i, cells)| {
            let text = cells
                .iter()
                .map(|c| match c {
                    Data::Float(f) if f.fract() == 0.0 && f.abs() < 1e15 => format!("{}", *f as i64),
                    Data::DateTime(d) => d.as_datetime().map_or_else(|| c.to_string(), |t| t.date().to_string()),
                    other => other.to_string(),
                })
                .collect();
            (first_row + i + 1, text)
        })
        .collect())
}

/// Loads plan, units, tasks and reports. Fatal only when the folders themselves cannot be read.
pub fn load(root: &Path) -> Result<Loaded> {
    let mut loaded = load_plan(root)?;
    reports::load(&mut loaded)?;
    Ok(loaded)
}

/// Loads the shared data from `shared` and the report files from `reports` (a folder holding only
/// `reports/…`): a push's few report files checked against the office's data written out once.
pub(crate) fn load_apart(shared: &Path, reports: &Path) -> Result<Loaded> {
    let mut loaded = load_plan(shared)?;
    loaded.root = reports.to_path_buf();
    reports::load(&mut loaded)?;
    Ok(loaded)
}

/// Loads all but the reports: plan, holidays, units, tasks and extensions.
pub(crate) fn load_plan(root: &Path) -> Result<Loaded> {
    let mut loaded = Loaded {
        root: root.to_path_buf(),
        ..Loaded::default()
    };
    if let Some(src) = read_source(&mut loaded, PLAN_FILE)? {
        match plan::load(&src) {
            Ok(p) => loaded.plan = Some(p),
            Err(d) => loaded.diagnostics.extend(d),
        }
        loaded.sources.insert(src.path.clone(), src);
    }
    if root.join(HOLIDAYS_FILE).is_file()
        && let Some(src) = read_source(&mut loaded, HOLIDAYS_FILE)?
    {
        match holidays::load(&src) {
            Ok(h) => {
                if let Some(plan) = &mut loaded.plan {
                    plan.holidays = h;
                }
            }
            Err(d) => loaded.diagnostics.extend(d),
        }
        loaded.sources.insert(src.path.clone(), src);
    }
    let moves = loaded
        .plan
        .as_ref()
        .is_some_and(|p| p.calendar.on_holiday == crate::model::OnHoliday::NextWorkingDay);
    if moves && !root.join(HOLIDAYS_FILE).is_file() {
        loaded.diagnostics.push(
            Diagnostic::new(
                Rule::HolidayTable,
                PLAN_FILE,
                "on_holiday = \"next_working_day\"，但没有节假日表，只按周末顺延",
            )
            .severity(crate::diagnostic::Severity::Warning)
            .hint(format!("按国务院办公厅当年的通知建立 {HOLIDAYS_FILE}")),
        );
    }
    if root.join(UNITS_FILE).is_file() {
        if let Some(src) = read_source(&mut loaded, UNITS_FILE)? {
            match units::load(&src) {
                Ok(u) => loaded.units = Some(u),
                Err(d) => loaded.diagnostics.extend(d),
            }
            loaded.sources.insert(src.path.clone(), src);
        }
    } else {
        loaded.diagnostics.push(
            Diagnostic::new(Rule::MissingFile, UNITS_FILE, "缺少单位名录 units.toml")
                .hint("从上一年的仓库复制 units.toml，或参照 examples/demo/units.toml 新建"),
        );
    }
    load_tasks(&mut loaded, root)?;
    if let Some(extensions) = load_optional(&mut loaded, EXTENSIONS_FILE, extensions::load)? {
        loaded.extensions = extensions;
    }
    load_decisions(&mut loaded)?;
    load_schedules(&mut loaded, root)?;
    Ok(loaded)
}

/// `plan-changes.toml` and `appeals.toml`, when there.
fn load_decisions(loaded: &mut Loaded) -> Result<()> {
    if let Some(changes) = load_optional(loaded, PLAN_CHANGES_FILE, decisions::plan_changes)? {
        loaded.plan_changes = changes;
    }
    if let Some(appeals) = load_optional(loaded, APPEALS_FILE, decisions::appeals)? {
        loaded.appeals = appeals;
    }
    Ok(())
}

/// An optional TOML file of the office's, parsed (None when it is not there or did not parse: its
/// diagnostics are kept).
fn load_optional<T>(
    loaded: &mut Loaded,
    rel: &str,
    parse: impl Fn(&Source) -> std::result::Result<T, Vec<Diagnostic>>,
) -> Result<Option<T>> {
    if !loaded.root.join(rel).is_file() {
        return Ok(None);
    }
    let Some(src) = read_source(loaded, rel)? else {
        return Ok(None);
    };
    let parsed = match parse(&src) {
        Ok(v) => Some(v),
        Err(d) => {
            loaded.diagnostics.extend(d);
            None
        }
    };
    loaded.sources.insert(src.path.clone(), src);
    Ok(parsed)
}

/// Every `plans/<unit>.csv`, checked against the tasks: in force from always until the ledger says
/// when each version came.
fn load_schedules(loaded: &mut Loaded, root: &Path) -> Result<()> {
    let entries = list_entries(root, PLANS_DIR)?;
    if entries.is_empty() {
        return Ok(());
    }
    let inside = outside_root(root, PLANS_DIR).is_ok();
    let mut found = Vec::new();
    for entry in entries.iter().filter(|e| !is_hidden(&e.rel)) {
        if let Some(problem) = plan_file_problem(loaded, &entry.rel) {
            loaded.diagnostics.push(problem);
            continue;
        }
        match read_listed(root, entry, inside) {
            Ok(bytes) => found.push((entry.rel.clone(), bytes)),
            Err(d) => loaded.diagnostics.push(d),
        }
    }
    for (rel, bytes) in found {
        let Some((schedule, diags)) = parse_schedule(loaded, &rel, &bytes) else {
            return Ok(());
        };
        loaded.diagnostics.extend(diags);
        loaded.schedule_files.push(schedule);
    }
    loaded.schedules = Schedules::from_files(&loaded.schedule_files, i64::MIN);
    Ok(())
}

/// Why `rel` is no plan file: not `plans/<a known unit id>.csv` in lower case.
fn plan_file_problem(loaded: &Loaded, rel: &str) -> Option<Diagnostic> {
    let known = |id: &str| {
        loaded
            .units
            .as_ref()
            .is_some_and(|u| u.units.iter().any(|x| x.id == id))
    };
    match schedule::unit_of(rel) {
        Some(id) if known(id) => None,
        _ => Some(
            Diagnostic::new(Rule::PlanFormat, rel, "推进计划文件名应为 plans/<单位 id>.csv（小写）")
                .hint("用 tracker plan new --unit <单位> 生成，文件名不要改"),
        ),
    }
}

/// One version of a plan file read and checked (None when units or tasks did not load).
pub(crate) fn parse_schedule(loaded: &Loaded, rel: &str, bytes: &[u8]) -> Option<(Schedule, Vec<Diagnostic>)> {
    let rules = schedule::Rules {
        tasks: &loaded.tasks,
        assignments: loaded.assignments()?,
        extensions: &loaded.extensions,
        limits: loaded.plan.as_ref().map(|p| p.limits).unwrap_or_default(),
    };
    Some(schedule::parse(rel, bytes, &rules))
}

/// Every `tasks/NNN.toml`, read and parsed on every core, recorded in file order.
fn load_tasks(loaded: &mut Loaded, root: &Path) -> Result<()> {
    let mut files = Vec::new();
    for entry in list_entries(root, TASKS_DIR)?
        .into_iter()
        .filter(|e| !is_hidden(&e.rel))
    {
        if entry.rel.ends_with(".toml") {
            files.push(entry);
        } else {
            loaded.diagnostics.push(
                Diagnostic::new(Rule::TaskFileName, &entry.rel, "tasks/ 中只应有任务文件 NNN.toml")
                    .hint("把这个文件移出 tasks/，或改名为三位数字编号加 .toml"),
            );
        }
    }
    let inside = outside_root(root, TASKS_DIR).is_ok();
    let parsed = crate::par::map(&files, |entry| {
        read_listed(root, entry, inside)
            .and_then(|bytes| text_of(&entry.rel, bytes))
            .map(|src| {
                let task = tasks::load(&src);
                (src, task)
            })
    });
    loaded.tasks.reserve_exact(parsed.len());
    for result in parsed {
        match result {
            Ok((src, task)) => {
                match task {
                    Ok(t) => loaded.tasks.push(t),
                    Err(d) => loaded.diagnostics.push(d),
                }
                loaded.sources.insert(src.path.clone(), src);
            }
            Err(d) => loaded.diagnostics.push(d),
        }
    }
    tasks::share_unit_names(&mut loaded.tasks);
    Ok(())
}

fn read_source(loaded: &mut Loaded, rel: &str) -> Result<Option<Source>> {
    Ok(match read_text(&loaded.root, rel)? {
        Ok(src) => Some(src),
        Err(d) => {
            loaded.diagnostics.push(d);
            None
        }
    })
}

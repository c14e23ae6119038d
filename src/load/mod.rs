//! Files -> model. Finds the repository root, reads every file once, keeps positions, and turns
//! every problem it meets into a diagnostic instead of stopping.

mod cells;
pub mod csv_rows;
mod decode;
mod extensions;
mod holidays;
mod par;
mod plan;
pub mod report;
pub mod report_columns;
mod reports;
mod source;
mod tasks;
mod toml_file;
mod units;
pub mod workbook;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::OnceLock;

use anyhow::{Context, Result, bail};

use crate::diagnostic::{Diagnostic, Rule};
use crate::model::{Assignments, Extension, Plan, Report, Task, Units};
pub use extensions::EXTENSIONS_FILE;
pub use holidays::HOLIDAYS_FILE;
pub use plan::load as parse_plan;
pub use plan::{parse_offset, to_date};
pub use reports::{DIGESTS_DIR, REPORTS_DIR};
pub use source::Source;
pub use tasks::{MAX_TASK_ID, load as parse_task};
pub use toml_file::parse as parse_toml;
pub use units::load as parse_units;

pub const PLAN_FILE: &str = "tracker.toml";
pub const UNITS_FILE: &str = "units.toml";
pub const TASKS_DIR: &str = "tasks";

/// Everything read from a repository, as far as it could be read.
#[derive(Debug, Default)]
pub struct Loaded {
    pub root: PathBuf,
    pub plan: Option<Plan>,
    pub units: Option<Units>,
    pub tasks: Vec<Task>,
    pub reports: Vec<Report>,
    pub extensions: Vec<Extension>,
    pub sources: BTreeMap<String, Source>,
    pub diagnostics: Vec<Diagnostic>,
    /// Who reports on what, worked out once from tasks and units (neither changes after loading).
    assignments: OnceLock<Assignments>,
}

/// A repository whose plan and units loaded; tasks that failed to parse are absent.
pub struct Workspace<'a> {
    pub root: &'a Path,
    pub plan: &'a Plan,
    pub units: &'a Units,
    pub tasks: &'a [Task],
    pub reports: &'a [Report],
    pub extensions: &'a [Extension],
    pub assignments: &'a Assignments,
}

impl Loaded {
    pub fn workspace(&self) -> Option<Workspace<'_>> {
        Some(Workspace {
            root: &self.root,
            plan: self.plan.as_ref()?,
            units: self.units.as_ref()?,
            tasks: &self.tasks,
            reports: &self.reports,
            extensions: &self.extensions,
            assignments: self.assignments()?,
        })
    }

    /// Who reports on what (None without units).
    pub fn assignments(&self) -> Option<&Assignments> {
        let units = self.units.as_ref()?;
        Some(self.assignments.get_or_init(|| Assignments::new(&self.tasks, units)))
    }

    pub fn has_errors(&self) -> bool {
        self.diagnostics.iter().any(Diagnostic::is_error)
    }
}

/// Walks up from `start` to the folder holding `tracker.toml`, like cargo finds `Cargo.toml`.
pub fn find_root(start: &Path) -> Result<PathBuf> {
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
pub fn root_from(explicit: Option<&Path>) -> Result<PathBuf> {
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

/// Puts `bytes` in place of the report `rel` (for `round` and `unit`) as if it were on disk, with
/// its diagnostics: to check a file before it is written.
pub fn replace_report(loaded: &mut Loaded, rel: &str, round: crate::model::Round, unit: &str, bytes: &[u8]) {
    loaded.reports.retain(|r| r.file != rel);
    loaded.diagnostics.retain(|d| d.file != rel);
    let years = loaded.plan.as_ref().map_or(2000..=2100, |p| p.report_years());
    let info = report::FileInfo {
        path: rel,
        round,
        unit,
        years,
    };
    let (parsed, diags) = report::parse(&info, bytes);
    loaded
        .reports
        .push(parsed.unwrap_or_else(|| report::unreadable(&info, &diags)));
    loaded.diagnostics.extend(diags);
}

/// A table file's rows (CSV in any encoding Excel writes, or a workbook's first sheet), each with
/// the row number Excel shows: for importing a list received as a table.
pub fn read_table(path: &Path) -> std::result::Result<Vec<csv_rows::Row>, String> {
    let ext = path
        .extension()
        .map(|e| e.to_string_lossy().to_lowercase())
        .unwrap_or_default();
    if matches!(ext.as_str(), "xlsx" | "xlsm" | "xls" | "ods") {
        return workbook_rows(path);
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

/// Reads `rel` under `root`, unless it resolves outside the root (a link to elsewhere is never
/// read: its content could end up in check's output and CI logs). Every failure is a diagnostic.
pub fn read_inside(root: &Path, rel: &str) -> Result<Vec<u8>, Diagnostic> {
    outside_root(root, rel)?;
    std::fs::read(root.join(rel)).map_err(|e| {
        Diagnostic::new(Rule::UnreadableFile, rel, format!("无法读取：{}", io_reason(&e)))
            .hint("检查文件权限；文件夹不应以 .toml 或 .csv 结尾命名")
    })
}

/// A diagnostic when `rel` (a file or a folder) resolves to somewhere outside the root.
pub fn outside_root(root: &Path, rel: &str) -> Result<(), Diagnostic> {
    if no_links(root, rel) {
        return Ok(());
    }
    match root.join(rel).canonicalize() {
        Ok(real) if real.starts_with(root) => Ok(()),
        Ok(_) => Err(
            Diagnostic::new(Rule::OutsideRoot, rel, "这是指向仓库之外的链接，未读取")
                .hint("把文件本身放进仓库，删去这个链接"),
        ),
        Err(e) => Err(
            Diagnostic::new(Rule::UnreadableFile, rel, format!("无法访问：{}", io_reason(&e)))
                .hint("链接指向的文件不存在，或没有读取权限"),
        ),
    }
}

/// Whether every part of `rel` (plain names only) exists and none is a link: then it is inside the
/// (canonical) root without resolving the whole path, which costs a system call per folder of it.
fn no_links(root: &Path, rel: &str) -> bool {
    let mut path = root.to_path_buf();
    rel.split('/').all(|part| {
        if part.is_empty() || part == "." || part == ".." {
            return false;
        }
        path.push(part);
        std::fs::symlink_metadata(&path).is_ok_and(|m| !m.file_type().is_symlink())
    })
}

fn io_reason(e: &std::io::Error) -> String {
    match e.kind() {
        std::io::ErrorKind::PermissionDenied => "没有读取权限".to_string(),
        std::io::ErrorKind::NotFound => "不存在".to_string(),
        std::io::ErrorKind::IsADirectory => "这是一个文件夹".to_string(),
        _ => e.to_string(),
    }
}

/// Reads `rel` under `root` as UTF-8 text; every problem is a diagnostic.
pub fn read_text(root: &Path, rel: &str) -> Result<Result<Source, Diagnostic>> {
    let bytes = match read_inside(root, rel) {
        Ok(b) => b,
        Err(d) => return Ok(Err(d)),
    };
    Ok(match String::from_utf8(bytes) {
        Ok(text) => Ok(Source::new(rel, text.strip_prefix('\u{feff}').unwrap_or(&text))),
        Err(e) => Err(Diagnostic::new(
            Rule::TomlSyntax,
            rel,
            format!(
                "文件不是 UTF-8 文本（第 {} 字节起无法解码）",
                e.utf8_error().valid_up_to()
            ),
        )
        .hint("用文本编辑器以 UTF-8 编码另存此文件")),
    })
}

/// Loads plan, units and tasks. Fatal only when the folders themselves cannot be read.
pub fn load(root: &Path) -> Result<Loaded> {
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
    if root.join(HOLIDAYS_FILE).is_file() {
        if let Some(src) = read_source(&mut loaded, HOLIDAYS_FILE)? {
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
                .hint("从上一年的仓库复制 units.toml，或按 README 新建"),
        );
    }
    load_tasks(&mut loaded, root)?;
    if root.join(EXTENSIONS_FILE).is_file() {
        if let Some(src) = read_source(&mut loaded, EXTENSIONS_FILE)? {
            match extensions::load(&src) {
                Ok(e) => loaded.extensions = e,
                Err(d) => loaded.diagnostics.extend(d),
            }
            loaded.sources.insert(src.path.clone(), src);
        }
    }
    reports::load(&mut loaded)?;
    Ok(loaded)
}

/// Every `tasks/NNN.toml`, read and parsed on every core, recorded in file order.
fn load_tasks(loaded: &mut Loaded, root: &Path) -> Result<()> {
    let mut files = Vec::new();
    for rel in list_dir(root, TASKS_DIR)? {
        if rel.ends_with(".toml") {
            files.push(rel);
        } else {
            loaded.diagnostics.push(
                Diagnostic::new(Rule::TaskFileName, &rel, "tasks/ 中只应有任务文件 NNN.toml")
                    .hint("把这个文件移出 tasks/，或改名为三位数字编号加 .toml"),
            );
        }
    }
    let parsed = par::map(&files, |rel| -> Result<_> {
        Ok(read_text(root, rel)?.map(|src| {
            let task = tasks::load(&src);
            (src, task)
        }))
    });
    for result in parsed {
        match result? {
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

/// The files directly inside `root/dir`, as sorted repository-relative paths (empty if absent).
/// Hidden names (`.…`) are left out.
pub fn list_dir(root: &Path, dir: &str) -> Result<Vec<String>> {
    Ok(list_all(root, dir)?.into_iter().filter(|p| !is_hidden(p)).collect())
}

/// Whether the last part of a path starts with `.`.
pub fn is_hidden(rel: &str) -> bool {
    rel.rsplit('/').next().is_some_and(|n| n.starts_with('.'))
}

/// Every entry directly inside `root/dir`, hidden ones included, sorted.
pub fn list_all(root: &Path, dir: &str) -> Result<Vec<String>> {
    let path = root.join(dir);
    if !path.exists() {
        return Ok(Vec::new());
    }
    let mut out = Vec::new();
    for entry in std::fs::read_dir(&path).with_context(|| format!("无法读取目录 {dir}/"))? {
        let entry = entry.with_context(|| format!("无法读取目录 {dir}/"))?;
        out.push(format!("{dir}/{}", entry.file_name().to_string_lossy()));
    }
    out.sort();
    Ok(out)
}

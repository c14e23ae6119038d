//! The `reports/` tree: round folders, file names, then each file through [`super::report`].

use std::ops::RangeInclusive;
use std::path::PathBuf;

use anyhow::Result;

use super::report::{self, FileInfo};
use super::{Entry, Loaded, is_hidden, list_dir, list_entries};
use crate::diagnostic::{Diagnostic, Rule};
use crate::model::{Limits, Round, Units};
use crate::text::suggest;

pub(crate) const REPORTS_DIR: &str = "reports";
pub(crate) const DIGESTS_DIR: &str = "digests";

/// A report file found in a round folder, and the round.
pub(crate) type Found = (Entry, Round);

/// Every report file, read and parsed.
pub(crate) fn load(loaded: &mut Loaded) -> Result<()> {
    let files = list(loaded)?;
    let parsed = Reader::of(loaded).read(&files);
    add(loaded, parsed);
    Ok(())
}

/// The report files in the round folders, in folder then file order; what is no report file
/// (a folder out of the calendar, a hidden file) becomes a diagnostic.
pub(crate) fn list(loaded: &mut Loaded) -> Result<Vec<Found>> {
    let root = loaded.root.clone();
    if root.join(REPORTS_DIR).exists()
        && let Err(d) = super::outside_root(&root, REPORTS_DIR)
    {
        loaded.diagnostics.push(d);
        return Ok(Vec::new());
    }
    let mut files = Vec::new();
    for folder in list_dir(&root, REPORTS_DIR)? {
        let name = folder.trim_start_matches("reports/").to_string();
        if let Err(d) = super::outside_root(&root, &folder) {
            loaded.diagnostics.push(d);
            continue;
        }
        let path = root.join(&folder);
        if !path.is_dir() {
            if !name.to_lowercase().starts_with("readme") {
                loaded.diagnostics.push(
                    Diagnostic::new(
                        Rule::UnknownReportFile,
                        &folder,
                        "reports/ 下只应有轮次文件夹（YYYY-MM）",
                    )
                    .hint("把报送文件放进对应轮次的文件夹，例如 reports/2024-08/jtj.csv"),
                );
            }
            continue;
        }
        if name == DIGESTS_DIR {
            continue;
        }
        let round = match name.parse::<Round>() {
            Ok(r) => r,
            Err(e) => {
                loaded.diagnostics.push(
                    Diagnostic::new(Rule::RoundFolder, format!("{folder}/"), e)
                        .hint("轮次文件夹命名为 YYYY-MM，例如 reports/2024-08/"),
                );
                continue;
            }
        };
        if let Some(plan) = &loaded.plan
            && !plan.has_round(round)
        {
            loaded.diagnostics.push(
                Diagnostic::new(
                    Rule::RoundFolder,
                    format!("{folder}/"),
                    format!("轮次 {round} 不在报送日历内"),
                )
                .hint(format!(
                    "tracker.toml 的报送日历为 {} 至 {}",
                    plan.calendar.first, plan.calendar.last
                )),
            );
            continue;
        }
        for entry in list_entries(&root, &folder)? {
            let absent = |p: &super::Pinned| p.get(&entry.rel).is_some_and(Option::is_none);
            if loaded.pinned.as_deref().is_some_and(absent) {
                continue; // not received by then
            }
            if is_hidden(&entry.rel) {
                loaded.diagnostics.push(hidden(&entry.rel));
            } else {
                files.push((entry, round));
            }
        }
    }
    Ok(files)
}

/// A report and its diagnostics, or only diagnostics.
pub(crate) type Parsed = (Option<crate::model::Report>, Vec<Diagnostic>);

/// Adds parsed files to `loaded`, in their order.
pub(crate) fn add(loaded: &mut Loaded, parsed: Vec<Parsed>) {
    loaded.reports.reserve_exact(parsed.len());
    for (report, diags) in parsed {
        loaded.reports.extend(report);
        loaded.diagnostics.extend(diags);
    }
}

/// What reading report files needs of the repository, held apart from it so that files can be
/// read while what was read before is checked.
pub(crate) struct Reader {
    root: PathBuf,
    units: Option<Units>,
    /// Years a 填报日期 may fall in.
    years: RangeInclusive<i32>,
    limits: Limits,
    pinned: Option<std::sync::Arc<super::Pinned>>,
}

impl Reader {
    pub(crate) fn of(loaded: &Loaded) -> Reader {
        Reader {
            root: loaded.root.clone(),
            units: loaded.units.clone(),
            years: loaded.plan.as_ref().map_or(2000..=2100, |p| p.report_years()),
            limits: loaded.plan.as_ref().map(|p| p.limits).unwrap_or_default(),
            pinned: loaded.pinned.clone(),
        }
    }

    /// Parses `files` on every core (each file alone), in the order the files were found, so
    /// nothing depends on the threads.
    pub(crate) fn read(&self, files: &[Found]) -> Vec<Parsed> {
        crate::par::map(files, |(entry, round)| self.load_file(entry, *round))
    }

    /// One file of a round folder (a folder found inside the root), read and parsed.
    fn load_file(&self, entry: &Entry, round: Round) -> Parsed {
        let root = &self.root;
        let rel = entry.rel.as_str();
        if entry.link
            && let Err(d) = super::outside_root(root, rel)
        {
            return (None, vec![d]);
        }
        if entry.dir || (entry.link && root.join(rel).is_dir()) {
            let d = Diagnostic::new(Rule::UnknownReportFile, format!("{rel}/"), "轮次文件夹中不应再有文件夹")
                .hint("把其中的报送文件移到轮次文件夹本身，例如 reports/2024-08/jtj.csv");
            return (None, vec![d]);
        }
        let file_name = rel.rsplit('/').next().unwrap_or(rel);
        let (stem, ext) = file_name.rsplit_once('.').unwrap_or((file_name, ""));
        let ext = ext.to_lowercase();
        if crate::model::template::spreadsheet(std::path::Path::new(file_name)).is_some() {
            let d = Diagnostic::new(
                Rule::SpreadsheetFile,
                rel,
                format!("报送文件须是 CSV，这是 .{ext} 工作簿"),
            )
            .hint(format!(
                "运行 tracker report import {rel}（转为 {stem}.csv 并检查），再删去这个工作簿；或在 Excel/WPS 中另存为“CSV UTF-8（逗号分隔）”"
            ));
            return (None, vec![d]);
        }
        let Some(units) = &self.units else {
            return (None, Vec::new());
        };
        if ext != "csv" && ext != "txt" {
            let d = Diagnostic::new(Rule::UnknownReportFile, rel, "轮次文件夹中只应有各单位的报送 CSV")
                .hint("把这个文件移出 reports/");
            return (None, vec![d]);
        }
        if let Some(d) = badly_named(rel, file_name, stem) {
            return (None, vec![d]);
        }
        let unit_id = match unit_of(units, rel, stem) {
            Ok(id) => id,
            Err(d) => return (None, vec![d]),
        };
        let pinned = self
            .pinned
            .as_deref()
            .and_then(|p| p.get(rel))
            .and_then(Option::as_deref);
        let size = || {
            pinned.map_or_else(
                || std::fs::metadata(root.join(rel)).ok().map(|m| m.len()),
                |b| Some(b.len() as u64),
            )
        };
        if let Some(d) = too_large(rel, size(), self.limits.report_bytes) {
            return (None, vec![d]);
        }
        let bytes = match pinned {
            Some(b) => b.to_vec(),
            None => match super::read_listed(root, entry, true) {
                Ok(b) => b,
                Err(d) => return (None, vec![d]),
            },
        };
        let info = FileInfo {
            path: rel,
            round,
            unit: &unit_id,
            years: self.years.clone(),
            limits: self.limits,
        };
        let (report, diags) = report::parse(&info, &bytes);
        let report = report.unwrap_or_else(|| report::unreadable(&info, &diags));
        (Some(report), diags)
    }
}

/// A file over the size limit, said before a byte of it is read.
fn too_large(rel: &str, size: Option<u64>, limit: u64) -> Option<Diagnostic> {
    let size = size?;
    (size > limit).then(|| {
        let mb = |b: u64| format!("{:.1} MB", b as f64 / 1024.0 / 1024.0);
        Diagnostic::new(
            Rule::TooLarge,
            rel,
            format!("文件有 {}，超过上限 {}，未读取", mb(size), mb(limit)),
        )
        .hint("一个单位一轮的报送远小于此：多半是误存了别的文件或大量空行；确需更大时调整 tracker.toml 的 [limits] report_mb")
    })
}

/// A report file whose name is not exactly `<unit id>.csv` in lower case (`fgw.CSV` beside
/// `fgw.csv` would make which one counts a matter of chance), or holds characters that would act
/// on a terminal.
fn badly_named(rel: &str, file_name: &str, stem: &str) -> Option<Diagnostic> {
    if let Some(c) = crate::text::first_unsafe_char(file_name) {
        return Some(
            Diagnostic::new(
                Rule::ControlChar,
                crate::text::inert(rel).into_owned(),
                format!("文件名中有控制字符 U+{:04X}", c as u32),
            )
            .hint("把文件改名为 <单位id>.csv"),
        );
    }
    let lower = file_name.to_lowercase();
    (lower != file_name && lower.ends_with(".csv")).then(|| {
        Diagnostic::new(
            Rule::UnknownReportFile,
            rel,
            format!("报送文件名须全部小写：{file_name} 应为 {lower}"),
        )
        .hint(format!(
            "改名为 {}（git mv）；同一轮次只能有一个 {}",
            lower,
            stem.to_lowercase() + ".csv"
        ))
    })
}

/// The unit a report file's name (`stem`) gives, or why it names none: a group, a unit's name
/// instead of its id, or nothing known.
fn unit_of(units: &Units, rel: &str, stem: &str) -> Result<String, Diagnostic> {
    if let Some(u) = units.unit_by_id(stem) {
        return Ok(u.id.clone());
    }
    Err(
        if let Some(g) = units.groups.iter().find(|g| g.id == stem || g.name == stem) {
            let files: Vec<String> = g.members.iter().map(|m| format!("{m}.csv")).collect();
            Diagnostic::new(
                Rule::GroupReport,
                rel,
                format!("「{}」是单位组，不是一个单位，不能单独报送", g.name),
            )
            .hint(format!("由各成员单位分别报送：{}", files.join("、")))
        } else if let Some(u) = units.unit_by_name(stem) {
            Diagnostic::new(
                Rule::UnknownReportFile,
                rel,
                format!("文件名应是单位 id，不是名称「{stem}」"),
            )
            .hint(format!("改名为 {}.csv（{} 的 id）", u.id, u.name))
        } else {
            let close = suggest(stem, units.units.iter().map(|u| u.id.as_str()), 3);
            Diagnostic::new(
                Rule::UnknownReportFile,
                rel,
                format!("「{stem}」不是 units.toml 中的单位 id"),
            )
            .hint(crate::text::did_you_mean(
                &close,
                "文件名用本单位的 id，见 units.toml 或 tracker units",
            ))
        },
    )
}

fn hidden(rel: &str) -> Diagnostic {
    let name = rel.rsplit('/').next().unwrap_or(rel);
    let hint = if name.starts_with(crate::write::TEMP_PREFIX) {
        "这是一次写入被中断时留下的临时文件，可以删去（下次写入这个文件夹时会自动清理）"
    } else {
        "报送文件不要以 . 开头命名；不需要的文件请移出 reports/"
    };
    Diagnostic::new(Rule::HiddenFile, rel, "隐藏文件，未读取").hint(hint)
}

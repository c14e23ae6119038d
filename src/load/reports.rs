//! The `reports/` tree: round folders, file names, then each file through [`super::report`].

use std::path::Path;

use anyhow::{Context, Result};

use super::report::{self, FileInfo};
use super::{Loaded, list_dir};
use crate::diagnostic::{Diagnostic, Rule};
use crate::model::Round;
use crate::text::suggest;

pub const REPORTS_DIR: &str = "reports";
pub const DIGESTS_DIR: &str = "digests";
const SPREADSHEETS: &[&str] = &["xlsx", "xls", "xlsm", "ods", "et", "ett"];

pub fn load(loaded: &mut Loaded) -> Result<()> {
    let root = loaded.root.clone();
    for folder in list_dir(&root, REPORTS_DIR)? {
        let name = folder.trim_start_matches("reports/").to_string();
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
        if let Some(plan) = &loaded.plan {
            if !plan.has_round(round) {
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
        }
        for file in list_dir(&root, &folder)? {
            load_file(loaded, &root, &file, round)?;
        }
    }
    Ok(())
}

fn load_file(loaded: &mut Loaded, root: &Path, rel: &str, round: Round) -> Result<()> {
    if root.join(rel).is_dir() {
        loaded.diagnostics.push(
            Diagnostic::new(Rule::UnknownReportFile, format!("{rel}/"), "轮次文件夹中不应再有文件夹")
                .hint("把其中的报送文件移到轮次文件夹本身，例如 reports/2024-08/jtj.csv"),
        );
        return Ok(());
    }
    let file_name = rel.rsplit('/').next().unwrap_or(rel);
    let (stem, ext) = file_name.rsplit_once('.').unwrap_or((file_name, ""));
    let ext = ext.to_lowercase();
    if SPREADSHEETS.contains(&ext.as_str()) {
        loaded.diagnostics.push(
            Diagnostic::new(
                Rule::SpreadsheetFile,
                rel,
                format!("报送文件须是 CSV，这是 .{ext} 工作簿"),
            )
            .hint(format!(
                "在 Excel/WPS 中“另存为 → CSV UTF-8（逗号分隔）”，保存为 {stem}.csv，再删去这个文件"
            )),
        );
        return Ok(());
    }
    let Some(units) = &loaded.units else { return Ok(()) };
    if ext != "csv" && ext != "txt" {
        loaded.diagnostics.push(
            Diagnostic::new(Rule::UnknownReportFile, rel, "轮次文件夹中只应有各单位的报送 CSV")
                .hint("把这个文件移出 reports/"),
        );
        return Ok(());
    }
    let unit_id = match units.unit_by_id(stem) {
        Some(u) => u.id.clone(),
        None => {
            let diag = if let Some(g) = units.groups.iter().find(|g| g.id == stem || g.name == stem) {
                Diagnostic::new(
                    Rule::GroupReport,
                    rel,
                    format!("「{}」是单位组，不是一个单位，不能单独报送", g.name),
                )
                .hint(format!(
                    "由各成员单位分别报送：{}",
                    g.members
                        .iter()
                        .map(|m| format!("{m}.csv"))
                        .collect::<Vec<_>>()
                        .join("、")
                ))
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
                .hint(crate::check::did_you_mean(
                    &close,
                    "文件名用本单位的 id，见 units.toml 或 tracker units",
                ))
            };
            loaded.diagnostics.push(diag);
            return Ok(());
        }
    };
    let bytes = std::fs::read(root.join(rel)).with_context(|| format!("无法读取 {rel}"))?;
    let years = loaded.plan.as_ref().map_or(2000..=2100, |p| p.report_years());
    let info = FileInfo {
        path: rel,
        round,
        unit: &unit_id,
        years,
    };
    let (report, diags) = report::parse(&info, &bytes);
    loaded
        .reports
        .push(report.unwrap_or_else(|| report::unreadable(&info, &diags)));
    loaded.diagnostics.extend(diags);
    Ok(())
}

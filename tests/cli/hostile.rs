//! Hostile or mistaken data: refused precisely, never followed outside the repository, never
//! allowed to make a command allocate or print without bound.

use std::path::Path;

use crate::common::*;

fn edit(dir: &Path, rel: &str, from: &str, to: &str) {
    let path = dir.join(rel);
    let text = std::fs::read_to_string(&path).unwrap();
    assert!(text.contains(from), "{rel} has no {from:?}");
    std::fs::write(path, text.replacen(from, to, 1)).unwrap();
}

/// Task `id` in `status --round 2024-08 --format json`, as of 2024-08-20.
fn task_status(dir: &Path, id: u64) -> serde_json::Value {
    let args = [
        "--as-of",
        "2024-08-20",
        "status",
        "--round",
        "2024-08",
        "--format",
        "json",
    ];
    let status: serde_json::Value = serde_json::from_slice(&run(dir, &args).stdout).unwrap();
    find_in(&status["tasks"], "id", id).clone()
}

/// `check`'s text output, which must stay small whatever the data.
fn check_text(dir: &Path) -> String {
    let out = run(dir, &["--as-of", "2024-08-20", "check"]);
    assert_eq!(out.status.code(), Some(1), "{}", stdout(&out));
    assert!(out.stdout.len() < 20_000, "check printed {} bytes", out.stdout.len());
    stdout(&out)
}

#[test]
fn a_unit_id_that_climbs_out_is_refused_where_it_is_loaded() {
    let repo = fixture_repo(None);
    edit(repo.path(), "units.toml", "id = \"jtj\"", "id = \"../../../evil\"");
    let text = check_text(repo.path());
    assert!(text.contains("units.toml:9:1: error[unsafe-unit-id]"), "{text}");
    let out = run(
        repo.path(),
        &["report", "new", "--unit", "市交通运输局", "--round", "2024-08"],
    );
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
    let parent = repo.path().parent().unwrap();
    assert!(!parent.join("evil.csv").exists() && !repo.path().join("reports").exists());
}

#[test]
fn report_new_never_writes_through_a_link_out_of_reports() {
    let repo = fixture_repo(None);
    let outside = tempfile::tempdir().unwrap();
    std::fs::create_dir_all(repo.path().join("reports")).unwrap();
    std::os::unix::fs::symlink(outside.path(), repo.path().join("reports/2024-08")).unwrap();
    let out = run(repo.path(), &["report", "new", "--unit", "jtj", "--round", "2024-08"]);
    assert_eq!(out.status.code(), Some(2), "{}", stdout(&out));
    assert!(stderr(&out).contains("拒绝写入"), "{}", stderr(&out));
    assert_eq!(
        std::fs::read_dir(outside.path()).unwrap().count(),
        0,
        "nothing written outside"
    );
}

#[test]
fn a_link_out_of_the_repository_is_never_read_or_printed() {
    let repo = fixture_repo(None);
    let outside = tempfile::tempdir().unwrap();
    std::fs::write(outside.path().join("secret.toml"), "root:x:0:0:the secret line\n").unwrap();
    std::os::unix::fs::symlink(outside.path().join("secret.toml"), repo.path().join("tasks/003.toml")).unwrap();
    let text = check_text(repo.path());
    assert!(text.contains("tasks/003.toml: error[outside-root]"), "{text}");
    assert!(!text.contains("secret"), "the linked file's content leaked:\n{text}");
}

#[test]
fn two_units_with_one_id_or_one_name_are_caught() {
    let repo = fixture_repo(None);
    edit(repo.path(), "units.toml", "id = \"ldq\"", "id = \"paq\"");
    assert!(check_text(repo.path()).contains("error[duplicate-unit]: 「paq」同时指向「乐都区政府」和「平安区政府」"));
    let repo = fixture_repo(None);
    edit(
        repo.path(),
        "units.toml",
        "name = \"平安区政府\"",
        "name = \"乐都区政府\"",
    );
    let text = check_text(repo.path());
    assert!(
        text.contains("error[duplicate-unit]: 「乐都区政府」同时指向「乐都区政府」和「乐都区政府」"),
        "{text}"
    );
}

#[test]
fn huge_task_ids_cost_nothing() {
    let repo = fixture_repo(None);
    edit(repo.path(), "tasks/002.toml", "id = 2", "id = 4294967295");
    let text = check_text(repo.path());
    assert!(
        text.contains("tasks/002.toml:1:6: error[invalid-value]: 任务编号 4294967295 不在 1–99999 之间"),
        "{text}"
    );
    let repo = fixture_repo(None);
    edit(repo.path(), "tasks/002.toml", "id = 2", "id = 99999");
    let text = check_text(repo.path());
    assert!(text.contains("缺少任务编号 003、004、"), "{text}");
    assert!(text.contains("等共 99996 个"), "a bounded list: {text}");
}

#[test]
fn a_huge_progress_cell_is_reported_in_a_few_lines() {
    for (digits, rule) in [(1_000_000, "error[cell-too-long]"), (30_000, "error[invalid-progress]")] {
        let repo = fixture_repo(None);
        std::fs::create_dir_all(repo.path().join("reports/2024-08")).unwrap();
        std::fs::write(
            repo.path().join("reports/2024-08/jtj.csv"),
            format!(
                "{}2,,推进中,{},,x,,,,,2024-08-03\n",
                crate::common::repo::HEADER,
                "9".repeat(digits)
            ),
        )
        .unwrap();
        let text = check_text(repo.path());
        assert!(text.contains(rule), "{}", &text[..text.len().min(2000)]);
        assert!(text.len() < 3_000, "{digits} digits: {} bytes printed", text.len());
    }
}

#[test]
fn plan_values_out_of_range_point_at_their_line() {
    for (from, to, needle) in [
        (
            "first = \"2024-07\"",
            "first = \"0001-01\"",
            "tracker.toml:19:9: error[invalid-value]: 轮次 0001-01 不在 2000–2100 年之间",
        ),
        (
            "start = 2024-01-01",
            "start = 2026-01-01",
            "error[invalid-value]: 计划结束日 2025-12-31 早于开始日 2026-01-01",
        ),
        (
            "yellow = 10.0",
            "yellow = 40.0",
            "error[invalid-value]: 红灯线 red = 30 低于黄灯线 yellow = 40",
        ),
        (
            "red = 30.0",
            "red = nan",
            "error[invalid-value]: red = NaN 不是 0–100 的百分点数",
        ),
        (
            "timezone = \"+08:00\"",
            "timezone = \"+999999:00\"",
            "error[invalid-value]: 时区「+999999:00」无法识别",
        ),
    ] {
        let repo = fixture_repo(None);
        edit(repo.path(), "tracker.toml", from, to);
        let text = check_text(repo.path());
        assert!(text.contains(needle), "{to}:\n{text}");
    }
}

#[test]
fn task_values_that_make_no_sense_are_errors() {
    for (from, to, needle) in [
        (
            "value = 15",
            "value = nan",
            "error[target-value]: 指标「和美乡村」的目标值 NaN 不大于 0",
        ),
        (
            "\"平安区政府\" = 5",
            "\"平安县\" = 5",
            "error[unknown-unit]: 指标「和美乡村」的分解单位「平安县」不是 units.toml 中的单位全称",
        ),
        (
            "lead = [\"市发展改革委\"]",
            "lead = []",
            "tasks/001.toml:6:8: error[invalid-value]: 牵头单位 `lead` 为空",
        ),
    ] {
        let repo = fixture_repo(None);
        edit(repo.path(), "tasks/001.toml", from, to);
        let text = check_text(repo.path());
        assert!(text.contains(needle), "{to}:\n{text}");
    }
}

#[test]
fn a_stale_temporary_file_is_cleaned_up_by_the_next_write() {
    let repo = fixture_repo(None);
    let digests = repo.path().join("reports/digests");
    std::fs::create_dir_all(&digests).unwrap();
    let stale = digests.join(".tracker-killed1");
    let fresh = digests.join(".tracker-running");
    std::fs::write(&stale, "half").unwrap();
    std::fs::write(&fresh, "half").unwrap();
    let old = std::process::Command::new("touch")
        .args(["-d", "2024-01-01"])
        .arg(&stale)
        .status()
        .unwrap();
    assert!(old.success());
    let out = run(repo.path(), &["--as-of", "2024-08-20", "digest"]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(!stale.exists(), "an old temporary file is removed");
    assert!(fresh.exists(), "a recent one may belong to a write still running");
}

/// Data that would act on the office's terminal or page (issue #25): a file name that retitles
/// the terminal, a unit name that clears it, a bare CR or a bidi override in a cell. Each is a
/// `control-char` error, and nothing reaches the output raw.
#[test]
fn control_characters_are_errors_and_never_reach_the_terminal() {
    let repo = fixture_repo(None);
    let dir = repo.path().join("reports/2024-08");
    std::fs::create_dir_all(&dir).unwrap();
    let row = "2,,推进中,60,,推进,,,李四,0972,2024-08-03\n";
    let header = crate::common::repo::HEADER;
    std::fs::write(dir.join("jtj\u{1b}]0;pwned\u{7}.csv"), format!("{header}{row}")).unwrap();
    let text = check_text(repo.path());
    assert!(
        !text.contains('\u{1b}') && !text.contains('\u{7}'),
        "raw control characters printed:\n{text}"
    );
    assert!(
        text.contains("error[control-char]: 文件名中有控制字符 U+001B"),
        "{text}"
    );
    assert!(
        text.contains("jtj\\u{1b}]0;pwned\\u{7}.csv"),
        "the name is shown escaped:\n{text}"
    );
    // TOML's own escape: the parsed name holds ESC [2J, which clears a terminal.
    edit(
        repo.path(),
        "units.toml",
        "name = \"乐都区政府\"",
        "name = \"乐都区政府\\u001b[2J\"",
    );
    let text = check_text(repo.path());
    assert!(!text.contains('\u{1b}'), "raw control characters printed:\n{text}");
    assert!(
        text.contains("error[control-char]: 单位「ldq」的名称、别名或联络员信息中有控制字符 U+001B"),
        "{text}"
    );
}

/// `fgw.csv`, `fgw.CSV` and `fgw.Csv` in one round: only the lower-case one is a report, the others
/// are errors, so which file counts is never a matter of chance.
#[test]
fn report_names_that_differ_by_case_are_errors() {
    let repo = fixture_repo(None);
    let dir = repo.path().join("reports/2024-08");
    std::fs::create_dir_all(&dir).unwrap();
    let body = format!(
        "{}1,,推进中,50,,推进,,,张三,0972-8000001,2024-08-04\n",
        crate::common::repo::HEADER
    );
    for name in ["fgw.csv", "fgw.CSV", "fgw.Csv"] {
        std::fs::write(dir.join(name), &body).unwrap();
    }
    let text = check_text(repo.path());
    for name in ["fgw.CSV", "fgw.Csv"] {
        assert!(
            text.contains(&format!(
                "reports/2024-08/{name}: error[unknown-report-file]: 报送文件名须全部小写"
            )),
            "{text}"
        );
    }
    assert!(!text.contains("reports/2024-08/fgw.csv: error"), "{text}");
}

/// A 存在问题 of `<svg onload=…>` reaches the circular escaped, never as live markup.
#[test]
fn html_in_a_report_is_inert_in_the_circular() {
    let repo = fixture_repo(None);
    let dir = repo.path().join("reports/2024-08");
    std::fs::create_dir_all(&dir).unwrap();
    let row = "2,,受阻,60,,推进,<svg onload=alert(1)> & <script>x</script>,协调,李四,0972,2024-08-03\n";
    std::fs::write(dir.join("jtj.csv"), format!("{}{row}", crate::common::repo::HEADER)).unwrap();
    let out = run(
        repo.path(),
        &[
            "--as-of",
            "2024-08-20",
            "circular",
            "--round",
            "2024-08",
            "--output",
            "-",
        ],
    );
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let md = stdout(&out);
    assert!(
        md.contains("&lt;svg onload=alert(1)> &amp; &lt;script>x&lt;/script>"),
        "{md}"
    );
    assert!(!md.contains("<svg") && !md.contains("<script"), "{md}");
}

/// A report over the size limit is refused before it is read; one over the row limit before its
/// rows are; one with thousands of problems lists the first 200 and counts the rest.
#[test]
fn report_files_are_bounded_before_they_are_read() {
    let repo = fixture_repo(None);
    let dir = repo.path().join("reports/2024-08");
    std::fs::create_dir_all(&dir).unwrap();
    let header = crate::common::repo::HEADER;
    let row = "2,,推进中,60,,推进,,,李四,0972,2024-08-03\n";
    // 6 MB of one long cell.
    std::fs::write(
        dir.join("jtj.csv"),
        format!(
            "{header}2,,推进中,60,,{},,,李四,0972,2024-08-03\n",
            "进".repeat(2_100_000)
        ),
    )
    .unwrap();
    let text = check_text(repo.path());
    assert!(
        text.contains("reports/2024-08/jtj.csv: error[too-large]: 文件有 6.0 MB，超过上限 5.0 MB，未读取"),
        "{text}"
    );
    // 30,000 rows.
    std::fs::write(dir.join("jtj.csv"), format!("{header}{}", row.repeat(30_000))).unwrap();
    let text = check_text(repo.path());
    assert!(
        text.contains("error[too-large]: 文件有 30000 行，超过上限 20000 行，未读取"),
        "{text}"
    );
    // 19,000 copies of one row: 37,998 duplicate-row errors (each copy against the first, both
    // ways), 200 of them listed.
    std::fs::write(dir.join("jtj.csv"), format!("{header}{}", row.repeat(19_000))).unwrap();
    let out = run(repo.path(), &["--as-of", "2024-08-20", "check"]);
    let text = stdout(&out);
    assert!(out.stdout.len() < 200_000, "check printed {} bytes", out.stdout.len());
    assert_eq!(text.matches("error[duplicate-row]").count(), 200, "{}", &text[..2000]);
    assert!(
        text.contains("warning[truncated]: 另有 37798 个错误、0 个警告未列出（每个文件只列出前 200 个）"),
        "{}",
        &text[text.len() - 2000..]
    );
}

/// `report import` of `book` in a fixture repository: exit code, stdout and stderr.
fn import_workbook(book: &Path, repo: &Path) -> (Option<i32>, String) {
    let out = run(
        repo,
        &[
            "--as-of",
            "2024-08-04",
            "report",
            "import",
            book.to_str().unwrap(),
            "--unit",
            "jtj",
            "--round",
            "2024-08",
        ],
    );
    (out.status.code(), format!("{}{}", stdout(&out), stderr(&out)))
}

/// A workbook with the template's two sheets, its header, one filled row, and `extra` cells.
fn workbook_with(path: &Path, extra: &[(u32, u16, &str)]) {
    let mut wb = rust_xlsxwriter::Workbook::new();
    wb.add_worksheet().set_name("说明").unwrap();
    let sheet = wb.add_worksheet().set_name("填报").unwrap();
    let headers = tracker::model::template::HEADERS;
    let row = [
        "2",
        "牵头（必报）",
        "",
        "",
        "",
        "",
        "",
        "推进中",
        "60",
        "",
        "推进",
        "",
        "",
        "李四",
        "0972",
        "2024-08-03",
    ];
    for (c, (h, v)) in headers.iter().zip(row).enumerate() {
        sheet.write_string(0, c as u16, *h).unwrap();
        sheet.write_string(1, c as u16, v).unwrap();
    }
    for (r, c, v) in extra {
        sheet.write_string(*r, *c, *v).unwrap();
    }
    wb.save(path).unwrap();
}

/// Small workbooks that would take gigabytes (issue #25): a cell at XFD1048576 or CV1048576, a
/// value a million rows down, an entry that unpacks to 40 MB, a CSV named .xlsx. Each is refused with a Chinese message, or
/// read within the template's box, and nothing is written for a refusal.
#[test]
fn workbooks_are_bounded_before_they_are_unpacked() {
    let repo = fixture_repo(None);
    let dir = tempfile::tempdir().unwrap();
    let far = dir.path().join("far.xlsx");
    // In the template's columns, a million rows down: refused.
    workbook_with(&far, &[(1_048_575, 0, "x")]);
    let (code, said) = import_workbook(&far, repo.path());
    assert_eq!(code, Some(2), "{said}");
    assert!(said.contains("第 1048576 行还有内容，超过上限 20000 行"), "{said}");
    assert!(
        !repo.path().join("reports/2024-08/jtj.csv").exists(),
        "a refusal writes nothing"
    );
    // Stray cells at XFD1048576 and CV1048576 are outside the template's columns: read as if
    // absent, and no range is built to reach them.
    let right = dir.path().join("right.xlsx");
    workbook_with(&right, &[(1_048_575, 16_383, "x"), (1_048_575, 99, "y")]);
    let (code, said) = import_workbook(&right, repo.path());
    assert_eq!(code, Some(0), "{said}");
    let csv = std::fs::read_to_string(repo.path().join("reports/2024-08/jtj.csv")).unwrap();
    assert_eq!(csv.lines().count(), 2, "header and the one row:\n{csv}");
    // An entry that unpacks far beyond a report's size.
    let bomb = dir.path().join("bomb.xlsx");
    let mut zip = zip::ZipWriter::new(std::fs::File::create(&bomb).unwrap());
    let deflate = zip::write::SimpleFileOptions::default().compression_method(zip::CompressionMethod::Deflated);
    zip.start_file("xl/sharedStrings.xml", deflate).unwrap();
    std::io::Write::write_all(&mut zip, &vec![b' '; 40 << 20]).unwrap();
    zip.finish().unwrap();
    assert!(std::fs::metadata(&bomb).unwrap().len() < 200_000);
    let (code, said) = import_workbook(&bomb, repo.path());
    assert_eq!(code, Some(2), "{said}");
    assert!(said.contains("「xl/sharedStrings.xml」解压后过大（40 MB）"), "{said}");
    // Other formats under a workbook's name are named as what they are.
    let xls = dir.path().join("old.xlsx");
    let mut compound = vec![0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1];
    compound.resize(4096, 0);
    std::fs::write(&xls, compound).unwrap();
    let (code, said) = import_workbook(&xls, repo.path());
    assert_eq!(code, Some(2), "{said}");
    assert!(
        said.contains("这是 Excel 97-2003 格式的工作簿（.xls），或 WPS 表格自有格式（.et），只是扩展名是 .xlsx"),
        "{said}"
    );
    let ods = dir.path().join("calc.xlsx");
    let mut zip = zip::ZipWriter::new(std::fs::File::create(&ods).unwrap());
    zip.start_file("mimetype", zip::write::SimpleFileOptions::default())
        .unwrap();
    std::io::Write::write_all(&mut zip, b"application/vnd.oasis.opendocument.spreadsheet").unwrap();
    zip.finish().unwrap();
    let (code, said) = import_workbook(&ods, repo.path());
    assert_eq!(code, Some(2), "{said}");
    assert!(
        said.contains("这是 OpenDocument 表格（.ods），只是扩展名是 .xlsx"),
        "{said}"
    );
    // A file that is not there, and a PDF under a workbook's name, said in the office's words.
    let (code, said) = import_workbook(&dir.path().join("nope.xlsx"), repo.path());
    assert_eq!(code, Some(2), "{said}");
    assert!(said.contains("nope.xlsx：找不到这个文件"), "{said}");
    let pdf = dir.path().join("scan.xlsx");
    std::fs::write(&pdf, b"%PDF-1.4\n%\xe2\xe3\n1 0 obj").unwrap();
    let (code, said) = import_workbook(&pdf, repo.path());
    assert_eq!(code, Some(2), "{said}");
    assert!(said.contains("这是PDF 文件，不是工作簿"), "{said}");
    // A CSV saved under a workbook's name.
    let fake = dir.path().join("fake.xlsx");
    std::fs::write(&fake, crate::common::repo::HEADER).unwrap();
    let (code, said) = import_workbook(&fake, repo.path());
    assert_eq!(code, Some(2), "{said}");
    assert!(
        said.contains("这是文本文件（多半是 CSV 改了扩展名），不是工作簿"),
        "{said}"
    );
}

/// Two leads' long 存在问题, joined in one task's cell, would pass Excel's 32,767 characters per
/// cell: the month's workbook is still written, that cell cut with a mark saying so.
#[test]
fn the_digest_workbook_survives_a_reason_longer_than_a_cell() {
    use calamine::Reader;
    let repo = fixture_repo(None);
    let dir = repo.path().join("reports/2024-08");
    std::fs::create_dir_all(&dir).unwrap();
    edit(
        repo.path(),
        "tasks/002.toml",
        "lead = [\"市交通运输局\"]",
        "lead = [\"市交通运输局\", \"市发展改革委\"]",
    );
    let problems = "征地".repeat(10_000);
    // fgw also reports the task it leads alone, so that its file is a submission.
    let fgw_own = "1,,推进中,50,,推进,,,张三,0972-8000001,2024-08-03\n";
    for (unit, also) in [("jtj", ""), ("fgw", fgw_own)] {
        let row = format!("2,,受阻,60,,推进,{problems},协调,李四,0972,2024-08-03\n{also}");
        let header = crate::common::repo::HEADER;
        std::fs::write(dir.join(format!("{unit}.csv")), format!("{header}{row}")).unwrap();
    }
    let out = run(
        repo.path(),
        &[
            "--as-of",
            "2024-08-20",
            "digest",
            "--round",
            "2024-08",
            "--format",
            "xlsx",
        ],
    );
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let mut book: calamine::Xlsx<_> =
        calamine::open_workbook(repo.path().join("reports/digests/2024-08.xlsx")).unwrap();
    let sheet = book.worksheet_range("任务进展").unwrap();
    let cells: Vec<String> = sheet.used_cells().map(|(_, _, v)| v.to_string()).collect();
    let longest = cells.iter().map(|c| c.chars().count()).max();
    let cut = cells
        .iter()
        .find(|c| c.contains("以下从略"))
        .unwrap_or_else(|| panic!("no cut cell; the longest has {longest:?} characters; {}", stdout(&out)));
    assert_eq!(cut.chars().count(), 32_767);
}

/// A 进度 typed as `100%` in Excel is stored as 1 in a percent-formatted cell: it reads as 100,
/// not 1 (and `80%` as 80, `0.5%` as 0.5% with its sign, as a bare 0.5 would be a mistake).
#[test]
fn a_percent_cell_reads_as_the_percentage_shown() {
    let repo = fixture_repo(None);
    let dir = tempfile::tempdir().unwrap();
    for (stored, status, expected) in [(1.0, "已完成", "100"), (0.8, "推进中", "80"), (0.005, "推进中", "0.5%")]
    {
        let book = dir.path().join("percent.xlsx");
        let mut wb = rust_xlsxwriter::Workbook::new();
        // The template's two sheets, its 进度 cell typed as a percentage.
        wb.add_worksheet().set_name("说明").unwrap();
        let sheet = wb.add_worksheet().set_name("填报").unwrap();
        let row = [
            "2",
            "牵头（必报）",
            "",
            "",
            "",
            "",
            "",
            status,
            "",
            "",
            "推进",
            "",
            "",
            "李四",
            "0972",
            "2024-08-03",
        ];
        for (c, (h, v)) in tracker::model::template::HEADERS.iter().zip(row).enumerate() {
            sheet.write_string(0, c as u16, *h).unwrap();
            sheet.write_string(1, c as u16, v).unwrap();
        }
        let percent = rust_xlsxwriter::Format::new().set_num_format("0%");
        sheet.write_number_with_format(1, 8, stored, &percent).unwrap();
        wb.save(&book).unwrap();
        let out = run(
            repo.path(),
            &[
                "--as-of",
                "2024-08-04",
                "report",
                "import",
                book.to_str().unwrap(),
                "--unit",
                "jtj",
                "--round",
                "2024-08",
                "--force",
            ],
        );
        assert_eq!(out.status.code(), Some(0), "{}{}", stdout(&out), stderr(&out));
        let csv = std::fs::read_to_string(repo.path().join("reports/2024-08/jtj.csv")).unwrap();
        let progress = csv.lines().nth(1).unwrap().split(',').nth(8).unwrap().to_string();
        assert_eq!(progress, expected, "{stored} shown as a percentage:\n{csv}");
    }
}

/// `report import` and `submit FILE` treat a second import alike: an earlier import committed and
/// unchanged is replaced (git keeps it); one with changes not committed is refused, never lost.
#[test]
fn a_second_import_replaces_only_what_git_keeps() {
    let repo = crate::common::repo::Repo::new();
    let dir = tempfile::tempdir().unwrap();
    let book = dir.path().join("jtj.xlsx");
    workbook_with(&book, &[]);
    let import = |extra: &[&str]| {
        let mut args = vec!["--as-of", "2024-08-04", "report", "import", book.to_str().unwrap()];
        args.extend(["--unit", "jtj", "--round", "2024-08"]);
        args.extend(extra);
        run(repo.path(), &args)
    };
    assert_eq!(import(&[]).status.code(), Some(0));
    repo.git(&["add", "reports"]);
    repo.commit("报送", "2024-08-04T09:00:00+08:00", "2024-08-04T09:00:00+08:00");
    let again = import(&[]);
    assert_eq!(again.status.code(), Some(0), "{}", stderr(&again));
    assert!(
        stdout(&again).contains("替换了之前导入并已提交的版本"),
        "{}",
        stdout(&again)
    );
    // A hand edit not committed yet is somebody's work: refused without --force.
    let csv = repo.path().join("reports/2024-08/jtj.csv");
    let edited = std::fs::read_to_string(&csv)
        .unwrap()
        .replace(",推进,", ",推进（手改）,");
    assert_ne!(
        edited,
        std::fs::read_to_string(&csv).unwrap(),
        "the edit changes the file"
    );
    std::fs::write(&csv, &edited).unwrap();
    let refused = import(&[]);
    assert_eq!(refused.status.code(), Some(2));
    assert!(stderr(&refused).contains("已存在，未覆盖"), "{}", stderr(&refused));
    assert_eq!(std::fs::read_to_string(&csv).unwrap(), edited, "the edit is kept");
    assert_eq!(import(&["--force"]).status.code(), Some(0));
}

/// A limit of 0 would refuse every report: it is an error in tracker.toml, naming the key.
#[test]
fn a_limit_of_zero_is_an_error() {
    let repo = fixture_repo(None);
    let plan = std::fs::read_to_string(repo.path().join("tracker.toml")).unwrap();
    std::fs::write(
        repo.path().join("tracker.toml"),
        format!("{plan}\n[limits]\nreport_rows = 0\n"),
    )
    .unwrap();
    let text = check_text(repo.path());
    assert!(
        text.contains("error[invalid-value]: [limits] report_rows 不能是 0"),
        "{text}"
    );
    assert!(
        text.contains("report_rows 写 1 以上的整数，或删去这一行用默认值 20000"),
        "{text}"
    );
}

/// `report import FILE` as jtj's 2024-08 report, the process held to 1 GB of address space: a
/// reader that builds a dense sheet fails instead of taking the machine.
fn import_within_1gb(file: &Path, repo: &Path) -> std::process::Output {
    std::process::Command::new("bash")
        .arg("-c")
        .arg("ulimit -v 1048576; exec \"$0\" report import \"$1\" --unit jtj --round 2024-08")
        .arg(assert_cmd::cargo::cargo_bin("tracker"))
        .arg(file)
        .current_dir(repo)
        .env("NO_COLOR", "1")
        .output()
        .unwrap()
}

/// An .ods of `content` (its content.xml), as LibreOffice and WPS store one.
fn ods_with(path: &Path, content: &str) {
    let mut zip = zip::ZipWriter::new(std::fs::File::create(path).unwrap());
    let stored = zip::write::SimpleFileOptions::default().compression_method(zip::CompressionMethod::Stored);
    zip.start_file("mimetype", stored).unwrap();
    std::io::Write::write_all(&mut zip, b"application/vnd.oasis.opendocument.spreadsheet").unwrap();
    let deflate = zip::write::SimpleFileOptions::default().compression_method(zip::CompressionMethod::Deflated);
    zip.start_file("content.xml", deflate).unwrap();
    std::io::Write::write_all(&mut zip, content.as_bytes()).unwrap();
    zip.finish().unwrap();
}

const ODS_HEAD: &str = r#"<?xml version="1.0" encoding="UTF-8"?><office:document-content xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0"><office:body><office:spreadsheet><table:table table:name="填报">"#;
const ODS_TAIL: &str = "</table:table></office:spreadsheet></office:body></office:document-content>";

/// A 1 KB .ods whose empty cells repeat across 90,000 rows of 1,000 columns took 5.6 GB through
/// calamine's dense range; read as a stream it stays small. Run under a 1 GB address-space limit,
/// so that the old way fails the test instead of the machine.
#[test]
fn an_ods_of_repeated_empty_cells_costs_nothing() {
    let repo = fixture_repo(None);
    let dir = tempfile::tempdir().unwrap();
    let header: String = repo::HEADER
        .trim_end()
        .split(',')
        .map(|h| format!("<table:table-cell office:value-type=\"string\"><text:p>{h}</text:p></table:table-cell>"))
        .collect();
    let row = "<table:table-cell office:value-type=\"float\" office:value=\"2\"><text:p>2</text:p></table:table-cell><table:table-cell/><table:table-cell office:value-type=\"string\"><text:p>推进中</text:p></table:table-cell><table:table-cell office:value-type=\"percentage\" office:value=\"0.5\"><text:p>50%</text:p></table:table-cell><table:table-cell table:number-columns-repeated=\"6\"/><table:table-cell office:value-type=\"date\" office:date-value=\"2024-08-03\"><text:p>2024-08-03</text:p></table:table-cell>";
    let empty = "<table:table-row table:number-rows-repeated=\"90000\"><table:table-cell table:number-columns-repeated=\"1000\"/></table:table-row>";
    let spaces = "<table:table-row><table:table-cell table:number-columns-repeated=\"1000\"/><table:table-cell office:value-type=\"string\"><text:p><text:s text:c=\"2000000000\"/></text:p></table:table-cell></table:table-row>";
    let body = format!(
        "{ODS_HEAD}<table:table-row>{header}</table:table-row><table:table-row>{row}</table:table-row>{empty}{spaces}{ODS_TAIL}"
    );
    let ods = dir.path().join("jtj.ods");
    ods_with(&ods, &body);
    assert!(std::fs::metadata(&ods).unwrap().len() < 4096);
    let out = import_within_1gb(&ods, repo.path());
    assert_eq!(out.status.code(), Some(0), "{}{}", stdout(&out), stderr(&out));
    let csv = std::fs::read_to_string(repo.path().join("reports/2024-08/jtj.csv")).unwrap();
    assert!(csv.ends_with("\r\n2,,,,,,,推进中,50,,,,,,,2024-08-03\r\n"), "{csv:?}");
    // A value repeated down past the last row a report may have is refused, naming the row.
    let far = format!(
        "{ODS_HEAD}<table:table-row table:number-rows-repeated=\"1048576\"><table:table-cell office:value-type=\"string\"><text:p>x</text:p></table:table-cell></table:table-row>{ODS_TAIL}"
    );
    ods_with(&ods, &far);
    let (code, said) = import_workbook(&ods, repo.path());
    assert_eq!(code, Some(2), "{said}");
    assert!(said.contains("超过上限 20000 行"), "{said}");
}

/// An .xls of 5.6 KB with one value at IV65536 (saved by LibreOffice) made calamine build a dense
/// sheet of a gigabyte when it opened the file; it is refused before that, naming the box its
/// sheet declares, under a 1 GB address-space limit that the old way could not have kept.
#[test]
fn an_xls_with_a_far_cell_is_refused_before_it_is_opened() {
    let repo = fixture_repo(None);
    let xls = fixtures().join("workbooks/iv65536.xls");
    let out = import_within_1gb(&xls, repo.path());
    assert_eq!(out.status.code(), Some(2), "{}{}", stdout(&out), stderr(&out));
    assert!(
        stderr(&out).contains("工作簿声明的表格范围有 65536 行、256 列，超出填报模板的范围（20000 行、64 列）"),
        "{}",
        stderr(&out)
    );
    assert!(!repo.path().join("reports/2024-08/jtj.csv").exists());
    // The same file with its first EOF record's length damaged: a walk from the start misses the
    // sheet, but calamine seeks to it by its BOUNDSHEET offset, and so does the scan.
    let damaged = fixtures().join("workbooks/sheet-by-offset.xls");
    let (code, said) = import_workbook(&damaged, repo.path());
    assert_eq!(code, Some(2), "{said}");
    assert!(said.contains("工作簿声明的表格范围有 65536 行"), "{said}");
    // A fuzzed .xls on which calamine itself panics: refused as broken, without a backtrace.
    let broken = fixtures().join("workbooks/calamine-panic.xls");
    let (code, said) = import_workbook(&broken, repo.path());
    assert_eq!(code, Some(2), "{said}");
    assert!(
        said.contains("工作簿已损坏，无法读取") && !said.contains("panicked"),
        "{said}"
    );
}

/// A file of hundreds of bad rows holds only the first of its diagnostics in full while it is
/// read (memory stays bounded), yet every error still counts: `check` lists the first 200 and
/// counts the rest exactly, and a bad row far past them still keeps its task out of the verdict.
#[test]
fn errors_past_the_cap_are_counted_and_still_keep_their_rows_out() {
    let repo = fixture_repo(None);
    std::fs::create_dir_all(repo.path().join("reports/2024-08")).unwrap();
    let garbage = "x,,推进中,50,,a,,,,,2024-08-03\n".repeat(450);
    std::fs::write(
        repo.path().join("reports/2024-08/jtj.csv"),
        format!(
            "{}{garbage}2,,进行中,60,,完成初步设计,,,李四,0972-8000002,2024-08-03\n",
            crate::common::repo::HEADER
        ),
    )
    .unwrap();
    let out = run(repo.path(), &["--as-of", "2024-08-20", "check"]);
    let text = stdout(&out);
    assert_eq!(text.matches(": error[").count(), 200, "{}", &text[..2000]);
    assert!(
        text.contains("另有 251 个错误、0 个警告未列出（每个文件只列出前 200 个）"),
        "{}",
        &text[text.len() - 600..]
    );
    let task = task_status(repo.path(), 2);
    assert_eq!(task["assessment"], "invalid", "{task}");
    assert_eq!(
        task["invalid_units"],
        serde_json::json!([{"unit": "市交通运输局", "row": 452, "rule": "invalid-status"}])
    );
}

/// What a report's table keeps is bounded, and nothing it leaves out changes what is said: a file
/// of line breaks is counted exactly and refused; content far past the template's columns is
/// still seen; a hundred thousand blank rows cost nothing and hide nothing.
#[test]
fn a_report_table_keeps_little_and_misses_nothing() {
    let repo = fixture_repo(None);
    std::fs::create_dir_all(repo.path().join("reports/2024-08")).unwrap();
    let write = |body: &str| {
        std::fs::write(
            repo.path().join("reports/2024-08/jtj.csv"),
            format!("{}{body}", crate::common::repo::HEADER),
        )
        .unwrap()
    };
    write(&"x\n".repeat(30_000));
    let text = check_text(repo.path());
    assert!(text.contains("文件有 30000 行，超过上限 20000 行"), "{text}");
    let far = format!(
        "2,,推进中,60,,完成初步设计,,,李四,0972-8000002,2024-08-03{}far\n",
        ",".repeat(40)
    );
    write(&far);
    let out = run(repo.path(), &["--as-of", "2024-08-20", "check"]);
    let text = stdout(&out);
    assert!(
        text.contains("jtj.csv:2:51: warning[extra-cells]: 第 2 行在最后一列之后（AY 列）还有内容"),
        "{text}"
    );
    let blank = ",,,,,,,,,,\n".repeat(100_000);
    write(&format!(
        "{blank}2,,推进中,60,,完成初步设计,,,李四,0972-8000002,2024-08-03\n"
    ));
    let task = task_status(repo.path(), 2);
    assert_eq!(task["progress"], 60.0, "{task}");
}

//! The liaison's workbook: `report new --format xlsx` read back by openpyxl (an independent
//! client), filled the way a person would (openpyxl, then re-saved by LibreOffice as .xlsx,
//! .ods and .xls), and taken back with `report import` and `submit FILE.xlsx`.

use std::path::Path;
use std::process::Command;

use crate::common::*;

/// The base fixture plus task 3, led by 乐都区政府 with 市发展改革委 cooperating: fgw leads task 1
/// (with its 和美乡村 target) and cooperates on task 3.
fn repo() -> tempfile::TempDir {
    let dir = fixture_repo(None);
    std::fs::write(
        dir.path().join("tasks/003.toml"),
        "id = 3\nchapter = 1\nsection = 1\nkey_task = \"测试\"\nwork = \"测试任务\"\nlead = [\"乐都区政府\"]\ncooperating = [\"市发展改革委\"]\ndue = 2024-12-31\nnotes = []\n",
    )
    .unwrap();
    dir
}

fn template(dir: &Path) -> std::path::PathBuf {
    let out = run(
        dir,
        &[
            "--as-of",
            "2024-08-01",
            "report",
            "new",
            "--unit",
            "fgw",
            "--round",
            "2024-08",
            "--format",
            "xlsx",
        ],
    );
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(
        stdout(&out).contains("已生成 fgw-2024-08.xlsx"),
        "the workbook is made where check never looks: {}",
        stdout(&out)
    );
    dir.join("fgw-2024-08.xlsx")
}

fn python(script: &str, args: &[&Path]) -> String {
    let out = Command::new("python3")
        .arg("-c")
        .arg(script)
        .args(args)
        .output()
        .expect("python3");
    assert!(out.status.success(), "python: {}", String::from_utf8_lossy(&out.stderr));
    String::from_utf8(out.stdout).unwrap()
}

#[test]
#[cfg_attr(not(has_openpyxl), ignore = "needs python3 with openpyxl; .ci/run installs it")]
fn the_template_guides_the_hand() {
    let dir = repo();
    let book = template(dir.path());
    let facts = python(
        r#"
import sys, openpyxl
wb = openpyxl.load_workbook(sys.argv[1])
ws = wb["填报"]
print("sheets", wb.sheetnames)
print("freeze", ws.freeze_panes)
print("protected", ws.protection.sheet, ws.protection.password)
print("header", [c.value for c in ws[1]][:10])
for dv in ws.data_validations.dataValidation:
    print("dv", dv.type, dv.operator, dv.formula1, dv.formula2, str(dv.sqref), dv.prompt)
print("locked", ws["A2"].protection.locked, ws["H2"].protection.locked, ws["N2"].value)
print("width", ws.column_dimensions["D"].width)
print("print", ws.page_setup.orientation, ws.page_setup.paperSize, ws.sheet_properties.pageSetUpPr.fitToPage, ws.page_setup.fitToHeight, ws.print_title_rows)
print("rows", [(r[0].value, r[1].value, r[2].value, r[4].value) for r in ws.iter_rows(min_row=2)])
print("names", sorted(wb.defined_names.keys()))
"#,
        &[&book],
    );
    for needle in [
        "sheets ['说明', '填报']",
        "freeze D2",
        "protected True None",
        "dv list None \"未启动,推进中,已完成,滞后,受阻\" None H2:H5",
        "dv decimal None 0 100 I2:I5 累计完成百分比，填 0 到 100 的数字，例如 80",
        "dv decimal greaterThanOrEqual 0 None J2:J5",
        "dv date None 45484 45540 P2:P5",
        "locked True False =IF(填报人=\"\",\"\",填报人)",
        "width 40.7",
        "print landscape 9 True 0 $1:$1",
        "rows [('1', '牵头（必报）', '建设宜居宜业和美乡村', None), ('1', '牵头（必报）', '全市合计（含各县区）', '和美乡村'), (None, None, '以下为配合任务（选报：有进展时填写）', None), ('3', '配合（选报）', '测试', None)]",
        "names ['填报人', '联系电话']",
    ] {
        assert!(facts.contains(needle), "missing {needle:?} in:\n{facts}");
    }
}

/// Fills the template as a person would, with openpyxl: a dropdown value, a percentage cell, a
/// date cell, a formula, the liaison once on 说明.
const FILL: &str = r#"
import sys, datetime, openpyxl
wb = openpyxl.load_workbook(sys.argv[1])
g = wb["说明"]; g["B6"] = "王五"; g["B7"] = "0972-8000009"
ws = wb["填报"]
ws["H2"] = "推进中"
ws["I2"] = 0.8; ws["I2"].number_format = "0%"
ws["K2"] = "已建成和美乡村 7 个"
ws["P2"] = datetime.date(2024, 8, 3); ws["P2"].number_format = "yyyy-mm-dd"
ws["J3"] = "=3+4"
wb.save(sys.argv[2])
"#;

/// LibreOffice re-saves the workbook (computing the formulas' cached values) as `ext`.
fn resave(file: &Path, ext: &str, out_dir: &Path) -> std::path::PathBuf {
    let filter = match ext {
        "xlsx" => "xlsx:Calc MS Excel 2007 XML",
        "xls" => "xls:MS Excel 97",
        _ => "ods",
    };
    let out = Command::new("soffice")
        .args(["--headless", "--convert-to", filter, "--outdir"])
        .arg(out_dir)
        .arg(file)
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    out_dir.join(file.with_extension(ext).file_name().unwrap())
}

const EXPECTED: &str = "\u{feff}任务编号,角色,重点任务,工作事项,指标,目标值,计量单位,状态,进度,完成值,本月进展,存在问题,下步计划,填报人,联系电话,填报日期\r\n\
1,牵头（必报）,建设宜居宜业和美乡村,年内建设和美乡村 15 个，其中：乐都区 10 个、平安区 5 个。,,,,推进中,80,,已建成和美乡村 7 个,,,王五,0972-8000009,2024-08-03\r\n\
1,牵头（必报）,全市合计（含各县区）,,和美乡村,15,个,,,7,,,,,,\r\n\
,,,,,,,,,,,,,,,\r\n\
3,配合（选报）,测试,测试任务,,,,,,,,,,王五,0972-8000009,\r\n";

#[test]
#[cfg_attr(
    not(all(has_openpyxl, has_soffice)),
    ignore = "needs python3 with openpyxl and LibreOffice (soffice); .ci/run installs them"
)]
fn a_filled_workbook_resaved_by_libreoffice_imports_to_the_expected_csv() {
    let dir = repo();
    let book = template(dir.path());
    let work = tempfile::tempdir().unwrap();
    let filled = work.path().join("填好的.xlsx");
    python(FILL, &[&book, &filled]);
    std::fs::remove_file(&book).unwrap();
    // .ods and .xls are each read by their own bounded path (a stream of cells; a scan of the
    // cells' places before calamine opens the file): the same CSV either way.
    for ext in ["xlsx", "ods", "xls"] {
        let out_dir = work.path().join(ext);
        std::fs::create_dir_all(&out_dir).unwrap();
        let resaved = resave(&filled, ext, &out_dir);
        let out = run(
            dir.path(),
            &[
                "--as-of",
                "2024-08-04",
                "report",
                "import",
                resaved.to_str().unwrap(),
                "--force",
            ],
        );
        assert_eq!(out.status.code(), Some(0), "{ext}: {}{}", stdout(&out), stderr(&out));
        assert!(
            stdout(&out).contains("→ reports/2024-08/fgw.csv（2024-08 轮）"),
            "{}",
            stdout(&out)
        );
        let csv = std::fs::read_to_string(dir.path().join("reports/2024-08/fgw.csv")).unwrap();
        assert_eq!(csv, EXPECTED, "{ext}");
    }
    let check = run(
        dir.path(),
        &["--as-of", "2024-08-04", "check", "reports/2024-08/fgw.csv"],
    );
    assert_eq!(check.status.code(), Some(0), "{}", stdout(&check));
}

#[test]
#[cfg_attr(
    not(all(has_openpyxl, has_soffice)),
    ignore = "needs python3 with openpyxl and LibreOffice (soffice); .ci/run installs them"
)]
fn bad_workbooks_are_refused_at_their_cells() {
    let dir = repo();
    let book = template(dir.path());
    let work = tempfile::tempdir().unwrap();
    let cases = [
        (
            "status",
            "ws['H2'] = '进行中'",
            "填报!H2: error[invalid-status]: 状态「进行中」不在规定范围内",
        ),
        (
            "ref",
            "ws['I2'] = '=#REF!'",
            "填报!I2: error: 「进度」单元格是 Excel 错误 #REF!",
        ),
        (
            "renamed",
            "ws.title = '进展'",
            "工作簿中没有工作表「填报」（现有：说明、进展）",
        ),
        ("deleted", "ws.delete_rows(2, 2)", "error[not-filled]"),
    ];
    for (name, change, needle) in cases {
        let file = work.path().join(format!("{name}.xlsx"));
        let script = FILL.replace("wb.save(sys.argv[2])", &format!("{change}\nwb.save(sys.argv[2])"));
        python(&script, &[&book, &file]);
        let resaved = resave(&file, "xlsx", &work.path().join(name));
        let out = run(
            dir.path(),
            &["--as-of", "2024-08-04", "report", "import", resaved.to_str().unwrap()],
        );
        let said = format!("{}{}", stdout(&out), stderr(&out));
        assert_ne!(out.status.code(), Some(0), "{name} must be refused: {said}");
        assert!(said.contains(needle), "{name}: {said}");
        assert!(
            !dir.path().join("reports/2024-08/fgw.csv").exists(),
            "{name}: nothing written"
        );
    }
    // Columns in another order are read by their names, not refused.
    let moved = work.path().join("moved.xlsx");
    let script = FILL.replace(
        "wb.save(sys.argv[2])",
        "ws.move_range('P1:P5', cols=1)\nwb.save(sys.argv[2])",
    );
    python(&script, &[&book, &moved]);
    let resaved = resave(&moved, "xlsx", &work.path().join("moved"));
    let out = run(
        dir.path(),
        &["--as-of", "2024-08-04", "report", "import", resaved.to_str().unwrap()],
    );
    assert_eq!(out.status.code(), Some(0), "{}", stdout(&out));
}

#[test]
fn an_xlsx_in_reports_points_to_report_import() {
    let dir = repo();
    let book = template(dir.path());
    std::fs::create_dir_all(dir.path().join("reports/2024-08")).unwrap();
    std::fs::rename(&book, dir.path().join("reports/2024-08/fgw.xlsx")).unwrap();
    let text = stdout(&run(dir.path(), &["--as-of", "2024-08-04", "check"]));
    assert!(
        text.contains("error[spreadsheet-file]") && text.contains("tracker report import reports/2024-08/fgw.xlsx"),
        "{text}"
    );
}

#[test]
#[cfg_attr(
    not(all(has_openpyxl, has_soffice)),
    ignore = "needs python3 with openpyxl and LibreOffice (soffice); .ci/run installs them"
)]
fn submit_takes_the_workbook_itself() {
    let repo = crate::common::repo::Repo::new();
    let out = repo.tracker(&[
        "report", "new", "--unit", "fgw", "--round", "2024-08", "--format", "xlsx", "--output", "fgw.xlsx",
    ]);
    assert!(out.status.success(), "{}", stderr(&out));
    let work = tempfile::tempdir().unwrap();
    let filled = work.path().join("fgw.xlsx");
    python(FILL, &[&repo.path().join("fgw.xlsx"), &filled]);
    let resaved = resave(&filled, "xlsx", &work.path().join("out"));
    let out = git_env(Command::new(assert_cmd::cargo::cargo_bin("tracker")), repo.path())
        .args(["submit", "--unit", "fgw", resaved.to_str().unwrap()])
        .env("GIT_COMMITTER_DATE", "2024-08-04T10:00:00+08:00")
        .env("GIT_AUTHOR_DATE", "2024-08-04T10:00:00+08:00")
        .env("NO_COLOR", "1")
        .current_dir(repo.path())
        .output()
        .unwrap();
    let said = stdout(&out);
    assert!(out.status.success(), "{said}{}", stderr(&out));
    assert!(said.contains("已导入 fgw.xlsx → reports/2024-08/fgw.csv"), "{said}");
    assert!(
        said.contains("报送 市发展改革委 2024-08") && said.contains("：按时"),
        "{said}"
    );
    let files = String::from_utf8(repo.git(&["show", "--name-only", "--format=", "HEAD"]).stdout).unwrap();
    assert_eq!(files.trim(), "reports/2024-08/fgw.csv");
}

/// A workbook handed in from inside `reports/` leaves nothing there but the CSV: the repository's
/// check stays clean and the data version has no uncommitted change.
#[test]
#[cfg_attr(not(has_openpyxl), ignore = "needs python3 with openpyxl; .ci/run installs it")]
fn submit_leaves_no_workbook_in_reports() {
    let repo = crate::common::repo::Repo::new();
    let out = repo.tracker(&[
        "report", "new", "--unit", "fgw", "--round", "2024-08", "--format", "xlsx",
    ]);
    assert!(stdout(&out).contains("已生成 fgw-2024-08.xlsx"), "{}", stdout(&out));
    let inside = repo.path().join("reports/2024-08/fgw.xlsx");
    std::fs::create_dir_all(inside.parent().unwrap()).unwrap();
    python(FILL, &[&repo.path().join("fgw-2024-08.xlsx"), &inside]);
    std::fs::remove_file(repo.path().join("fgw-2024-08.xlsx")).unwrap();
    let out = git_env(Command::new(assert_cmd::cargo::cargo_bin("tracker")), repo.path())
        .args(["submit", "--unit", "fgw", "reports/2024-08/fgw.xlsx"])
        .env("GIT_COMMITTER_DATE", "2024-08-04T10:00:00+08:00")
        .env("NO_COLOR", "1")
        .current_dir(repo.path())
        .output()
        .unwrap();
    assert!(out.status.success(), "{}{}", stdout(&out), stderr(&out));
    assert!(stdout(&out).contains("工作簿已移到 fgw.xlsx"), "{}", stdout(&out));
    assert!(!inside.exists() && repo.path().join("fgw.xlsx").exists());
    let check = repo.tracker(&["check"]);
    assert_eq!(check.status.code(), Some(0), "{}", stdout(&check));
    let status = stdout(&repo.tracker(&["status", "--round", "2024-08"]));
    assert!(
        !status.contains("有未提交的修改"),
        "a workbook beside the data is no data:\n{status}"
    );
}

/// The template workbook's creation time is "now" (`--as-of`), not the clock: the same data at the
/// same moment gives the same bytes, and a test never depends on when it runs.
#[test]
fn the_template_workbook_is_the_same_for_the_same_moment() {
    let (first, second) = (repo(), repo());
    let a = std::fs::read(template(first.path())).unwrap();
    std::thread::sleep(std::time::Duration::from_millis(1100));
    let b = std::fs::read(template(second.path())).unwrap();
    assert_eq!(a, b, "two workbooks for the same moment differ");
}

/// The 填报 rows copy 填报人 and 联系电话 from 说明 by formula. With 说明 left empty, LibreOffice
/// computed the old `=填报人` as 0 and printed 「0」 in every row (and saved it, to spread to units,
/// remind and the digest); the formulas now give a blank.
#[test]
#[cfg_attr(
    not(all(has_openpyxl, has_soffice, has_chromium)),
    ignore = "needs python3 with openpyxl, LibreOffice and poppler-utils; .ci/run installs them"
)]
fn an_empty_liaison_in_the_guide_prints_blank_not_zero() {
    let dir = repo();
    let book = template(dir.path());
    let work = tempfile::tempdir().unwrap();
    let cleared = work.path().join("空白联络员.xlsx");
    let script = "import sys, openpyxl\nwb = openpyxl.load_workbook(sys.argv[1])\nwb['说明']['B6'] = None\nwb['说明']['B7'] = None\nwb.save(sys.argv[2])\n";
    python(script, &[&book, &cleared]);
    let profile = tempfile::tempdir().unwrap();
    let out = Command::new("soffice")
        .arg(format!("-env:UserInstallation=file://{}", profile.path().display()))
        .args(["--headless", "--convert-to", "pdf", "--outdir"])
        .arg(work.path())
        .arg(&cleared)
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", stderr(&out));
    let pdf = work.path().join("空白联络员.pdf");
    let text = Command::new("pdftotext").arg(&pdf).arg("-").output().unwrap();
    let text = String::from_utf8_lossy(&text.stdout);
    assert!(text.contains("填报人"), "the 填报 sheet is printed:\n{text}");
    let zeros = text.lines().filter(|l| l.trim() == "0").count();
    assert_eq!(zeros, 0, "「0」 printed for an empty liaison:\n{text}");
}

//! Reading what Excel and WPS really save: real bytes in, typed rows out.

use crate::common::*;
use chrono::NaiveDate;
use proptest::prelude::*;
use tracker::load::report::{FileInfo, parse};
use tracker::model::Status;
use tracker::render::people_csv;

fn info() -> FileInfo<'static> {
    FileInfo {
        path: "reports/2024-08/jtj.csv",
        round: "2024-08".parse().unwrap(),
        unit: "jtj",
        years: 2024..=2025,
        limits: Default::default(),
    }
}

fn read(name: &str) -> (tracker::model::Report, Vec<tracker::diagnostic::Diagnostic>) {
    let bytes = std::fs::read(fixtures().join("reports-ok").join(name)).unwrap();
    let (report, diags) = parse(&info(), &bytes);
    (
        report.unwrap_or_else(|| panic!("{name} did not read: {diags:?}")),
        diags,
    )
}

#[test]
fn every_encoding_reads_the_same_row() {
    for (name, encoding) in [
        ("utf8.csv", "UTF-8"),
        ("utf8-bom-crlf.csv", "UTF-8 BOM"),
        ("gbk.csv", "GB18030"),
        ("utf16-tabs.txt", "UTF-16LE"),
    ] {
        let (r, diags) = read(name);
        assert_eq!(r.encoding, encoding, "{name}");
        assert_eq!(r.rows.len(), 1, "{name}");
        let row = &r.rows[0];
        assert_eq!(
            (row.row, row.task, row.status, row.progress),
            (2, 2, Some(Status::InProgress), Some(60.0)),
            "{name}"
        );
        assert_eq!(row.text.progress_note(), "完成北环线初步设计", "{name}");
        assert_eq!(row.reported_on, NaiveDate::from_ymd_opt(2024, 8, 3), "{name}");
        let rules: Vec<_> = diags.iter().map(|d| d.rule.name()).collect();
        let expected: &[&str] = if encoding == "GB18030" { &["encoding"] } else { &[] };
        assert_eq!(rules, expected, "{name}: only GBK gets a warning, naming the encoding");
    }
}

#[test]
fn excel_padding_full_width_and_trailing_cells() {
    let (r, diags) = read("excel-messy.csv");
    assert!(diags.is_empty(), "{diags:?}");
    let row = &r.rows[0];
    assert_eq!(
        (row.task, row.status, row.progress),
        (2, Some(Status::InProgress), Some(80.0))
    );
    assert_eq!(row.text.progress_note(), "多行\n进展，含\"引号\"");
    assert_eq!(row.reported_on, NaiveDate::from_ymd_opt(2024, 8, 3));
}

#[test]
fn excel_serial_dates_and_two_decimal_percentages() {
    let (r, _) = read("excel-serial-date.csv");
    assert_eq!(r.rows[0].reported_on, NaiveDate::from_ymd_opt(2024, 8, 3));
    assert_eq!(r.rows[0].progress, Some(80.0));
}

#[test]
fn accepted_files_pass_check_in_a_repository() {
    let repo = fixture_repo(None);
    let dir = repo.path().join("reports/2024-08");
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::copy(fixtures().join("reports-ok/utf16-tabs.txt"), dir.join("jtj.txt")).unwrap();
    let out = run(repo.path(), &["check"]);
    assert_eq!(out.status.code(), Some(0), "{}", stdout(&out));
    assert!(stdout(&out).contains("1 个报送文件"), "{}", stdout(&out));
}

fn template_row(problems: &str, next_steps: &str) -> Vec<u8> {
    let mut bytes = Vec::new();
    let mut w = people_csv::writer(&mut bytes).unwrap();
    w.write_record(tracker::model::template::HEADERS).unwrap();
    let cells = [
        "2",
        "牵头（必报）",
        "强化",
        "推进",
        "",
        "",
        "",
        "推进中",
        "60",
        "",
        "=进展",
        problems,
        next_steps,
        "李四",
        "0972",
        "2024-08-03",
    ];
    people_csv::write_row(&mut w, &cells).unwrap();
    drop(w);
    bytes
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(300))]
    /// Whatever text the template writer writes (Chinese, quotes, commas, line breaks, a leading
    /// `=`), the reader gets back, apart from the padding around it. (A bare carriage return is
    /// no line break: it is refused, see the next property.)
    #[test]
    fn template_text_reads_back_unchanged(
        problems in "[=+@\\-]?([\\PC\u{4e00}-\u{9fff},\"'\n\t ]|\r\n){0,40}",
        next_steps in "(\\PC|[\"\n,])*",
    ) {
        let bytes = template_row(&problems, &next_steps);
        let (report, diags) = parse(&info(), &bytes);
        prop_assert!(diags.iter().all(|d| !d.is_error()), "{:?}", diags);
        let row = &report.unwrap().rows[0];
        prop_assert_eq!(row.text.problems(), problems.trim_matches(char::is_whitespace));
        prop_assert_eq!(row.text.next_steps(), next_steps.trim_matches(char::is_whitespace));
        prop_assert_eq!(row.text.progress_note(), "=进展");
    }
}

proptest! {
    /// A cell holding a control character or a bidirectional override (something that would act
    /// on a terminal or reorder what is shown) is refused, whatever surrounds it.
    #[test]
    fn unsafe_characters_in_a_cell_are_refused(
        before in "[\u{4e00}-\u{9fff}]{1,10}",
        bad in "[\u{202a}-\u{202e}\u{2066}-\u{2069}\u{80}-\u{9f}\r]",
        // Ends in a character that is not space: a cell's surrounding blanks are trimmed, and a
        // `\r` among them goes with them (nothing of it is kept to act anywhere).
        after in "[\\PC]{0,9}[\u{4e00}-\u{9fff}]",
    ) {
        let bytes = template_row(&format!("{before}{bad}{after}"), "");
        let (_, diags) = parse(&info(), &bytes);
        // C1 controls make the whole file "not text"; the rest are named at their cell.
        let refused = |d: &tracker::diagnostic::Diagnostic| {
            d.is_error() && ["control-char", "not-text"].contains(&d.rule.to_string().as_str())
        };
        prop_assert!(diags.iter().any(refused), "{:?}", diags);
    }
}

proptest! {
    /// Whatever bytes a liaison's program saves, reading them never panics.
    #[test]
    fn arbitrary_bytes_never_panic(bytes in proptest::collection::vec(any::<u8>(), 0..400)) {
        let _ = parse(&info(), &bytes);
        let mut with_header = tracker::model::template::HEADERS.join(",").into_bytes();
        with_header.push(b'\n');
        with_header.extend(&bytes);
        let _ = parse(&info(), &with_header);
    }
}

#[test]
fn formula_like_text_is_guarded_in_the_file() {
    let text = String::from_utf8(template_row("=HYPERLINK(\"http://x\",\"y\")", "+1+1")).unwrap();
    assert!(text.starts_with('\u{feff}'));
    assert!(text.contains("\"'=HYPERLINK(\"\"http://x\"\",\"\"y\"\")\""), "{text}");
    assert!(text.contains(",'+1+1,"), "{text}");
    assert!(text.ends_with("\r\n") && !text.replace("\r\n", "").contains('\n'));
}

//! A mutation fuzzer for the workbook reader (`report import`, `submit FILE`): it makes template
//! workbooks, then mutates them the way hostile or broken files look (far cell references, huge
//! declared dimensions, duplicated rows, whitespace and shared-string bombs, flipped bytes, other
//! formats under a workbook's name) and asserts that reading never panics or aborts and that the
//! process's peak memory stays bounded. Outside CI's time:
//!
//! ```sh
//! cargo run --release --example fuzz_workbooks -- 100000
//! ```

use std::io::{Read, Write};
use std::panic::{AssertUnwindSafe, catch_unwind};
use std::time::Instant;

#[path = "common/rng.rs"]
mod rng;
use rng::Rng;

const HEADERS: [&str; 16] = [
    "任务编号",
    "角色",
    "重点任务",
    "工作事项",
    "指标",
    "目标值",
    "计量单位",
    "状态",
    "进度",
    "完成值",
    "本月进展",
    "存在问题",
    "下步计划",
    "填报人",
    "联系电话",
    "填报日期",
];

/// A template-like workbook with `rows` filled rows; every other one with a percent 进度.
fn seed(rows: u32) -> Vec<u8> {
    let mut wb = rust_xlsxwriter::Workbook::new();
    let guide = wb.add_worksheet().set_name("说明").unwrap();
    guide.write_string(0, 0, "单位编号").unwrap();
    guide.write_string(0, 1, "jtj").unwrap();
    guide.write_string(1, 0, "轮次").unwrap();
    guide.write_string(1, 1, "2024-08").unwrap();
    let sheet = wb.add_worksheet().set_name("填报").unwrap();
    let percent = rust_xlsxwriter::Format::new().set_num_format("0%");
    for (c, h) in HEADERS.iter().enumerate() {
        sheet.write_string(0, c as u16, *h).unwrap();
    }
    for r in 1..=rows {
        sheet.write_string(r, 0, (r + 1).to_string()).unwrap();
        sheet.write_string(r, 7, "推进中").unwrap();
        if r % 2 == 0 {
            sheet.write_number_with_format(r, 8, 0.6, &percent).unwrap();
        } else {
            sheet.write_number(r, 8, 60.0).unwrap();
        }
        sheet.write_string(r, 10, "本月推进，完成初步设计").unwrap();
        sheet.write_string(r, 15, "2024-08-03").unwrap();
    }
    wb.save_to_buffer().unwrap()
}

/// The zip's entries: (name, bytes).
fn unzip(bytes: &[u8]) -> Vec<(String, Vec<u8>)> {
    let mut zip = zip::ZipArchive::new(std::io::Cursor::new(bytes)).unwrap();
    (0..zip.len())
        .map(|i| {
            let mut f = zip.by_index(i).unwrap();
            let mut out = Vec::new();
            f.read_to_end(&mut out).unwrap();
            (f.name().unwrap_or_default().into_owned(), out)
        })
        .collect()
}

fn rezip(entries: &[(String, Vec<u8>)]) -> Vec<u8> {
    let mut out = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    let options = zip::write::SimpleFileOptions::default().compression_method(zip::CompressionMethod::Deflated);
    for (i, (name, bytes)) in entries.iter().enumerate() {
        // A mutation may add an entry the seed has: a zip holds a name once.
        if entries[..i].iter().any(|(n, _)| n == name) {
            continue;
        }
        out.start_file(name.as_str(), options).unwrap();
        out.write_all(bytes).unwrap();
    }
    out.finish().unwrap().into_inner()
}

/// A cell reference anywhere up to XFD1048576, often at the extremes.
fn far_ref(rng: &mut Rng) -> String {
    let col = match rng.below(4) {
        0 => 16_383,
        1 => 99,
        2 => rng.below(16_384),
        _ => rng.below(20),
    };
    let row = match rng.below(4) {
        0 => 1_048_576,
        1 => 20_002,
        _ => 1 + rng.below(1_048_576),
    };
    let mut letters = String::new();
    let mut n = col + 1;
    while n > 0 {
        letters.insert(0, char::from(b'A' + ((n - 1) % 26) as u8));
        n = (n - 1) / 26;
    }
    format!("{letters}{row}")
}

/// One structured mutation of one XML entry's text.
fn mutate_xml(rng: &mut Rng, xml: &str) -> String {
    match rng.below(7) {
        0 => xml.replacen("r=\"A2\"", &format!("r=\"{}\"", far_ref(rng)), 1),
        1 => xml.replace(
            "<dimension ref=\"",
            &format!("<dimension ref=\"A1:{}\" x=\"", far_ref(rng)),
        ),
        2 => {
            // Duplicate a row many times (a million duplicated rows, in small).
            let Some(start) = xml.find("<row ") else {
                return xml.to_string();
            };
            let Some(len) = xml[start..].find("</row>") else {
                return xml.to_string();
            };
            let row = &xml[start..start + len + 6];
            let copies = row.repeat(1 + rng.below(3_000));
            format!("{}{copies}{}", &xml[..start], &xml[start..])
        }
        3 => xml.replacen(
            "<sheetData>",
            &format!("<sheetData>{}", " ".repeat(rng.below(8_000_000))),
            1,
        ),
        4 => {
            let pos = rng.below(xml.len());
            let cut = (0..=pos).rev().find(|i| xml.is_char_boundary(*i)).unwrap_or(0);
            format!(
                "{}{}",
                &xml[..cut],
                ["<", ">", "\"", "<c r=\"ZZZ0\">", "&#0;", "<v>nan</v>", "<v>1e400</v>"][rng.below(7)]
            ) + &xml[cut..]
        }
        5 => xml.replace("t=\"s\"", "t=\"s\" r=\"A1048576\""),
        _ => xml.replacen("<v>", "<v>99999999999999999999", 1 + rng.below(5)),
    }
}

fn mutate(rng: &mut Rng, seed: &[u8]) -> Vec<u8> {
    match rng.below(10) {
        0 => {
            let mut bytes = seed.to_vec();
            for _ in 0..1 + rng.below(8) {
                let i = rng.below(bytes.len());
                bytes[i] ^= 1 << rng.below(8);
            }
            bytes
        }
        1 => seed[..rng.below(seed.len())].to_vec(),
        _ => {
            let mut entries = unzip(seed);
            for _ in 0..1 + rng.below(3) {
                let i = rng.below(entries.len());
                if entries[i].0.ends_with(".xml") {
                    let text = String::from_utf8_lossy(&entries[i].1).into_owned();
                    entries[i].1 = mutate_xml(rng, &text).into_bytes();
                }
            }
            if rng.below(20) == 0 {
                // A shared-strings bomb: a sheet-sized entry of one repeated string.
                let bomb = format!(
                    "<sst>{}</sst>",
                    "<si><t>征地</t></si>".repeat(200_000 + rng.below(2_000_000))
                );
                entries.retain(|(n, _)| n != "xl/sharedStrings.xml");
                entries.push(("xl/sharedStrings.xml".to_string(), bomb.into_bytes()));
            }
            rezip(&entries)
        }
    }
}

/// An .ods like LibreOffice's: sheet 填报 with the header and `rows` filled rows.
fn ods_seed(rows: u32) -> Vec<u8> {
    let cell =
        |t: &str| format!("<table:table-cell office:value-type=\"string\"><text:p>{t}</text:p></table:table-cell>");
    let header: String = HEADERS.iter().map(|h| cell(h)).collect();
    let row = format!(
        "<table:table-row><table:table-cell office:value-type=\"float\" office:value=\"1\"/>{}<table:table-cell table:number-columns-repeated=\"6\"/>{}<table:table-cell office:value-type=\"percentage\" office:value=\"0.5\"/><table:table-cell table:number-columns-repeated=\"6\"/><table:table-cell office:value-type=\"date\" office:date-value=\"2024-08-03\"/></table:table-row>",
        cell("牵头（必报）"),
        cell("推进中")
    );
    let xml = format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?><office:document-content xmlns:office=\"o\" xmlns:table=\"t\" xmlns:text=\"x\"><office:body><office:spreadsheet><table:table table:name=\"填报\"><table:table-row>{header}</table:table-row>{}</table:table></office:spreadsheet></office:body></office:document-content>",
        row.repeat(rows as usize)
    );
    rezip(&[
        (
            "mimetype".to_string(),
            b"application/vnd.oasis.opendocument.spreadsheet".to_vec(),
        ),
        ("content.xml".to_string(), xml.into_bytes()),
    ])
}

/// One mutation of an .ods's content.xml: huge repeats of rows, cells and spaces, broken XML.
fn mutate_ods_xml(rng: &mut Rng, xml: &str) -> String {
    let huge = ["1048576", "4294967295", "99999999999999999999", "0", "-1", "x"][rng.below(6)];
    match rng.below(5) {
        0 => xml.replacen(
            "<table:table-row>",
            &format!("<table:table-row table:number-rows-repeated=\"{huge}\">"),
            1 + rng.below(3),
        ),
        1 => xml.replacen(
            "table:number-columns-repeated=\"6\"",
            &format!("table:number-columns-repeated=\"{huge}\""),
            1,
        ),
        2 => xml.replacen(
            "<text:p>推进中</text:p>",
            &format!("<text:p><text:s text:c=\"{huge}\"/>推进中</text:p>"),
            1,
        ),
        3 => {
            let pos = rng.below(xml.len());
            let cut = (0..=pos).rev().find(|i| xml.is_char_boundary(*i)).unwrap_or(0);
            format!(
                "{}{}",
                &xml[..cut],
                ["<", ">", "\"", "&#0;", "&bogus;", "</table:table>"][rng.below(6)]
            ) + &xml[cut..]
        }
        _ => xml.replacen("office:value=\"1\"", "office:value=\"1e400\"", 1),
    }
}

/// One mutation of an .xls: flipped bytes, a truncation, a sector link pointed anywhere.
fn mutate_xls(rng: &mut Rng, seed: &[u8]) -> Vec<u8> {
    let mut bytes = seed.to_vec();
    match rng.below(3) {
        0 => {
            for _ in 0..1 + rng.below(16) {
                let i = rng.below(bytes.len());
                bytes[i] ^= 1 << rng.below(8);
            }
        }
        1 => bytes.truncate(rng.below(bytes.len())),
        _ => {
            let at = 4 * rng.below(bytes.len() / 4);
            let link = [0xFFFF_FFFEu32, 0xFFFF_FFFF, 0, 1, rng.below(1 << 20) as u32][rng.below(5)];
            bytes[at..at + 4].copy_from_slice(&link.to_le_bytes());
        }
    }
    bytes
}

/// The process's peak resident memory so far, in KB (Linux).
fn peak_kb() -> u64 {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| s.lines().find(|l| l.starts_with("VmHWM:")).map(|l| l.to_string()))
        .and_then(|l| l.split_whitespace().nth(1).and_then(|n| n.parse().ok()))
        .unwrap_or(0)
}

fn main() {
    let cases: usize = std::env::args().nth(1).and_then(|n| n.parse().ok()).unwrap_or(10_000);
    let seeds = [seed(1), seed(12), seed(60)];
    let ods = [ods_seed(1), ods_seed(40)];
    let xls = include_bytes!("../tests/fixtures/workbooks/iv65536.xls").to_vec();
    let dir = tempfile::tempdir().unwrap();
    let exts = ["xlsx", "xlsx", "xlsx", "xlsm", "ods", "xls"];
    let mut rng = Rng(0x5eed_f00d_dead_beef);
    let (mut read, mut refused, mut panics, mut slowest) = (0usize, 0usize, 0usize, 0f64);
    let (mut heaviest, mut heavy_cases) = (0u64, 0usize);
    let started = Instant::now();
    std::panic::set_hook(Box::new(|_| {}));
    for case in 0..cases {
        // A third of the cases are OpenDocument and Excel 97-2003 files, each read its own way.
        let (bytes, ext) = match rng.below(6) {
            0 => {
                let mut entries = unzip(&ods[rng.below(ods.len())]);
                let text = String::from_utf8_lossy(&entries[1].1).into_owned();
                entries[1].1 = mutate_ods_xml(&mut rng, &text).into_bytes();
                (rezip(&entries), "ods")
            }
            1 => (mutate_xls(&mut rng, &xls), "xls"),
            _ => {
                let seed = &seeds[rng.below(seeds.len())];
                let bytes = if rng.below(50) == 0 {
                    seed.clone()
                } else {
                    mutate(&mut rng, seed)
                };
                (bytes, exts[rng.below(exts.len())])
            }
        };
        let path = dir.path().join(format!("case.{ext}"));
        std::fs::write(&path, &bytes).unwrap();
        let t = Instant::now();
        match catch_unwind(AssertUnwindSafe(|| tracker::load::workbook::read(&path))) {
            Ok(Ok(_)) => read += 1,
            Ok(Err(_)) => refused += 1,
            Err(_) => {
                panics += 1;
                let crash = std::path::Path::new("target/fuzz-crashes");
                std::fs::create_dir_all(crash).unwrap();
                std::fs::write(
                    crash.join(format!(
                        "workbook-{case}.{}",
                        path.extension().unwrap().to_string_lossy()
                    )),
                    &bytes,
                )
                .unwrap();
            }
        }
        slowest = slowest.max(t.elapsed().as_secs_f64());
        // A case that raised the peak past 300 MB is kept to replay: memory must stay bounded.
        let peak = peak_kb();
        if peak > heaviest + 100 * 1024 && peak > 300 * 1024 {
            let heavy = std::path::Path::new("target/fuzz-heavy");
            std::fs::create_dir_all(heavy).unwrap();
            std::fs::write(heavy.join(format!("case-{case}-{}MB.{ext}", peak / 1024)), &bytes).unwrap();
            heavy_cases += 1;
        }
        heaviest = heaviest.max(peak);
    }
    println!(
        "{cases} workbooks in {:.0} s: {read} read, {refused} refused, {panics} panics; slowest {:.2} s; peak memory {} MB",
        started.elapsed().as_secs_f64(),
        slowest,
        peak_kb() / 1024
    );
    if heavy_cases > 0 {
        println!("{heavy_cases} cases raised the peak past 300 MB: kept in target/fuzz-heavy/");
    }
    if panics > 0 || heavy_cases > 0 {
        std::process::exit(1);
    }
}

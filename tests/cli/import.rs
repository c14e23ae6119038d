//! `tracker import`: the seed reproduces the repository's task files exactly.

use crate::common::*;

const SEED: &str = "seeds/dongzhengban-2024-69.txt";

fn import_into_temp() -> (tempfile::TempDir, std::process::Output) {
    let dir = tempfile::tempdir().unwrap();
    std::fs::copy(repo_root().join("units.toml"), dir.path().join("units.toml")).unwrap();
    let seed = repo_root().join(SEED);
    let out = run(dir.path(), &["import", seed.to_str().unwrap(), "--out", "."]);
    (dir, out)
}

#[test]
fn seed_reproduces_tasks_exactly() {
    let (dir, out) = import_into_temp();
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let ours = tracker::load::list_dir(&repo_root(), "tasks").unwrap();
    let theirs = tracker::load::list_dir(dir.path(), "tasks").unwrap();
    assert_eq!(ours.len(), 194);
    assert_eq!(ours, theirs);
    for rel in &ours {
        let a = std::fs::read_to_string(repo_root().join(rel)).unwrap();
        let b = std::fs::read_to_string(dir.path().join(rel)).unwrap();
        assert_eq!(
            a, b,
            "{rel} differs from what tracker import produces; edit the corrections file, not the task file"
        );
    }
}

#[test]
fn generated_plan_matches_the_repository_outline() {
    let (dir, _) = import_into_temp();
    let load = |root: &std::path::Path| {
        let src = tracker::diagnostic::Source::new(
            "tracker.toml",
            std::fs::read_to_string(root.join("tracker.toml")).unwrap(),
        );
        tracker::load::parse_plan(&src).unwrap()
    };
    let (ours, theirs) = (load(&repo_root()), load(dir.path()));
    assert_eq!(ours.outline, theirs.outline);
    assert_eq!(ours.outline.len(), 8);
    assert_eq!(ours.outline.iter().map(|c| c.sections.len()).sum::<usize>(), 29);
    assert_eq!(
        (ours.document.as_str(), ours.issued.to_string()),
        ("东政办〔2024〕69号", "2024-07-09".to_string())
    );
    assert_eq!(theirs.receiver, "市发展改革委");
    assert_eq!(
        theirs.due("2024-07".parse().unwrap()).to_rfc3339(),
        "2024-07-10T18:00:00+08:00"
    );
    assert_eq!(
        theirs.due("2024-08".parse().unwrap()).to_rfc3339(),
        "2024-08-05T18:00:00+08:00"
    );
}

fn task(id: u32) -> toml::Table {
    let text = std::fs::read_to_string(repo_root().join(format!("tasks/{id:03}.toml"))).unwrap();
    text.parse().unwrap()
}

#[test]
fn the_hard_rows_are_read_right() {
    assert_eq!(task(30)["key_task"].as_str(), Some("推动城市道路优化提升"));
    assert_eq!(
        task(30)["lead"].as_array().unwrap()[0].as_str(),
        Some("海东工业园区管委会")
    );
    assert_eq!(
        task(54)["key_task"].as_str(),
        Some("协同推进“区域一体”垃圾处理设施建设")
    );
    assert_eq!(task(125)["key_task"].as_str(), Some("深化“一老一小”健康照护服务工作"));
    assert_eq!(task(164)["lead"].as_array().unwrap()[0].as_str(), Some("各县区政府"));
    assert_eq!(task(16)["key_task"].as_str(), Some("培育打造大通—互助一体化跨界协作区"));
    assert_eq!(task(20)["key_task"].as_str(), Some("发展壮大湟中—平安一体化跨界协作区"));
    assert_eq!(task(185)["key_task"].as_str(), Some("强化现代商贸流通功能"));
    assert_eq!(
        task(162)["due"].as_datetime().map(ToString::to_string).as_deref(),
        Some("2025-12-31")
    );
    let lead_103: Vec<_> = task(103)["lead"]
        .as_array()
        .unwrap()
        .iter()
        .map(|v| v.as_str().unwrap().to_string())
        .collect();
    assert_eq!(lead_103, ["化隆县政府", "循化县政府"]);
    let coop_162 = task(162)["cooperating"].to_string();
    assert!(
        coop_162.contains("市住房建设局") && !coop_162.contains("城乡"),
        "spelling variants resolve: {coop_162}"
    );
}

#[test]
fn task_7_breakdown_sums_to_129() {
    let t = task(7);
    let target = &t["target"].as_array().unwrap()[0];
    assert_eq!(target["value"].as_integer(), Some(129));
    let sum: i64 = target["breakdown"]
        .as_table()
        .unwrap()
        .values()
        .map(|v| v.as_integer().unwrap())
        .sum();
    assert_eq!(sum, 129);
    assert_eq!(target["breakdown"]["民和县政府"].as_integer(), Some(34));
}

#[test]
fn corrections_name_every_row_they_settle() {
    let text = std::fs::read_to_string(repo_root().join("seeds/dongzhengban-2024-69.corrections.toml")).unwrap();
    let table: toml::Table = text.parse().unwrap();
    for row in table["row"].as_array().unwrap() {
        let id = row["task"].as_integer().unwrap() as u32;
        assert!(!row["why"].as_str().unwrap().is_empty(), "row {id} has no reason");
        let notes = task(id)["notes"].to_string();
        assert!(
            notes.contains("更正："),
            "task {id}'s notes do not record its correction"
        );
    }
}

#[test]
fn without_corrections_the_importer_lists_what_it_cannot_settle() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::copy(repo_root().join("units.toml"), dir.path().join("units.toml")).unwrap();
    let empty = dir.path().join("none.toml");
    std::fs::write(&empty, "").unwrap();
    let seed = repo_root().join(SEED);
    let out = run(
        dir.path(),
        &[
            "import",
            seed.to_str().unwrap(),
            "--out",
            ".",
            "--corrections",
            empty.to_str().unwrap(),
        ],
    );
    assert_eq!(out.status.code(), Some(1));
    let err = stderr(&out);
    for id in 115..=120 {
        assert!(err.contains(&format!("第 {id} 项：牵头与配合单位挤在同一栏")), "{err}");
    }
}

#[test]
fn refuses_to_overwrite_without_force() {
    let (dir, _) = import_into_temp();
    let seed = repo_root().join(SEED);
    let out = run(dir.path(), &["import", seed.to_str().unwrap(), "--out", "."]);
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).contains("--force"));
    let out = run(dir.path(), &["import", seed.to_str().unwrap(), "--out", ".", "--force"]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
}

#[test]
fn unknown_units_are_listed_not_guessed() {
    let dir = tempfile::tempdir().unwrap();
    let units = std::fs::read_to_string(repo_root().join("units.toml")).unwrap();
    std::fs::write(
        dir.path().join("units.toml"),
        units.replace("name = \"市数据局\"", "name = \"市大数据局\""),
    )
    .unwrap();
    let seed = repo_root().join(SEED);
    let out = run(dir.path(), &["import", seed.to_str().unwrap(), "--out", "."]);
    assert_eq!(out.status.code(), Some(1));
    assert!(
        stderr(&out).contains("单位「市数据局」不在单位名录中"),
        "{}",
        stderr(&out)
    );
}

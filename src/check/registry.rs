//! The named rules `tracker check` knows, with their default severity and a one-line summary.

use super::Severity;

pub struct Rule {
    pub name: &'static str,
    pub severity: Severity,
    pub summary: &'static str,
}

const fn rule(name: &'static str, severity: Severity, summary: &'static str) -> Rule {
    Rule {
        name,
        severity,
        summary,
    }
}

use Severity::Error;

/// Every rule. Each has a fixture under `tests/fixtures/check/<name>/`; a test enforces it.
pub const RULES: &[Rule] = &[
    // Files and syntax.
    rule("toml-syntax", Error, "TOML 语法错误，或文件不是 UTF-8 文本"),
    rule("unknown-field", Error, "出现未定义的字段（多半是拼写错误）"),
    rule("missing-field", Error, "缺少必填字段"),
    rule(
        "invalid-value",
        Error,
        "字段值的类型或格式不对（日期、时区、轮次、类别）",
    ),
    rule("missing-file", Error, "缺少必需的文件 units.toml"),
    rule("task-file-name", Error, "tasks/ 中的文件名不是 NNN.toml"),
    // Units.
    rule(
        "unsafe-unit-id",
        Error,
        "单位 id 不能安全地用作文件名（只用小写字母、数字、- 和 _）",
    ),
    rule("duplicate-unit", Error, "两个单位使用了同一个 id、名称或别名"),
    rule("unknown-member", Error, "单位组的成员不是已知的单位 id"),
    // Tasks.
    rule("id-mismatch", Error, "任务编号与文件名不一致"),
    rule("duplicate-id", Error, "两个任务文件使用同一编号"),
    rule("missing-id", Error, "任务编号不连续（缺号）"),
    rule("unknown-unit", Error, "牵头或配合单位不在 units.toml 中"),
    rule("unknown-outline", Error, "篇章或节不在 tracker.toml 的提纲中"),
    rule("empty-work", Error, "工作事项为空"),
    rule("target-value", Error, "目标值不大于 0"),
    rule("breakdown-sum", Error, "分解数之和与目标值不符"),
    rule("due-outside-plan", Error, "完成时限不在计划期内"),
];

pub fn find(name: &str) -> Option<&'static Rule> {
    RULES.iter().find(|r| r.name == name)
}

/// The default severity of a rule; unknown names are errors (a programming slip, caught by tests).
pub fn severity_of(name: &str) -> Severity {
    find(name).map_or(Severity::Error, |r| r.severity)
}

//! The named rules `tracker check` knows: one list, from which the enum, the names, the default
//! severities and the summaries are generated. `tracker check --list` prints it.

use serde::Serialize;

use super::Severity;

macro_rules! rules {
    ($($(#[$doc:meta])* $variant:ident = $name:literal, $severity:ident, $summary:literal;)*) => {
        /// A check rule. Each has a fixture under `tests/fixtures/check/<name>/`; a test enforces it.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
        pub enum Rule {
            $($(#[$doc])* $variant,)*
        }

        impl Rule {
            /// Every rule, in the order `check --list` prints them.
            pub(crate) const ALL: &'static [Rule] = &[$(Rule::$variant,)*];

            /// The rule's name as people type it (`tracker check --rule invalid-status`).
            pub fn name(self) -> &'static str {
                match self {
                    $(Rule::$variant => $name,)*
                }
            }

            pub(crate) fn severity(self) -> Severity {
                match self {
                    $(Rule::$variant => Severity::$severity,)*
                }
            }

            /// One line, in Chinese, saying what the rule finds.
            pub(crate) fn summary(self) -> &'static str {
                match self {
                    $(Rule::$variant => $summary,)*
                }
            }
        }
    };
}

impl Rule {
    pub(crate) fn find(name: &str) -> Option<Rule> {
        Rule::ALL.iter().copied().find(|r| r.name() == name)
    }
}

impl Serialize for Rule {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.name())
    }
}

impl std::fmt::Display for Rule {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.name())
    }
}

rules! {
    // Files and syntax.
    TomlSyntax = "toml-syntax", Error, "TOML 语法错误，或文件不是 UTF-8 文本";
    UnknownField = "unknown-field", Error, "出现未定义的字段（多半是拼写错误）";
    MissingField = "missing-field", Error, "缺少必填字段";
    InvalidValue = "invalid-value", Error, "字段值的类型或格式不对（日期、时区、轮次、类别）";
    MissingFile = "missing-file", Error, "缺少必需的文件 units.toml";
    TaskFileName = "task-file-name", Error, "tasks/ 中的文件名不是 NNN.toml";
    OutsideRoot = "outside-root", Error, "文件或文件夹是指向仓库之外的链接（不读取）";
    UnreadableFile = "unreadable-file", Error, "无法读取的文件（权限不足、链接失效、名字像文件的文件夹）";
    HolidayTable = "holiday-table", Error, "节假日表有误：日期不在所属年份、起止颠倒、同一天既放假又调休上班";
    // Units.
    UnsafeUnitId = "unsafe-unit-id", Error, "单位 id 不能安全地用作文件名（只用小写字母、数字、- 和 _）";
    DuplicateUnit = "duplicate-unit", Error, "两个单位使用了同一个 id、名称或别名";
    UnknownMember = "unknown-member", Error, "单位组的成员不是已知的单位 id";
    // Tasks.
    IdMismatch = "id-mismatch", Error, "任务编号与文件名不一致";
    DuplicateId = "duplicate-id", Error, "两个任务文件使用同一编号";
    MissingId = "missing-id", Error, "任务编号不连续（缺号）";
    UnknownUnit = "unknown-unit", Error, "牵头或配合单位不在 units.toml 中";
    UnknownOutline = "unknown-outline", Error, "篇章或节不在 tracker.toml 的提纲中";
    EmptyWork = "empty-work", Error, "工作事项为空";
    TargetValue = "target-value", Error, "目标值不大于 0";
    BreakdownSum = "breakdown-sum", Error, "分解数之和与目标值不符";
    Extension = "extension", Error, "延期记录有误：任务或牵头单位不对、新时限不晚于原时限或超出计划期、批准日期在将来";
    DueOutsidePlan = "due-outside-plan", Error, "完成时限不在计划期内";
    // Report files: where they are and what they are.
    RoundFolder = "round-folder", Error, "轮次文件夹不是 YYYY-MM，或不在报送日历内";
    UnknownReportFile = "unknown-report-file", Error, "报送文件名不是已知的单位 id（或不是 CSV）";
    GroupReport = "group-report", Error, "以单位组（如各县区政府）名义报送；应由成员单位分别报送";
    SpreadsheetFile = "spreadsheet-file", Error, "提交了 .xlsx/.xls/.ods 工作簿；应另存为 CSV UTF-8";
    NotText = "not-text", Error, "文件不是文本（例如改了扩展名的工作簿）";
    Encoding = "encoding", Warning, "文件是 GBK/GB18030 编码（已解码；建议另存为 CSV UTF-8）";
    ConflictMarker = "conflict-marker", Error, "文件中有未解决的 git 合并冲突标记";
    EmptyReport = "empty-report", Error, "文件为空、只有列名，或无法按 CSV 读取";
    MissingColumn = "missing-column", Error, "缺少模板规定的列";
    DuplicateColumn = "duplicate-column", Error, "同一列名出现两次（只读第一列）";
    ExtraCells = "extra-cells", Warning, "最后一列之后还有内容（读取时忽略）";
    CellTooLong = "cell-too-long", Error, "单元格超过 Excel 的 32,767 个字符上限";
    UnknownColumn = "unknown-column", Warning, "出现模板之外的列（读取时忽略）";
    HiddenFile = "hidden-file", Warning, "轮次文件夹中的隐藏文件（以 . 开头，不读取），例如中断写入留下的临时文件";
    // Report rows.
    UnknownTask = "unknown-task", Error, "任务编号为空、不是数字，或不在清单中";
    NotAssigned = "not-assigned", Error, "单位填报了既不牵头也不配合的任务";
    DuplicateRow = "duplicate-row", Error, "同一文件中同一任务填了两行";
    DuplicateMetric = "duplicate-metric", Error, "同一文件中同一指标填了两行";
    UnknownMetric = "unknown-metric", Error, "指标不是该任务的目标指标";
    InvalidStatus = "invalid-status", Error, "状态为空或不在“未启动、推进中、已完成、滞后、受阻”之内";
    InvalidProgress = "invalid-progress", Error, "进度为空、不是数字，或不在 0–100 之间";
    ProgressFraction = "progress-fraction", Error, "进度是 0 到 1 之间的小数（多半应为百分数；确为不足 1% 请写成 0.6%）";
    DoneBelow100 = "done-below-100", Error, "状态为已完成但进度低于 100";
    FullNotDone = "full-not-done", Warning, "进度为 100 但状态不是已完成";
    InvalidActual = "invalid-actual", Error, "完成值不是数字或为负数";
    ImplausibleActual = "implausible-actual", Warning, "完成值超过目标值的 3 倍（请核实）";
    MetricNotAsked = "metric-not-asked", Warning, "本单位不报这个指标（全市合计由报送单位报，本单位不在分解目标中），不计入";
    TargetSum = "target-sum", Warning, "指标对不上：分项之和大于全市合计、某单位超过本单位目标，或全市合计超过目标";
    InvalidDate = "invalid-date", Error, "填报日期无法识别，或不在计划年度内";
    FutureDate = "future-date", Error, "填报日期晚于“现在”（--as-of）";
    ProgressDecreased = "progress-decreased", Warning, "进度或完成值低于本单位上一轮（应为累计数）";
    CopiedNarrative = "copied-narrative", Warning, "本月进展与本单位上一轮完全相同（照抄上月）";
    NotFilled = "not-filled", Error, "文件不算报送：模板未改动、牵头任务未填状态或进度、未填或错填填报日期（截止前为警告）";
    LiaisonMismatch = "liaison-mismatch", Warning, "填报人或联系电话与 units.toml 中的联络员不一致";
    // The git ledger.
    GitHistory = "git-history", Warning, "读不到可信的提交历史（非 git 仓库、没有 git、浅克隆），收到时间不准";
    Uncommitted = "uncommitted", Warning, "报送文件尚未提交或有未提交的修改（提交后才算收到）";
    ClockSkew = "clock-skew", Warning, "提交时间与服务器收到时间相差超过一小时（收到时间以服务器为准）";
    Backdated = "backdated", Warning, "提交的作者时间与提交时间相差超过一天且跨过截止时间";
    TooLarge = "too-large", Error, "报送文件超过 tracker.toml [limits] 的大小或行数上限，未读取";
    Truncated = "truncated", Warning, "一个文件的问题太多，只列出前若干个（[limits] diagnostics_per_file）";
    FormulaZero = "formula-zero", Warning, "填报人或联系电话是 0（模板公式在“说明”页留空时的结果），按空白处理";
    DigestCell = "digest-cell", Warning, "一项任务一轮各牵头单位的文字合计超过 Excel 单元格上限，月度汇总表中将截断";
    ControlChar = "control-char", Error, "单元格或文件名中有控制字符或双向文字控制符（会扰乱终端、表格和文档的显示）";
    MissingReceipt = "missing-receipt", Warning, "服务器记录了收到时间，但报送文件的首次提交没有收到记录（只能按提交者可设定的提交时间计）";
    // Plans (推进计划) and scoring (督查考评).
    PlanFormat = "plan-format", Error, "推进计划文件的格式不对：列名、月份列、任务编号、节点说明，或文件名不是单位 id";
    PlanValue = "plan-value", Error, "计划进度不是 0–100 的累计数、比上月低，或到完成时限所在月份没有达到 100";
    PlanTask = "plan-task", Error, "推进计划写了不在清单中或本单位不牵头的任务";
    PlanChange = "plan-change", Error, "计划报送截止后修改了计划，plan-changes.toml 中没有批准记录（仍按原计划研判），或批准记录有误";
    Appeal = "appeal", Error, "申诉记录有误：对不上任何一项扣分，或字段不对";
}

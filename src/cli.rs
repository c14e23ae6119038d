//! The command tree. The `///` comments are the `--help` text, in Chinese: the users read them.

use std::path::PathBuf;

use clap::{Parser, Subcommand, ValueEnum};

use crate::assess::Assessment;
use crate::model::Round;

/// tracker — 重点任务清单的台账工具：导入清单、下发模板、校验报送、汇总研判、导出通报。
#[derive(Parser, Debug)]
#[command(name = "tracker", version, long_about = None)]
pub(crate) struct Cli {
    /// 任务仓库的根目录（含 tracker.toml 的目录）；默认从当前目录向上查找
    #[arg(long, global = true, value_name = "DIR")]
    pub root: Option<PathBuf>,

    /// 以此时刻为“现在”（便于复现）：2024-08-05T18:00:00+08:00，或 2024-08-05（当日结束）
    #[arg(long, global = true, env = "TRACKER_AS_OF", value_name = "TIME")]
    pub as_of: Option<String>,

    /// 已发布的轮次显示最新数据（含发布后的更正），而不是发布时的数据
    #[arg(long, global = true)]
    pub latest: bool,

    /// 颜色：auto（终端中着色，遵从 NO_COLOR 和 CLICOLOR_FORCE）、always、never
    #[arg(long, global = true, value_enum, default_value_t = ColorArg::Auto, value_name = "WHEN")]
    pub color: ColorArg,

    #[command(subcommand)]
    pub command: Command,
}

#[derive(Subcommand, Debug)]
pub(crate) enum Command {
    /// 检查仓库中的所有文件，一次列出全部问题
    Check(CheckArgs),
    /// 从清单原文（PDF 提取的文本）导入任务文件
    Import(ImportArgs),
    /// 本轮概况：谁已报送，哪些任务落后于序时进度
    Status(StatusArgs),
    /// 一项任务的全部情况：目标完成、各单位填报、历次进度
    Show(ShowArgs),
    /// 各单位历轮报送情况：按时、逾期、未报送、不完整、有错误
    Units(UnitsArgs),
    /// 导出月度汇总表（CSV 或 XLSX）：全部任务进展和各单位报送情况
    Digest(DigestArgs),
    /// 生成本轮通报草稿（Markdown）
    Circular(CircularArgs),
    /// 催报：列出本轮尚未报送或需更正的单位及其联络员，可直接贴到工作群
    Remind(RemindArgs),
    /// 督办：按 tracker.toml 的 [[escalation]] 规则，列出连续几轮红灯、黄灯、未报送的任务和单位
    Escalations(EscalationsArgs),
    /// 年终情况：每项任务的最终状态、各篇章统计和各牵头单位完成率
    Year(YearArgs),
    /// 检查并提交本单位本轮的报送文件（不必会用 git）
    Submit(SubmitArgs),
    /// 发布一轮：在 git 中记下通报和汇总表所依据的数据版本，此后该轮各输出均以发布时的数据为准
    Publish(PublishArgs),
    /// 安装或删除提交前检查钩子：检查不通过的提交会被拒绝
    #[command(subcommand)]
    Hook(HookCommand),
    /// 月度报送：为单位生成填报模板
    #[command(subcommand)]
    Report(ReportCommand),
    /// 推进计划：为牵头单位生成逐月计划模板，导入填好的计划
    #[command(subcommand)]
    Plan(PlanCommand),
    /// 督查考评：按 tracker.toml 的 [scoring] 规则给各牵头单位打分，逐项列出扣分及其来源
    Score(ScoreArgs),
    /// 生成命令行补全脚本（bash、zsh、fish、powershell、elvish），补全单位、轮次和任务编号
    Completions(CompletionsArgs),
    /// 输出手册页（man page，roff 格式）
    Man,
    /// 显示帮助：tracker help <命令>
    Help {
        /// 要查看的命令，例如 status 或 report new
        command: Vec<String>,
    },
}

#[derive(Copy, Clone, Debug, PartialEq, Eq, ValueEnum)]
pub(crate) enum Shell {
    Bash,
    Zsh,
    Fish,
    Powershell,
    Elvish,
}

#[derive(clap::Args, Debug)]
pub(crate) struct CompletionsArgs {
    /// 哪种 shell
    #[arg(value_enum)]
    pub shell: Shell,
}

#[derive(Subcommand, Debug)]
pub(crate) enum ReportCommand {
    /// 生成 reports/<轮次>/<单位id>.csv（或 --format xlsx 的工作簿）：本单位本轮模板，已带入上轮数值
    New(ReportNewArgs),
    /// 交回填好的工作簿（.xlsx/.xls/.ods）或 CSV：检查后转为 reports/<轮次>/<单位id>.csv
    Import(ReportImportArgs),
}

#[derive(Subcommand, Debug)]
pub(crate) enum PlanCommand {
    /// 生成 plans/<单位id>.csv（或 --format xlsx 的工作簿）：本单位牵头任务的逐月推进计划模板
    New(PlanNewArgs),
    /// 交回填好的计划工作簿或 CSV：检查后写入 plans/<单位id>.csv
    Import(PlanImportArgs),
}

#[derive(clap::Args, Debug)]
pub(crate) struct PlanNewArgs {
    /// 单位：id（如 jtj）、全称或别名
    #[arg(long)]
    pub unit: String,
    /// csv（仓库保存的格式）或 xlsx（带范围检查和填写说明的工作簿，填好后用 plan import 交回）
    #[arg(long, value_enum, default_value_t = TemplateFormat::Csv)]
    pub format: TemplateFormat,
    /// 输出路径；默认 plans/<单位id>.csv，工作簿为当前文件夹的 <单位id>-计划.xlsx
    #[arg(long, short)]
    pub output: Option<PathBuf>,
    /// 文件已存在时覆盖
    #[arg(long)]
    pub force: bool,
}

#[derive(clap::Args, Debug)]
pub(crate) struct PlanImportArgs {
    /// 填好的计划工作簿或 CSV
    pub file: PathBuf,
    /// 单位（默认取工作簿“说明”表中的单位编号）
    #[arg(long)]
    pub unit: Option<String>,
    /// plans/<单位id>.csv 有未提交的修改时仍覆盖
    #[arg(long)]
    pub force: bool,
}

#[derive(clap::Args, Debug)]
pub(crate) struct ScoreArgs {
    /// 只算这一轮 YYYY-MM；默认为最近截止的一轮
    #[arg(long, conflicts_with = "year")]
    pub round: Option<Round>,
    /// 全年：截至现在已截止的各轮相加
    #[arg(long)]
    pub year: bool,
    /// table、csv、json 或 xlsx
    #[arg(long, value_enum, default_value_t = ScoreFormat::Table)]
    pub format: ScoreFormat,
    /// xlsx 的输出路径；默认 reports/digests/<轮次或年度>-考评.xlsx
    #[arg(long, short)]
    pub output: Option<PathBuf>,
    /// 文件已存在时覆盖
    #[arg(long)]
    pub force: bool,
    #[command(flatten)]
    pub table: TableArgs,
}

#[derive(Copy, Clone, Debug, PartialEq, Eq, ValueEnum)]
pub(crate) enum ScoreFormat {
    Table,
    Csv,
    Json,
    Xlsx,
}

#[derive(clap::Args, Debug)]
pub(crate) struct ReportImportArgs {
    /// 填好的工作簿或 CSV
    pub file: PathBuf,
    /// 单位（默认取工作簿“说明”表中的单位编号）
    #[arg(long)]
    pub unit: Option<String>,
    /// 轮次 YYYY-MM（默认取工作簿“说明”表中的轮次）
    #[arg(long)]
    pub round: Option<Round>,
    /// 本轮的 CSV 已存在时覆盖
    #[arg(long)]
    pub force: bool,
}

#[derive(clap::Args, Debug)]
pub(crate) struct ReportNewArgs {
    /// 单位：id（如 jtj）、全称（如 市交通运输局）或别名
    #[arg(long)]
    pub unit: String,
    /// 轮次 YYYY-MM；默认为当前尚未截止的一轮
    #[arg(long)]
    pub round: Option<Round>,
    /// 文件已存在时覆盖
    #[arg(long)]
    pub force: bool,
    /// csv（仓库保存的格式）或 xlsx（带下拉选项、范围检查和填写说明的工作簿，填好后用 report import 交回）
    #[arg(long, value_enum, default_value_t = TemplateFormat::Csv)]
    pub format: TemplateFormat,
    /// 输出路径；默认 reports/<轮次>/<单位id>.csv（或 .xlsx）
    #[arg(long, short)]
    pub output: Option<PathBuf>,
}

#[derive(Copy, Clone, Debug, PartialEq, Eq, ValueEnum)]
pub(crate) enum TemplateFormat {
    Csv,
    Xlsx,
}

#[derive(clap::Args, Debug)]
pub(crate) struct CheckArgs {
    /// 警告也按错误处理（有警告时退出码为 1）
    #[arg(long)]
    pub strict: bool,
    /// 输出格式
    #[arg(long, value_enum, default_value_t = DiagFormat::Text)]
    pub format: DiagFormat,
    /// 列出全部检查规则
    #[arg(long)]
    pub list: bool,
    /// 只看这些文件或文件夹（如 reports/2024-08/jtj.csv），或只查这些规则（名称见 --list）
    #[arg(value_name = "PATH|RULE")]
    pub targets: Vec<String>,
    /// 只看该单位的报送文件（id、全称或别名；可重复）
    #[arg(long)]
    pub unit: Vec<String>,
    /// 检查暂存区（下一次提交的内容），而不是工作目录；只报告这次要提交的文件
    #[arg(long)]
    pub staged: bool,
    /// 已截止轮次的文件问题也逐条列出并计入退出码（默认只汇总为一行：已计入各单位记录）
    #[arg(long)]
    pub all_rounds: bool,
    /// 输出宽度（列数，至少 60）：过长的行按中文规则折行；默认取终端宽度，输出到管道时不折行
    #[arg(long, value_parser = clap::value_parser!(u16).range(60..))]
    pub width: Option<u16>,
}

#[derive(Copy, Clone, Debug, PartialEq, Eq, ValueEnum)]
pub(crate) enum DiagFormat {
    Text,
    Json,
}

#[derive(clap::Args, Debug)]
pub(crate) struct ImportArgs {
    /// 清单原文：由 PDF 提取、以制表符分栏的文本文件，或收到的表格（.xlsx/.xls/.ods/.csv，按列名识别
    /// 序号、重点任务、工作事项/具体任务、牵头单位、配合单位、完成时限）
    pub seed: PathBuf,
    /// 输出目录：写入 tasks/（没有 tracker.toml 时一并生成）；默认为仓库根目录
    #[arg(long, value_name = "DIR")]
    pub out: Option<PathBuf>,
    /// 更正文件；默认为原文文件名改扩展名为 .corrections.toml
    #[arg(long, value_name = "FILE")]
    pub corrections: Option<PathBuf>,
    /// 用于识别单位名称的单位名录；默认为输出目录中的 units.toml
    #[arg(long, value_name = "FILE")]
    pub units: Option<PathBuf>,
    /// 覆盖已有的任务文件
    #[arg(long)]
    pub force: bool,
}

#[derive(Copy, Clone, Debug, PartialEq, Eq, ValueEnum)]
pub(crate) enum OutputFormat {
    Table,
    Csv,
    Json,
}

#[derive(Copy, Clone, Debug, PartialEq, Eq, ValueEnum)]
pub(crate) enum ColorArg {
    Auto,
    Always,
    Never,
}

#[derive(Copy, Clone, Debug, PartialEq, Eq, ValueEnum)]
pub(crate) enum TableStyleArg {
    Utf8,
    Ascii,
}

#[derive(clap::Args, Debug)]
pub(crate) struct OutputArgs {
    /// 输出格式：table（表格）、csv 或 json
    #[arg(long, value_enum, default_value_t = OutputFormat::Table)]
    pub format: OutputFormat,
    #[command(flatten)]
    pub table: TableArgs,
}

#[derive(clap::Args, Debug)]
pub(crate) struct TableArgs {
    /// 表格宽度（列数，至少 60）；默认取终端宽度，输出到管道时不折行
    #[arg(long, value_parser = clap::value_parser!(u16).range(60..))]
    pub width: Option<u16>,
    /// 表格边框：utf8 制表符，或 ascii（适用于把制表符显示为双宽的终端）
    #[arg(long, value_enum, default_value_t = TableStyleArg::Utf8)]
    pub style: TableStyleArg,
}

#[derive(Copy, Clone, Debug, PartialEq, Eq, ValueEnum)]
pub(crate) enum ShowFormat {
    Table,
    Json,
}

#[derive(clap::Args, Debug)]
pub(crate) struct StatusArgs {
    /// 轮次 YYYY-MM；默认为最近已截止的一轮
    #[arg(long)]
    pub round: Option<Round>,
    /// 只看该单位牵头或配合的任务（id、全称或别名）
    #[arg(long)]
    pub unit: Option<String>,
    /// 只看该篇（1–8）
    #[arg(long)]
    pub chapter: Option<u32>,
    /// 只看该评估的任务：红灯、黄灯、已完成、超进度、达进度、受阻、未启动、未报送、有误、待报（或英文键名如 behind_red）
    #[arg(long, value_name = "评估", value_parser = assessment_arg)]
    pub assessment: Option<Assessment>,
    /// 列出全部任务，而不只是需关注的
    #[arg(long)]
    pub all: bool,
    /// 加一列各任务历轮进度的趋势（▁▃▅▆；--style ascii 时为数字）
    #[arg(long)]
    pub trend: bool,
    #[command(flatten)]
    pub output: OutputArgs,
}

#[derive(clap::Args, Debug)]
pub(crate) struct ShowArgs {
    /// 任务序号
    pub task: u32,
    /// 轮次 YYYY-MM；默认为最近已截止的一轮
    #[arg(long)]
    pub round: Option<Round>,
    /// 输出格式：table（表格）或 json
    #[arg(long, value_enum, default_value_t = ShowFormat::Table)]
    pub format: ShowFormat,
    #[command(flatten)]
    pub table: TableArgs,
}

#[derive(clap::Args, Debug)]
pub(crate) struct UnitsArgs {
    /// 统计到哪一轮 YYYY-MM；默认为最近已截止的一轮
    #[arg(long)]
    pub round: Option<Round>,
    #[command(flatten)]
    pub output: OutputArgs,
}

#[derive(Copy, Clone, Debug, PartialEq, Eq, ValueEnum)]
pub(crate) enum DigestFormat {
    Csv,
    Xlsx,
    /// 一页网页：总体情况、各篇章图、各单位历轮报送、需关注任务及趋势、全部任务；可离线打开、打印
    Html,
}

#[derive(clap::Args, Debug)]
pub(crate) struct DigestArgs {
    /// 轮次 YYYY-MM；默认为最近已截止的一轮
    #[arg(long)]
    pub round: Option<Round>,
    /// csv（两个文件：<轮次>.csv 与 <轮次>-units.csv）或 xlsx（一个工作簿、两张表）
    #[arg(long, value_enum, default_value_t = DigestFormat::Csv)]
    pub format: DigestFormat,
    /// 输出路径，- 为标准输出；默认 reports/digests/<轮次>.csv（或 .xlsx、.html）
    #[arg(long, short)]
    pub output: Option<std::path::PathBuf>,
    /// 年终版：每项任务的最终状态（按期完成、逾期完成、已批准延期、未完成）和各牵头单位完成率，
    /// 写入 reports/digests/<最后一轮>-year-end.csv
    #[arg(long)]
    pub year_end: bool,
}

#[derive(clap::Args, Debug)]
pub(crate) struct CircularArgs {
    /// 轮次 YYYY-MM；默认为最近已截止的一轮
    #[arg(long)]
    pub round: Option<Round>,
    /// 输出路径；默认（或 -）为标准输出
    #[arg(long, short)]
    pub output: Option<std::path::PathBuf>,
    /// 输出文件已存在时覆盖（草稿可能已被人工修改过）
    #[arg(long)]
    pub force: bool,
}

#[derive(clap::Args, Debug)]
pub(crate) struct PublishArgs {
    /// 要发布的轮次 YYYY-MM（须已截止）
    #[arg(long)]
    pub round: Round,
    /// 已发布过时重新发布（以当前数据替换原发布记录）
    #[arg(long)]
    pub force: bool,
}

#[derive(clap::Args, Debug)]
pub(crate) struct YearArgs {
    #[command(flatten)]
    pub output: OutputArgs,
}

#[derive(clap::Args, Debug)]
pub(crate) struct EscalationsArgs {
    /// 统计到哪一轮 YYYY-MM；默认为最近已截止的一轮
    #[arg(long)]
    pub round: Option<Round>,
    #[command(flatten)]
    pub output: OutputArgs,
}

#[derive(Copy, Clone, Debug, PartialEq, Eq, ValueEnum)]
pub(crate) enum RemindFormat {
    Text,
    Csv,
    Json,
}

#[derive(clap::Args, Debug)]
pub(crate) struct RemindArgs {
    /// 轮次 YYYY-MM；默认为尚未截止的一轮（全部截止后为最后一轮）
    #[arg(long)]
    pub round: Option<Round>,
    /// text（催报消息）、csv 或 json
    #[arg(long, value_enum, default_value_t = RemindFormat::Text)]
    pub format: RemindFormat,
}

#[derive(clap::Args, Debug)]
pub(crate) struct SubmitArgs {
    /// 单位：id、全称或别名
    #[arg(long)]
    pub unit: String,
    /// 填好的工作簿（.xlsx/.xls/.ods）：先转为本轮 CSV（report import），再检查并提交
    pub file: Option<PathBuf>,
    /// 轮次 YYYY-MM；默认为本单位尚未提交文件的最近一轮
    #[arg(long)]
    pub round: Option<Round>,
    /// 提交后推送到远程仓库
    #[arg(long)]
    pub push: bool,
}

#[derive(Subcommand, Debug)]
pub(crate) enum HookCommand {
    /// 安装钩子（不会覆盖已有钩子；--chain 保留并先运行它）
    Install(HookInstallArgs),
    /// 删除 tracker 安装的钩子（并恢复被保留的原钩子）
    Uninstall(HookPlaceArgs),
    /// （由服务器钩子调用）检查推送的报送文件，有错误时拒绝推送
    #[command(hide = true)]
    PreReceive,
    /// （由服务器钩子调用）记录服务器收到各报送文件的时间
    #[command(hide = true)]
    PostReceive,
}

#[derive(clap::Args, Debug)]
pub(crate) struct HookInstallArgs {
    /// 保留已有的同名钩子，并在 tracker 之前运行它
    #[arg(long)]
    pub chain: bool,
    /// 外层仓库中任务仓库所在的子目录（仅 --server；默认为仓库顶层）
    #[arg(long, value_name = "DIR", requires = "server")]
    pub root_path: Option<String>,
    #[command(flatten)]
    pub place: HookPlaceArgs,
}

#[derive(clap::Args, Debug)]
pub(crate) struct HookPlaceArgs {
    /// 服务器端：在市发展改革委的裸仓库中安装 pre-receive（拒绝有错误的推送）和 post-receive（记录收到时间）
    #[arg(long)]
    pub server: bool,
    /// 裸仓库的目录（仅 --server；默认为当前目录）
    #[arg(long, value_name = "DIR", requires = "server")]
    pub git_dir: Option<PathBuf>,
}

/// `--assessment`: any name of an assessment (红灯, behind_red, 黄 …), refused before anything loads.
fn assessment_arg(text: &str) -> Result<Assessment, String> {
    Assessment::parse(text).ok_or_else(|| {
        let names: Vec<String> = Assessment::ALL.iter().map(|a| a.names()[..2].join("/")).collect();
        format!(
            "评估「{text}」无法识别；可用：{}（也可写 红灯、黄灯 等表头）",
            names.join("、")
        )
    })
}

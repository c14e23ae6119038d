//! `tracker publish --round R`: records in git (an annotated tag) the commit a round's circular and
//! digest were made from; afterwards every output of the round shows that state by default.

use anyhow::{Result, bail};

use super::Context;
use crate::app::{in_calendar, workspace};
use crate::cli::PublishArgs;
use crate::ledger::{self, published};
use crate::outcome::Outcome;

pub(crate) fn run(ctx: &Context, args: &PublishArgs) -> Result<Outcome> {
    let root = ctx.root()?;
    if ctx.as_of.is_some() {
        bail!("tracker publish 记下的是实际发布时间，不能使用 --as-of");
    }
    let loaded = crate::load::load_plan(&root)?;
    let ws = workspace(&loaded)?;
    let round = in_calendar(ws.plan, args.round)?;
    let due = ws.plan.due(round);
    if ctx.as_of(ws.plan)? < due {
        bail!("{round} 轮 {} 才截止；截止后再发布", due.format("%Y-%m-%d %H:%M"));
    }
    // A round nobody reported on is no circular's basis: most likely the wrong round was named.
    let folder = format!("{}/{round}", crate::load::REPORTS_DIR);
    let reports = crate::load::list_dir(&root, &folder)?
        .iter()
        .filter(|f| f.to_lowercase().ends_with(".csv"))
        .count();
    if reports == 0 {
        bail!("{folder}/ 中没有任何报送文件，{round} 轮无可发布；请核对轮次（发布的是已收齐、已出通报的一轮）");
    }
    let version = ledger::data_version(&root);
    let Some(commit) = version.commit else {
        bail!("仓库还没有提交，无法发布：先提交数据（git add -A && git commit）");
    };
    if version.dirty {
        bail!(
            "有未提交的数据修改，而发布记下的是已提交的版本：先提交（git add -A && git commit）或撤销这些修改，再发布"
        );
    }
    if let Some((earlier, at)) = published::of(&root, round)
        && !args.force
    {
        let at = chrono::DateTime::from_timestamp(at, 0).map(|t| t.with_timezone(&ws.plan.timezone));
        bail!(
            "{round} 轮已于 {} 发布（数据版本 {}）；确需以当前数据重新发布，加 --force（原发布记录被替换）",
            at.map_or_else(String::new, |t| t.format("%Y-%m-%d %H:%M").to_string()),
            earlier.chars().take(7).collect::<String>()
        );
    }
    let message = format!(
        "发布 {round} 轮：{}（{}）的通报和汇总表据此版本生成",
        ws.plan.title, ws.plan.document
    );
    published::record(&root, round, &message, args.force)?;
    println!(
        "已发布 {round} 轮（{reports} 个报送文件）：数据版本 {commit}。此后 {round} 轮的 status、通报、汇总表默认以此版本为准，之后的修改列为“发布后更正”。"
    );
    println!("推送到服务器：git push origin refs/tags/{}", published::tag(round));
    Ok(Outcome::Clean)
}

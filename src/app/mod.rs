//! The application layer: opens the repository, loads it (round by round where a command judges
//! one round), checks it, and chooses the round, "now" and where received times come from. It hands
//! the commands a validated workspace; nothing below it reads the environment.

mod basis;
pub(crate) mod by_round;
mod context;
pub(crate) mod prepare;
pub(crate) mod schedules;
pub(crate) mod scores;
mod valid;
mod workspace;

pub(crate) use basis::received_by;
pub(crate) use context::Context;
pub(crate) use prepare::{Prepared, Reach, choose_times, prepare, prepare_for, reads_every_round};
pub(crate) use workspace::{default_round, in_calendar, late_for, resolve_unit, workspace};

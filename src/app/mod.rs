//! The application layer: opens the repository, loads it (round by round where a command judges
//! one round), checks it, and chooses the round, "now" and where received times come from. It hands
//! the commands a validated workspace; nothing below it reads the environment.

pub mod by_round;
mod context;
pub mod prepare;
mod valid;
mod workspace;

pub use context::Context;
pub use prepare::{Prepared, Reach, Times, choose_times, prepare, prepare_for, reads_every_round};
pub use valid::Valid;
pub use workspace::{in_calendar, resolve_unit, workspace};

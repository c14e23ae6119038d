//! Plain data: the plan (outline, calendar, thresholds), units, tasks and rounds.

pub mod plan;
pub mod round;
pub mod task;
pub mod unit;

pub use plan::{Calendar, Chapter, Plan, Section, Thresholds};
pub use round::Round;
pub use task::{Located, Target, Task};
pub use unit::{Group, Unit, UnitKind, UnitRef, Units};

//! The table engine for terminals: columns that give way by rule, lines fitted to the width,
//! the lights' colours.

pub mod fit;
pub(crate) mod palette;
pub(crate) mod table;

//! How a command that ran ended, and the exit code that says so.

use std::process::ExitCode;

/// How a command that ran ended: clean, or with problems in the data.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Outcome {
    Clean,
    DataProblems,
    /// The command line was wrong; clap has already said how.
    Usage,
}

impl Outcome {
    pub fn exit_code(self) -> ExitCode {
        match self {
            Outcome::Clean => ExitCode::SUCCESS,
            Outcome::DataProblems => ExitCode::from(1),
            Outcome::Usage => ExitCode::from(2),
        }
    }
}

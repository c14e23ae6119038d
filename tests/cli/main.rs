//! The integration tests: one binary, a module per area (as ripgrep and jj keep theirs). Each runs
//! the real `tracker` binary on fixture repositories; see CONTRIBUTING.md for the programs some of
//! them drive and how a missing one is reported.

mod common;
#[path = "../../examples/gen_workspace.rs"]
mod gen_workspace;

mod agreement;
mod authority;
mod bench_data;
mod calendar;
mod check_rules;
mod demo;
mod digest;
mod digest_workbook;
mod docs;
mod hostile;
mod html;
mod import;
mod import_table;
mod judgement;
mod layers;
mod ledger;
mod ledger_edges;
mod one_round;
mod plans;
mod published;
mod report_new;
mod report_reading;
mod scores;
pub(crate) mod server;
mod ssh;
mod submit_push;
mod targets;
mod terminal;
mod trust;
mod unit_branches;
mod workbook;

//! detc: a declarative YAML rule compiler for Splunk `security_content` detections.
//!
//! Modules follow the data's path: `source` → `diagnostic` → `content` → `validate` → `spl`
//! → `compile` → `events` → `plan` → `automaton` → `runtime` → `policy` → `output` → `cli`. A module may use
//! the ones before it, never after; `parallel` (the work-sharing map) and `calendar` (month and
//! weekday names) sit below them all; `harness` (what the fuzz targets run) sits above them.

pub mod automaton;
pub(crate) mod calendar;
pub mod cli;
pub mod compile;
pub mod content;
pub mod diagnostic;
pub mod events;
#[doc(hidden)]
pub mod harness;
pub mod output;
pub(crate) mod parallel;
pub mod plan;
pub mod policy;
pub mod runtime;
pub mod source;
pub mod spl;
pub mod validate;

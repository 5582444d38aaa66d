//! Running detections over events: values ([`value`]) and eval/where evaluation ([`eval`]);
//! the plan's pipeline execution joins them here.

pub mod eval;
pub mod value;

pub use value::Value;

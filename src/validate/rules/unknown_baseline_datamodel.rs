//! `B004`: each baseline `datamodel` item must be a known data model.
//!
//! ```yaml
//! datamodel:
//! - Processes
//! ```

use crate::diagnostic::{Code, Diagnostic};
use crate::validate::Context;

use super::{DATA_MODELS, check_enum};

/// Reports unknown data models.
pub(crate) fn check(context: &Context<'_>, out: &mut Vec<Diagnostic>) {
    for baseline in &context.content.baselines {
        for (index, item) in baseline.datamodel.value().into_iter().flatten().enumerate() {
            check_enum(
                Code::B004,
                &format!("datamodel.{index}"),
                item,
                DATA_MODELS,
                out,
            );
        }
    }
}

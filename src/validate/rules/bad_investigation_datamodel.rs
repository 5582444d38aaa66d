//! `I002`: an investigation's `datamodel` is required (may be empty); each item must be a
//! known data model.
//!
//! ```yaml
//! # no datamodel key
//! ```

use crate::content::Kind;
use crate::diagnostic::{Code, Diagnostic};
use crate::validate::Context;

use super::{DATA_MODELS, check_enum, missing};

/// Reports missing or unknown data models.
pub(crate) fn check(context: &Context<'_>, out: &mut Vec<Diagnostic>) {
    for investigation in &context.content.investigations {
        if investigation.datamodel.is_missing() {
            out.push(missing(
                Code::I002,
                investigation.meta.anchor,
                "datamodel",
                Kind::Investigation,
            ));
        }
        for (index, item) in investigation
            .datamodel
            .value()
            .into_iter()
            .flatten()
            .enumerate()
        {
            check_enum(
                Code::I002,
                &format!("datamodel.{index}"),
                item,
                DATA_MODELS,
                out,
            );
        }
    }
}

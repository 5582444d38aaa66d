//! `DP001`: a deployment's `type` is required and one of `TTP`, `Anomaly`, `Hunting`,
//! `Correlation`, `Baseline`, `Embedded`.
//!
//! ```yaml
//! type: Scheduled
//! ```

use crate::content::Kind;
use crate::diagnostic::{Code, Diagnostic};
use crate::validate::Context;

use super::{check_enum, missing};

/// Reports missing or unknown deployment types.
pub(crate) fn check(context: &Context<'_>, out: &mut Vec<Diagnostic>) {
    for deployment in &context.content.deployments {
        match deployment.deployment_type.get() {
            Some(value) => check_enum(
                Code::DP001,
                "type",
                value,
                &[
                    "TTP",
                    "Anomaly",
                    "Hunting",
                    "Correlation",
                    "Baseline",
                    "Embedded",
                ],
                out,
            ),
            None if deployment.deployment_type.is_missing() => {
                out.push(missing(
                    Code::DP001,
                    deployment.meta.anchor,
                    "type",
                    Kind::Deployment,
                ));
            }
            None => {}
        }
    }
}

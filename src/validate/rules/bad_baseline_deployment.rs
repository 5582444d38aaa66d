//! `B005`: a baseline's inline `deployment:` must be a valid deployment; without one,
//! `ESCU Default Configuration Baseline` must exist.
//!
//! ```yaml
//! deployment:
//!   scheduling: hourly
//! ```

use crate::content::yaml::Value;
use crate::diagnostic::{Code, Diagnostic};
use crate::validate::Context;
use crate::validate::shape::{ShapeCheck, check_deployment_body};

use super::push_problems;

const DEFAULT: &str = "ESCU Default Configuration Baseline";

/// Reports invalid inline deployments and a missing default one.
pub(crate) fn check(context: &Context<'_>, out: &mut Vec<Diagnostic>) {
    for baseline in &context.content.baselines {
        let inline = baseline
            .deployment
            .value()
            .filter(|node| !matches!(&node.value, Value::Map(entries) if entries.is_empty()));
        if let Some(node) = inline {
            let mut check = ShapeCheck::new(node, "deployment.");
            check_deployment_body(&mut check);
            push_problems(Code::B005, check.problems, out);
        } else if context.kind_of(DEFAULT).is_none() {
            let span = baseline
                .baseline_type
                .span()
                .unwrap_or(baseline.meta.anchor);
            out.push(Diagnostic::new(
                Code::B005,
                span,
                format!("deployment `{DEFAULT}` is not defined"),
            ));
        }
    }
}

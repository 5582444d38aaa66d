//! `B005`: a baseline's inline `deployment:` must be a valid deployment; without one,
//! `ESCU Default Configuration Baseline` must exist.
//!
//! ```yaml
//! deployment:
//!   scheduling: hourly
//! ```

use crate::diagnostic::{Code, Diagnostic};
use crate::validate::Context;

use super::check_deployment;

const DEFAULT: &str = "ESCU Default Configuration Baseline";

/// Reports invalid inline deployments and a missing default one.
pub(crate) fn check(context: &Context<'_>, out: &mut Vec<Diagnostic>) {
    for baseline in &context.content.baselines {
        let span = baseline
            .baseline_type
            .span()
            .unwrap_or(baseline.meta.anchor);
        check_deployment(
            context,
            Code::B005,
            &baseline.deployment,
            Some(DEFAULT),
            span,
            out,
        );
    }
}

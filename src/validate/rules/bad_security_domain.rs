//! `T008`: `tags.security_domain` is required and one of `endpoint`, `network`, `threat`,
//! `identity`, `access`, `audit`, `cloud`.
//!
//! ```yaml
//! security_domain: Endpoint     # lower case only
//! ```

use crate::diagnostic::{Code, Diagnostic};
use crate::validate::Context;

use super::{SECURITY_DOMAINS, check_enum};

/// Reports a missing or unknown security domain.
pub(crate) fn check(context: &Context<'_>, out: &mut Vec<Diagnostic>) {
    for detection in &context.content.detections {
        let Some(tags) = detection.tags.get() else {
            continue;
        };
        match tags.value.security_domain.get() {
            Some(value) => {
                check_enum(
                    Code::T008,
                    "tags.security_domain",
                    value,
                    SECURITY_DOMAINS,
                    out,
                );
            }
            None if tags.value.security_domain.is_missing() => out.push(Diagnostic::new(
                Code::T008,
                tags.span,
                "`tags` has no `security_domain`",
            )),
            None => {}
        }
    }
}

//! `I003`: an investigation's `tags`: `analytic_story` (at least one, each defined),
//! `product` (at least one; `Splunk Phantom` is allowed here), `required_fields` (at least
//! one), and a known `security_domain`.
//!
//! ```yaml
//! tags:
//!   analytic_story: []
//! ```

use crate::content::Kind;
use crate::diagnostic::{Code, Diagnostic};
use crate::validate::Context;

use super::bad_baseline_tags::{INVESTIGATION_PRODUCTS, check_tags};
use super::missing;

/// Reports invalid investigation tags.
pub(crate) fn check(context: &Context<'_>, out: &mut Vec<Diagnostic>) {
    for investigation in &context.content.investigations {
        match investigation.tags.get() {
            Some(tags) => check_tags(
                context,
                Code::I003,
                tags,
                INVESTIGATION_PRODUCTS,
                false,
                out,
            ),
            None if investigation.tags.is_missing() => out.push(missing(
                Code::I003,
                investigation.meta.anchor,
                "tags",
                Kind::Investigation,
            )),
            None => {}
        }
    }
}

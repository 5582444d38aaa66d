//! `T011`: the optional tags `confidence_id` (1..=3), `impact_id` (1..=5) and
//! `research_site_url` (an http(s) URL) must be valid when present.
//!
//! ```yaml
//! impact_id: 9
//! ```

use crate::diagnostic::{Code, Diagnostic};
use crate::validate::Context;
use crate::validate::patterns::is_http_url;

/// Reports out-of-range optional tags.
pub(crate) fn check(context: &Context<'_>, out: &mut Vec<Diagnostic>) {
    for detection in &context.content.detections {
        let Some(tags) = detection.tags.value() else {
            continue;
        };
        for (key, field, max) in [
            ("confidence_id", &tags.confidence_id, 3),
            ("impact_id", &tags.impact_id, 5),
        ] {
            if let Some(value) = field.get()
                && !(1..=max).contains(&value.value)
            {
                out.push(Diagnostic::new(
                    Code::T011,
                    value.span,
                    format!("`tags.{key}` must be in 1..={max}, found {}", value.value),
                ));
            }
        }
        if let Some(url) = tags.research_site_url.get()
            && !is_http_url(&url.value)
        {
            out.push(Diagnostic::new(
                Code::T011,
                url.span,
                "`tags.research_site_url` is not an absolute http(s) URL",
            ));
        }
    }
}

//! `DS002`: each `supported_TA` item needs a `name` and a `version` (strings) and, if
//! present, a `url` that is an http(s) URL.
//!
//! ```yaml
//! supported_TA:
//! - name: Splunk Add-on for Sysmon
//!   url: splunkbase/app/5709       # not a URL; no version
//! ```

use crate::diagnostic::{Code, Diagnostic};
use crate::validate::Context;
use crate::validate::patterns::is_http_url;
use crate::validate::shape::ShapeCheck;

use super::push_problems;

/// Reports malformed add-on entries.
pub(crate) fn check(context: &Context<'_>, out: &mut Vec<Diagnostic>) {
    for data_source in &context.content.data_sources {
        let Some(items) = data_source.supported_ta.value() else {
            continue;
        };
        for (index, item) in items.iter().enumerate() {
            let mut check = ShapeCheck::new(item, &format!("supported_TA.{index}."));
            check.required_str("name", 0);
            check.required_str("version", 0);
            if let Some(url) = check.optional_str("url", 0)
                && !is_http_url(url)
                && let Some(node) = check.value("url")
            {
                out.push(Diagnostic::new(
                    Code::DS002,
                    node.span,
                    format!("`supported_TA.{index}.url` is not an absolute http(s) URL"),
                ));
            }
            push_problems(Code::DS002, check.problems, out);
        }
    }
}

//! `G007`: every `references` item must be an absolute http(s) URL with a host.
//!
//! ```yaml
//! references:
//! - www.example.com/report   # no scheme
//! ```

use crate::diagnostic::{Code, Diagnostic};
use crate::validate::Context;
use crate::validate::patterns::is_http_url;

/// Reports references that are not http(s) URLs.
pub(crate) fn check(context: &Context<'_>, out: &mut Vec<Diagnostic>) {
    for (_, _, header) in context.content.objects() {
        let Some(references) = header.references.value() else {
            continue;
        };
        for (index, reference) in references.iter().enumerate() {
            if !is_http_url(&reference.value) {
                out.push(Diagnostic::new(
                    Code::G007,
                    reference.span,
                    format!("`references.{index}` is not an absolute http(s) URL"),
                ));
            }
        }
    }
}

//! `G011`: a name a field refers to exists, but as another kind of object (a story name in
//! a search's macro call, a detection name in `tags.analytic_story`, ...). Names that
//! exist nowhere are reported by the field's own rule (`D006`, `D007`, `D008`, `B003`,
//! `I003`, `D020`).
//!
//! ```yaml
//! tags:
//!   analytic_story:
//!   - Some Detection Name      # a detection, not a story
//! ```

use crate::content::{Kind, Spanned};
use crate::diagnostic::{Code, Diagnostic};
use crate::source::Span;
use crate::validate::Context;
use crate::validate::search_refs::{checked_lookups, macro_names};

use super::{default_deployment_name, search_span};

/// Reports references that resolve to the wrong kind.
pub(crate) fn check(context: &Context<'_>, out: &mut Vec<Diagnostic>) {
    // The span is computed only for a hit: mapping search offsets back to the file is
    // the expensive part.
    let mut report = |name: &str, span: &dyn Fn() -> Span, expected: Kind| {
        if let Some(found) = context.kind_of(name)
            && found != expected
        {
            out.push(Diagnostic::new(
                Code::G011,
                span(),
                format!("`{name}` is a {found}, expected a {expected}"),
            ));
        }
    };
    let stories = |list: Option<&Vec<Spanned<String>>>| {
        list.map(|items| {
            items
                .iter()
                .map(|i| (i.value.clone(), i.span))
                .collect::<Vec<_>>()
        })
        .unwrap_or_default()
    };
    for detection in &context.content.detections {
        let tags = detection.tags.value();
        for (name, span) in stories(tags.and_then(|t| t.analytic_story.value())) {
            report(&name, &|| span, Kind::Story);
        }
        if let Some(search) = detection.search.get() {
            for (name, offset) in macro_names(&search.value) {
                let span =
                    || search_span(context, search, offset.saturating_sub(1), name.len() + 1);
                report(&name, &span, Kind::Macro);
            }
            for (name, offset) in checked_lookups(&search.value) {
                let span = || search_span(context, search, offset, name.len());
                report(&name, &span, Kind::Lookup);
            }
        }
        if detection.deployment.is_missing()
            && let Some(name) = detection.analytic_type().and_then(default_deployment_name)
        {
            let span = detection
                .analytic_type
                .span()
                .unwrap_or(detection.meta.anchor);
            report(name, &|| span, Kind::Deployment);
        }
    }
    for baseline in &context.content.baselines {
        let tags = baseline.tags.value();
        for (name, span) in stories(tags.and_then(|t| t.analytic_story.value())) {
            report(&name, &|| span, Kind::Story);
        }
    }
    for investigation in &context.content.investigations {
        let tags = investigation.tags.value();
        for (name, span) in stories(tags.and_then(|t| t.analytic_story.value())) {
            report(&name, &|| span, Kind::Story);
        }
    }
}

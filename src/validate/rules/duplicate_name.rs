//! `G009`: two objects of any kinds may not share a `name` (case-sensitive). The filter
//! macro contentctl creates for each detection (`<stem>_filter`, when no macro file defines
//! it) takes part: a story named `x_filter` collides with detection `X`'s macro.
//!
//! Why: contentctl registers every object by name and refuses the second one.
//!
//! ```yaml
//! # stories/a.yml and stories/b.yml both say
//! name: Same Story
//! ```

use std::collections::HashMap;

use crate::content::{Kind, Meta};
use crate::diagnostic::{Code, Diagnostic};
use crate::source::Span;
use crate::validate::Context;

/// Reports every name already taken when its object is loaded.
pub(crate) fn check(context: &Context<'_>, out: &mut Vec<Diagnostic>) {
    let mut taken: HashMap<&str, (Kind, Option<&Meta>, Span)> = HashMap::new();
    let mut filters: Vec<String> = Vec::new();
    for detection in &context.content.detections {
        filters.push(detection.filter_macro_name().unwrap_or_default());
    }
    let mut detections = context.content.detections.iter().zip(&filters);
    for (kind, meta, header) in context.content.objects() {
        if kind == Kind::Detection
            && let Some((detection, filter)) = detections.next()
            && !filter.is_empty()
        {
            // contentctl builds the filter macro before it registers the detection.
            match taken.get(filter.as_str()) {
                Some((Kind::Macro, _, _)) => {}
                Some((other, other_meta, other_span)) => {
                    let span = detection.header.name.span().unwrap_or(meta.anchor);
                    let mut diagnostic = Diagnostic::new(
                        Code::G009,
                        span,
                        format!(
                            "the filter macro `{filter}` contentctl creates for this detection has the name of a {other}"
                        ),
                    );
                    if other_meta.is_some() {
                        diagnostic = diagnostic.with_label(*other_span, "that name is taken here");
                    }
                    out.push(diagnostic);
                }
                None => {
                    taken.insert(filter.as_str(), (Kind::Macro, None, meta.anchor));
                }
            }
        }
        let Some(name) = header.name.get() else {
            continue;
        };
        match taken.get(name.value.as_str()) {
            Some((other, other_meta, other_span)) => {
                let mut diagnostic = Diagnostic::new(
                    Code::G009,
                    name.span,
                    format!("the name `{}` is already used by a {other}", name.value),
                );
                diagnostic = match other_meta {
                    Some(_) => diagnostic.with_label(*other_span, "first used here"),
                    None => diagnostic.with_note(
                        "contentctl created that filter macro automatically for a detection",
                    ),
                };
                out.push(diagnostic);
            }
            None => {
                taken.insert(name.value.as_str(), (kind, Some(meta), name.span));
            }
        }
    }
}

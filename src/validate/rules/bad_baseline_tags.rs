//! `B003`: a baseline's `tags`: `analytic_story` (each a defined story), `detections`
//! (required; names not checked, as contentctl), `product` and `required_fields` (at least
//! one each, known products), and a known `security_domain`.
//!
//! ```yaml
//! tags:
//!   analytic_story: [No Such Story]
//!   product: []
//! ```

use crate::content::{BaselineTags, Kind, Spanned};
use crate::diagnostic::{Code, Diagnostic};
use crate::source::Span;
use crate::validate::Context;

use super::{PRODUCTS, SECURITY_DOMAINS, check_enum, missing};

/// The product list investigations accept (adds `Splunk Phantom`).
pub(super) const INVESTIGATION_PRODUCTS: &[&str] = &[
    "Splunk Enterprise",
    "Splunk Enterprise Security",
    "Splunk Cloud",
    "Splunk Security Analytics for AWS",
    "Splunk Behavioral Analytics",
    "Splunk Phantom",
];

/// Checks the tag shape shared by baselines (`B003`) and investigations (`I003`).
pub(super) fn check_tags(
    context: &Context<'_>,
    code: Code,
    tags: &Spanned<BaselineTags>,
    products: &[&str],
    needs_detections: bool,
    out: &mut Vec<Diagnostic>,
) {
    let t = &tags.value;
    let at: Span = tags.span;
    match t.analytic_story.get() {
        None if t.analytic_story.is_missing() => {
            out.push(Diagnostic::new(code, at, "`tags` has no `analytic_story`"));
        }
        Some(stories) if stories.value.is_empty() && !needs_detections => {
            out.push(Diagnostic::new(
                code,
                stories.span,
                "`tags.analytic_story` needs at least one story",
            ));
        }
        Some(stories) => {
            for story in &stories.value {
                if context.kind_of(&story.value).is_none() {
                    out.push(Diagnostic::new(
                        code,
                        story.span,
                        format!("story `{}` is not defined", story.value),
                    ));
                }
            }
        }
        None => {}
    }
    if needs_detections && t.detections.is_missing() {
        out.push(Diagnostic::new(code, at, "`tags` has no `detections`"));
    }
    for (key, field) in [
        ("product", &t.product),
        ("required_fields", &t.required_fields),
    ] {
        match field.get() {
            None if field.is_missing() => {
                out.push(Diagnostic::new(code, at, format!("`tags` has no `{key}`")));
            }
            Some(items) if items.value.is_empty() => out.push(Diagnostic::new(
                code,
                items.span,
                format!("`tags.{key}` needs at least one item"),
            )),
            Some(items) if key == "product" => {
                for item in &items.value {
                    check_enum(code, "tags.product", item, products, out);
                }
            }
            _ => {}
        }
    }
    match t.security_domain.get() {
        Some(domain) => check_enum(code, "tags.security_domain", domain, SECURITY_DOMAINS, out),
        None if t.security_domain.is_missing() => {
            out.push(Diagnostic::new(code, at, "`tags` has no `security_domain`"));
        }
        None => {}
    }
}

/// Reports invalid baseline tags.
pub(crate) fn check(context: &Context<'_>, out: &mut Vec<Diagnostic>) {
    for baseline in &context.content.baselines {
        match baseline.tags.get() {
            Some(tags) => check_tags(context, Code::B003, tags, PRODUCTS, true, out),
            None if baseline.tags.is_missing() => {
                out.push(missing(
                    Code::B003,
                    baseline.meta.anchor,
                    "tags",
                    Kind::Baseline,
                ));
            }
            None => {}
        }
    }
}

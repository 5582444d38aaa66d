//! `S002`: a story's `tags` need `category` (at least one known category), `product` (at
//! least one known product) and a known `usecase`; `cve` items must match the CVE pattern.
//! Unknown keys in story `tags` are errors even in v4 (reported while loading).
//!
//! ```yaml
//! tags:
//!   category: [Spying]
//!   usecase: Hunting
//! ```

use crate::content::{Spanned, StrList};
use crate::diagnostic::{Code, Diagnostic};
use crate::source::Span;
use crate::validate::Context;
use crate::validate::patterns::CVE_PATTERN;

use super::{PRODUCTS, check_enum, missing};

const CATEGORIES: &[&str] = &[
    "Abuse",
    "Adversary Tactics",
    "Best Practices",
    "Cloud Security",
    "Compliance",
    "Malware",
    "Uncategorized",
    "Vulnerability",
    "Account Compromise",
    "Data Destruction",
    "Lateral Movement",
    "Privilege Escalation",
    "Ransomware",
    "Unauthorized Software",
];

const USECASES: &[&str] = &[
    "Fraud Detection",
    "Compliance",
    "Application Security",
    "Security Monitoring",
    "Advanced Threat Detection",
    "Insider Threat",
    "Other",
];

fn check_list(
    key: &str,
    list: Option<&Spanned<StrList>>,
    is_missing: bool,
    tags_span: Span,
    allowed: &[&str],
    out: &mut Vec<Diagnostic>,
) {
    match list {
        None if is_missing => out.push(Diagnostic::new(
            Code::S002,
            tags_span,
            format!("`tags` has no `{key}`"),
        )),
        None => {}
        Some(items) if items.value.is_empty() => out.push(Diagnostic::new(
            Code::S002,
            items.span,
            format!("`tags.{key}` needs at least one item"),
        )),
        Some(items) => {
            for item in &items.value {
                check_enum(Code::S002, &format!("tags.{key}"), item, allowed, out);
            }
        }
    }
}

/// Reports invalid story tags.
pub(crate) fn check(context: &Context<'_>, out: &mut Vec<Diagnostic>) {
    for story in &context.content.stories {
        let Some(tags) = story.tags.get() else {
            if story.tags.is_missing() {
                out.push(missing(
                    Code::S002,
                    story.meta.anchor,
                    "tags",
                    crate::content::Kind::Story,
                ));
            }
            continue;
        };
        let t = &tags.value;
        check_list(
            "category",
            t.category.get(),
            t.category.is_missing(),
            tags.span,
            CATEGORIES,
            out,
        );
        check_list(
            "product",
            t.product.get(),
            t.product.is_missing(),
            tags.span,
            PRODUCTS,
            out,
        );
        match t.usecase.get() {
            Some(usecase) => check_enum(Code::S002, "tags.usecase", usecase, USECASES, out),
            None if t.usecase.is_missing() => out.push(Diagnostic::new(
                Code::S002,
                tags.span,
                "`tags` has no `usecase`",
            )),
            None => {}
        }
        for (index, cve) in t.cve.value().into_iter().flatten().enumerate() {
            if !context.patterns.is_cve(&cve.value) {
                out.push(Diagnostic::new(
                    Code::S002,
                    cve.span,
                    format!(
                        "`tags.cve.{index}` does not match `{CVE_PATTERN}`: `{}`",
                        cve.value
                    ),
                ));
            }
        }
    }
}

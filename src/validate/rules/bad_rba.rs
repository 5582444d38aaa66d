//! `D021`: the v5 `rba:` block. `message` is required; `risk_objects` needs at least one
//! item `{field, type: system|user|other, score: 1..100}`; `threat_objects` is required
//! (may be empty), items `{field, type}` with a known threat type. If the detection's
//! deployment enables RBA, `rba:` is required; if it does not, `rba:` must be absent. In
//! production detections every object's field and every `$token$` of the message must occur
//! in the lower-cased search.
//!
//! ```yaml
//! rba:
//!   message: Tool ran on $dest$
//!   risk_objects:
//!   - field: dest
//!     type: host        # not system, user or other
//!     score: 0
//! ```

use crate::content::{Detection, Field, Format};
use crate::diagnostic::{Code, Diagnostic};
use crate::validate::Context;
use crate::validate::search_refs::message_tokens;
use crate::validate::shape::ShapeCheck;

use super::{default_deployment_name, is_production, push_problems};

const RISK_TYPES: &[&str] = &["system", "user", "other"];

const THREAT_TYPES: &[&str] = &[
    "certificate_common_name",
    "certificate_organization",
    "certificate_serial",
    "certificate_unit",
    "command",
    "domain",
    "email_address",
    "email_subject",
    "file_hash",
    "file_name",
    "file_path",
    "http_user_agent",
    "ip_address",
    "process",
    "process_name",
    "parent_process",
    "parent_process_name",
    "process_hash",
    "registry_path",
    "registry_value_name",
    "registry_value_text",
    "service",
    "signature",
    "system",
    "tls_hash",
    "url",
];

fn is_rba_enabled(context: &Context<'_>, detection: &Detection) -> Option<bool> {
    if let Some(inline) = detection.deployment.value()
        && inline.as_map().is_some_and(|entries| !entries.is_empty())
    {
        let enabled = inline
            .value_of("alert_action")
            .and_then(|action| action.value_of("rba"))
            .and_then(|rba| rba.value_of("enabled"))
            .and_then(|enabled| crate::content::field::lax_bool(&enabled.value));
        return Some(enabled.unwrap_or(false));
    }
    let name = detection
        .analytic_type()
        .and_then(default_deployment_name)?;
    context
        .content
        .deployments
        .iter()
        .find(|deployment| deployment.header.name.as_str() == Some(name))
        .map(crate::content::Deployment::is_rba_enabled)
}

/// Reports invalid v5 `rba` blocks.
pub(crate) fn check(context: &Context<'_>, out: &mut Vec<Diagnostic>) {
    for detection in &context.content.detections {
        if detection.meta.format != Format::V5 {
            continue;
        }
        let enabled = is_rba_enabled(context, detection);
        let rba = match &detection.rba {
            Field::Present(rba) => rba,
            Field::Invalid(_) => continue,
            Field::Missing => {
                if enabled == Some(true) {
                    out.push(Diagnostic::new(
                        Code::D021,
                        detection.meta.anchor,
                        "this v5 detection's deployment enables RBA, so it needs an `rba` block",
                    ));
                }
                continue;
            }
        };
        if enabled == Some(false) {
            out.push(Diagnostic::new(
                Code::D021,
                rba.span,
                "this detection's deployment does not enable RBA, so `rba` must be absent",
            ));
        }
        let rba = &rba.value;
        if rba.message.is_missing() {
            out.push(Diagnostic::new(
                Code::D021,
                rba.span,
                "`rba` has no `message`",
            ));
        }
        let search = detection.search.as_str().unwrap_or_default().to_lowercase();
        let check_search = is_production(detection) && detection.search.get().is_some();
        if check_search && let Some(message) = rba.message.get() {
            for token in message_tokens(&message.value) {
                if !search.contains(&token) {
                    out.push(Diagnostic::new(
                        Code::D021,
                        message.span,
                        format!("rba message token `${token}$` does not occur in the search"),
                    ));
                }
            }
        }
        for (key, allowed, has_score) in [
            ("risk_objects", RISK_TYPES, true),
            ("threat_objects", THREAT_TYPES, false),
        ] {
            let field = if has_score {
                &rba.risk_objects
            } else {
                &rba.threat_objects
            };
            let items = match field {
                Field::Present(items) => items,
                Field::Invalid(_) => continue,
                Field::Missing => {
                    out.push(Diagnostic::new(
                        Code::D021,
                        rba.span,
                        format!("`rba` has no `{key}`"),
                    ));
                    continue;
                }
            };
            if has_score && items.value.is_empty() {
                out.push(Diagnostic::new(
                    Code::D021,
                    items.span,
                    "`rba.risk_objects` needs at least one risk object",
                ));
            }
            for (index, item) in items.value.iter().enumerate() {
                let mut check = ShapeCheck::new(item, &format!("rba.{key}.{index}."));
                let field_name = check.required_str("field", 1);
                if let Some(kind) = check.required_str("type", 0)
                    && !allowed.contains(&kind)
                    && let Some(node) = check.value("type")
                {
                    out.push(Diagnostic::new(
                        Code::D021,
                        node.span,
                        format!("`rba.{key}.{index}.type` is not a known type: `{kind}`"),
                    ));
                }
                if has_score {
                    check.required_int("score", 1..=100);
                    check.forbid_unknown(&["field", "type", "score"]);
                } else {
                    check.forbid_unknown(&["field", "type"]);
                }
                if check_search
                    && let Some(name) = field_name
                    && !search.contains(&name.to_lowercase())
                    && let Some(node) = check.value("field")
                {
                    out.push(Diagnostic::new(
                        Code::D021,
                        node.span,
                        format!("rba field `{name}` does not occur in the search"),
                    ));
                }
                push_problems(Code::D021, check.problems, out);
            }
        }
    }
}

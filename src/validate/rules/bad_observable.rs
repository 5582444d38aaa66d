//! `T005`: each observable needs a non-empty `name`, a `type` from contentctl's list
//! (case-sensitive), and a `role` list of exactly one `Attacker` or `Victim`.
//!
//! ```yaml
//! observable:
//! - name: dest
//!   type: hostname        # case matters: Hostname
//!   role: [Victim, Attacker]
//! ```

use super::not_allowed;
use crate::diagnostic::{Code, Diagnostic};
use crate::validate::Context;

const ROLES: &[&str] = &["Attacker", "Victim"];

const OBSERVABLE_TYPES: &[&str] = &[
    "Unknown",
    "Hostname",
    "IP Address",
    "MAC Address",
    "User Name",
    "Email Address",
    "URL String",
    "File Name",
    "File Hash",
    "Process Name",
    "Resource UID",
    "Endpoint",
    "User",
    "Email",
    "Uniform Resource Locator",
    "File",
    "Process",
    "Geo Location",
    "Container",
    "Registry Key",
    "Registry Value",
    "Other",
];

/// Reports malformed observables.
pub(crate) fn check(context: &Context<'_>, out: &mut Vec<Diagnostic>) {
    for detection in &context.content.detections {
        let Some(tags) = detection.tags.value() else {
            continue;
        };
        for (index, observable) in tags.observable.value().into_iter().flatten().enumerate() {
            let path = format!("tags.observable.{index}");
            match observable.name.get() {
                Some(name) if name.value.is_empty() => out.push(Diagnostic::new(
                    Code::T005,
                    name.span,
                    format!("`{path}.name` is empty"),
                )),
                None if observable.name.is_missing() => out.push(Diagnostic::new(
                    Code::T005,
                    observable.span,
                    format!("`{path}` has no `name`"),
                )),
                _ => {}
            }
            match observable.kind.get() {
                Some(kind) if !OBSERVABLE_TYPES.contains(&kind.value.as_str()) => {
                    out.push(not_allowed(
                        Code::T005,
                        &format!("{path}.type"),
                        kind,
                        OBSERVABLE_TYPES,
                    ));
                }
                None if observable.kind.is_missing() => out.push(Diagnostic::new(
                    Code::T005,
                    observable.span,
                    format!("`{path}` has no `type`"),
                )),
                _ => {}
            }
            match observable.role.get() {
                Some(roles) if roles.value.len() != 1 => out.push(Diagnostic::new(
                    Code::T005,
                    roles.span,
                    format!(
                        "`{path}.role` must hold exactly one role, found {}",
                        roles.value.len()
                    ),
                )),
                Some(roles) => {
                    for role in &roles.value {
                        if !ROLES.contains(&role.value.as_str()) {
                            out.push(not_allowed(
                                Code::T005,
                                &format!("{path}.role"),
                                role,
                                ROLES,
                            ));
                        }
                    }
                }
                None if observable.role.is_missing() => out.push(Diagnostic::new(
                    Code::T005,
                    observable.span,
                    format!("`{path}` has no `role`"),
                )),
                None => {}
            }
        }
    }
}

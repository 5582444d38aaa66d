//! One file per rule, each named for the problem it flags, plus the few helpers they share.
//!
//! Why the contentctl rules matter at all: contentctl 4.4.1 fails `validate`, and so the ESCU
//! build, on every one of them; a file's own doc adds a reason where there is more to say.
//! Wrong YAML types are reported while loading, with the field's code (so `M003`, a macro's
//! `arguments` that is not a list of strings, and `DS003`, a data source list field that is
//! not a list, have no file here: that is all they check).

pub(super) mod bad_alert_action;
pub(super) mod bad_atomic_guid;
pub(super) mod bad_author;
pub(super) mod bad_baseline_deployment;
pub(super) mod bad_baseline_tags;
pub(super) mod bad_baseline_type;
pub(super) mod bad_confidence_impact;
pub(super) mod bad_csv_shape;
pub(super) mod bad_cve_id;
pub(super) mod bad_date;
pub(super) mod bad_deployment_type;
pub(super) mod bad_description;
pub(super) mod bad_detection_deployment;
pub(super) mod bad_drilldown;
pub(super) mod bad_id;
pub(super) mod bad_investigation_datamodel;
pub(super) mod bad_investigation_tags;
pub(super) mod bad_investigation_type;
pub(super) mod bad_lookup_option;
pub(super) mod bad_lookup_suffix;
pub(super) mod bad_macro_definition;
pub(super) mod bad_match_type;
pub(super) mod bad_mitre_id;
pub(super) mod bad_name;
pub(super) mod bad_observable;
pub(super) mod bad_product;
pub(super) mod bad_rba;
pub(super) mod bad_reference_url;
pub(super) mod bad_scheduling;
pub(super) mod bad_security_domain;
pub(super) mod bad_story_tags;
pub(super) mod bad_supported_ta;
pub(super) mod bad_test;
pub(super) mod bad_throttling;
pub(super) mod bad_version;
pub(super) mod computed_field_set;
pub(super) mod disallowed_lookup_file;
pub(super) mod duplicate_id;
pub(super) mod duplicate_name;
pub(super) mod enabled_by_default_not_allowed;
pub(super) mod file_name_mismatch;
pub(super) mod four_backticks;
pub(super) mod lookup_source_not_exclusive;
pub(super) mod message_token_not_in_search;
pub(super) mod missing_data_source_origin;
pub(super) mod missing_detection_text;
pub(super) mod missing_drilldowns;
pub(super) mod missing_filter_macro;
pub(super) mod missing_lookup_description;
pub(super) mod missing_lookup_file;
pub(super) mod missing_macro_description;
pub(super) mod missing_message;
pub(super) mod missing_narrative;
pub(super) mod missing_required_fields;
pub(super) mod missing_tests;
pub(super) mod missing_victim_observable;
pub(super) mod observable_not_in_search;
pub(super) mod optional_tag_out_of_range;
pub(super) mod orphan_lookup_file;
pub(super) mod reference_of_wrong_kind;
pub(super) mod risk_score_mismatch;
pub(super) mod short_baseline_text;
pub(super) mod undefined_data_source;
pub(super) mod undefined_lookup;
pub(super) mod undefined_macro;
pub(super) mod undefined_story;
pub(super) mod unknown_asset_type;
pub(super) mod unknown_baseline_datamodel;
pub(super) mod unknown_detection_status;
pub(super) mod unknown_detection_type;

use crate::content::Field;
use crate::content::scalar::ScalarMap;
use crate::content::yaml::{Node, Value};
use crate::content::{Detection, Kind, Spanned};
use crate::diagnostic::suggest::did_you_mean_name;
use crate::diagnostic::{Code, Diagnostic};
use crate::source::Span;
use crate::validate::Context;
use crate::validate::shape::{Problem, ShapeCheck, check_deployment_body};

/// "`<kind>` has no `<key>`", at `at` (the mapping's first key or the file start).
///
/// Every rule says a required key is missing in this form, "<subject> has no `<key>`", at the
/// mapping: [`merge_missing_keys`] relies on it to turn several into one diagnostic.
#[must_use]
pub(super) fn missing(code: Code, at: Span, key: &str, kind: Kind) -> Diagnostic {
    Diagnostic::new(code, at, format!("{kind} has no `{key}`"))
}

/// The subject and key of a "<subject> has no `<key>`" error.
fn missing_key(diagnostic: &Diagnostic) -> Option<(&str, &str)> {
    if !diagnostic.is_error() {
        return None;
    }
    let (subject, key) = diagnostic.message.split_once(" has no `")?;
    let key = key.strip_suffix('`')?;
    (!key.contains('`')).then_some((subject, key))
}

/// The mapping (its span and how messages name it) and its missing keys with their codes.
type MissingGroup = (Span, String, Vec<(String, Code)>);

/// Replaces two or more "has no `key`" errors at the same mapping by one `L017` that lists
/// the keys (with the code that checks each), at the place of the first: a file missing
/// half its keys gets one message, not one per key, all at the same position.
#[must_use]
pub(crate) fn merge_missing_keys(diagnostics: Vec<Diagnostic>) -> Vec<Diagnostic> {
    // Missing-key errors by (span, subject), in first-seen order.
    let mut groups: Vec<MissingGroup> = Vec::new();
    for diagnostic in &diagnostics {
        if let Some((subject, key)) = missing_key(diagnostic) {
            let span = diagnostic.primary;
            match groups
                .iter_mut()
                .find(|(at, about, _)| *at == span && about == subject)
            {
                Some((_, _, keys)) => keys.push((key.to_owned(), diagnostic.code)),
                None => groups.push((
                    span,
                    subject.to_owned(),
                    vec![(key.to_owned(), diagnostic.code)],
                )),
            }
        }
    }
    groups.retain(|(_, _, keys)| keys.len() > 1);
    if groups.is_empty() {
        return diagnostics;
    }
    let mut out = Vec::with_capacity(diagnostics.len());
    for diagnostic in diagnostics {
        let group = missing_key(&diagnostic).and_then(|(subject, _)| {
            groups
                .iter_mut()
                .find(|(at, about, _)| *at == diagnostic.primary && about == subject)
        });
        let Some((span, subject, keys)) = group else {
            out.push(diagnostic);
            continue;
        };
        // The first of a group becomes the merged diagnostic; the others are dropped.
        if keys.is_empty() {
            continue;
        }
        let listed: Vec<String> = keys.iter().map(|(key, _)| format!("`{key}`")).collect();
        let checked: Vec<String> = keys
            .iter()
            .map(|(key, code)| format!("`{key}` {}", code.as_str()))
            .collect();
        out.push(
            Diagnostic::new(
                Code::L017,
                *span,
                format!(
                    "{subject} is missing {} required keys: {}",
                    keys.len(),
                    listed.join(", ")
                ),
            )
            .with_note(format!("the code that checks each: {}", checked.join(", "))),
        );
        keys.clear();
    }
    out
}

/// The file span of `length` bytes at `offset` of a decoded `search` value.
#[must_use]
pub(super) fn search_span(
    context: &Context<'_>,
    search: &Spanned<String>,
    offset: usize,
    length: usize,
) -> Span {
    let Some(file) = context.sources.get(search.span.file) else {
        return search.span;
    };
    let map = ScalarMap::build(file.text(), search.span.start as usize, &search.value);
    let start = map.file_offset(offset);
    let end = map.file_offset(offset + length).max(start);
    Span::new(search.span.file, start, end)
}

/// The deployment contentctl picks for a detection `type` without an inline deployment.
#[must_use]
pub(super) fn default_deployment_name(analytic_type: &str) -> Option<&'static str> {
    match analytic_type {
        "TTP" => Some("ESCU Default Configuration TTP"),
        "Anomaly" => Some("ESCU Default Configuration Anomaly"),
        "Hunting" => Some("ESCU Default Configuration Hunting"),
        "Correlation" => Some("ESCU Default Configuration Correlation"),
        _ => None,
    }
}

/// Whether the detection's `status` is `production`.
#[must_use]
pub(super) fn is_production(detection: &Detection) -> bool {
    detection.status() == Some("production")
}

/// Pushes shape problems with `code`.
pub(super) fn push_problems(code: Code, problems: Vec<Problem>, out: &mut Vec<Diagnostic>) {
    out.extend(
        problems
            .into_iter()
            .map(|problem| Diagnostic::new(code, problem.span, problem.message)),
    );
}

/// The deployment rules of baselines (`B005`) and detections (`D020`): an inline, non-empty
/// `deployment:` must be a valid deployment body; without one, the default deployment
/// `default` (if the object has one) must exist, reported at `span`.
pub(super) fn check_deployment(
    context: &Context<'_>,
    code: Code,
    inline: &Field<Node>,
    default: Option<&str>,
    span: Span,
    out: &mut Vec<Diagnostic>,
) {
    let inline = inline
        .value()
        .filter(|node| !matches!(&node.value, Value::Map(entries) if entries.is_empty()));
    if let Some(node) = inline {
        let mut check = ShapeCheck::new(node, "deployment.");
        check_deployment_body(&mut check);
        push_problems(code, check.problems, out);
    } else if let Some(name) = default
        && context.kind_of(name).is_none()
    {
        out.push(Diagnostic::new(
            code,
            span,
            format!("deployment `{name}` is not defined"),
        ));
    }
}

/// The one-of check shared by enum rules: reports `value` if it is not in `allowed`.
pub(super) fn check_enum(
    code: Code,
    path: &str,
    value: &Spanned<String>,
    allowed: &[&str],
    out: &mut Vec<Diagnostic>,
) {
    if !allowed.contains(&value.value.as_str()) {
        out.push(not_allowed(code, path, value, allowed));
    }
}

/// "`path` is `value`, which is not allowed", with the allowed values, and what was meant
/// when the value differs only in case or is a near miss.
#[must_use]
pub(super) fn not_allowed(
    code: Code,
    path: &str,
    value: &Spanned<String>,
    allowed: &[&str],
) -> Diagnostic {
    let listed = allowed
        .iter()
        .map(|candidate| format!("`{candidate}`"))
        .collect::<Vec<_>>()
        .join(", ");
    let diagnostic = Diagnostic::new(
        code,
        value.span,
        format!(
            "`{path}` is `{}`, which is not an allowed value",
            value.value
        ),
    )
    .with_note(format!("allowed values: {listed}"));
    match did_you_mean_name(&value.value, allowed.iter().copied()) {
        Some(meant) => diagnostic.with_help(meant_help(&value.value, meant)),
        None => diagnostic,
    }
}

/// The help for a name that is close to `meant`: "did you mean", or, when only the case
/// differs, that case matters.
#[must_use]
pub(super) fn meant_help(written: &str, meant: &str) -> String {
    if meant.to_lowercase() == written.to_lowercase() {
        format!("names and values are case-sensitive: write `{meant}`")
    } else {
        format!("did you mean `{meant}`?")
    }
}

/// The products contentctl 4.4.1 knows.
pub(super) const PRODUCTS: &[&str] = &[
    "Splunk Enterprise",
    "Splunk Enterprise Security",
    "Splunk Cloud",
    "Splunk Security Analytics for AWS",
    "Splunk Behavioral Analytics",
];

/// Security domains.
pub(super) const SECURITY_DOMAINS: &[&str] = &[
    "endpoint", "network", "threat", "identity", "access", "audit", "cloud",
];

/// Data models (baselines, investigations).
pub(super) const DATA_MODELS: &[&str] = &[
    "Endpoint",
    "Network_Traffic",
    "Authentication",
    "Change",
    "Change_Analysis",
    "Email",
    "Network_Resolution",
    "Network_Sessions",
    "UEBA",
    "Updates",
    "Vulnerabilities",
    "Web",
    "Risk",
    "Splunk_Audit",
];

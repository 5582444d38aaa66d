//! `D019`: `baselines`, `cve_enrichment` and `tags.mitre_attack_enrichments` are computed by
//! contentctl; a non-empty value in YAML is an error.
//!
//! ```yaml
//! baselines:
//! - Some Baseline
//! ```

use crate::content::Field;
use crate::content::yaml::{Node, Value};
use crate::diagnostic::{Code, Diagnostic};
use crate::validate::Context;

fn is_empty(node: &Node) -> bool {
    match &node.value {
        Value::Null => true,
        Value::Seq(items) => items.is_empty(),
        Value::Map(entries) => entries.is_empty(),
        Value::Str(text) => text.is_empty(),
        _ => false,
    }
}

/// Reports computed fields set in YAML.
pub(crate) fn check(context: &Context<'_>, out: &mut Vec<Diagnostic>) {
    for detection in &context.content.detections {
        let enrichments = detection
            .tags
            .value()
            .map_or(&Field::Missing, |tags| &tags.mitre_attack_enrichments);
        for (key, field) in [
            ("baselines", &detection.baselines),
            ("cve_enrichment", &detection.cve_enrichment),
            ("tags.mitre_attack_enrichments", enrichments),
        ] {
            if let Some(node) = field.get()
                && !is_empty(&node.value)
            {
                out.push(Diagnostic::new(
                    Code::D019,
                    node.span,
                    format!("`{key}` is computed by the build and must not be set"),
                ));
            }
        }
    }
}

//! `D009` (warning): each `data_source` item, split on `AND` and trimmed, should name a data
//! source. contentctl prints all misses once, sorted, after loading; we emit one warning per
//! undefined name, at its first use, with a note saying how many detections use it.
//!
//! ```yaml
//! data_source:
//! - Sysmon EventID 1 AND Sysmon EventID 99   # the second is not defined
//! ```

use std::collections::BTreeMap;

use super::meant_help;
use crate::content::Kind;
use crate::diagnostic::{Code, Diagnostic};
use crate::source::Span;
use crate::validate::Context;

/// Reports each undefined data source name once.
pub(crate) fn check(context: &Context<'_>, out: &mut Vec<Diagnostic>) {
    // name -> (first use, detections using it); BTreeMap for a stable order.
    let mut undefined: BTreeMap<&str, (Span, usize)> = BTreeMap::new();
    let defined: std::collections::HashSet<&str> = context
        .content
        .data_sources
        .iter()
        .filter_map(|source| source.header.name.as_str())
        .collect();
    for detection in &context.content.detections {
        let mut seen_here: Vec<&str> = Vec::new();
        for item in detection.data_source.value().into_iter().flatten() {
            for part in item.value.split("AND").map(str::trim) {
                if defined.contains(part) || seen_here.contains(&part) {
                    continue;
                }
                seen_here.push(part);
                let entry = undefined.entry(part).or_insert((item.span, 0));
                entry.1 += 1;
            }
        }
    }
    for (name, (span, uses)) in undefined {
        let detections = if uses == 1 {
            "detection uses"
        } else {
            "detections use"
        };
        let help = match context.closest(name, Kind::DataSource) {
            Some(meant) => meant_help(name, meant),
            None => format!(
                "add a {} named `{name}` under data_sources/",
                Kind::DataSource
            ),
        };
        out.push(
            Diagnostic::new(
                Code::D009,
                span,
                format!("data source `{name}` is not defined"),
            )
            .with_note(format!("{uses} {detections} it"))
            .with_help(help),
        );
    }
}

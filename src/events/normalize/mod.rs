//! CIM normalization as data: data model membership and CIM fields computed from the
//! `detc_mapping` of data source files (`crate::content::mapping`), compiled once into a
//! [`Normalizer`] and applied to each event as it is read.
//!
//! # Where mappings come from
//!
//! detc ships mappings in this repository's own `data_sources/` and embeds them in the binary
//! ([`EMBEDDED`]), so a tree without any `detc_mapping` (the Splunk corpus has none) is still
//! normalized. A content tree's data source overrides the embedded one **by name**: its own
//! `detc_mapping` replaces the embedded mapping. Under either mapping, the `cim` entries of
//! the tree's `field_mappings` (or the embedded file's, when the tree lacks the data source)
//! for a node's dataset are applied first, `Image|endswith` meaning the basename, and the
//! mapping's `fields` then replace them field by field: so the corpus `field_mappings` are used
//! where they are right and a mapping fixes them where they are not (cim-mapping.md 4.1).
//!
//! # Per event
//!
//! For each data source whose `match` holds: for each node whose `when` holds, the event joins
//! the dataset, each CIM field's transform appends its values (borrowed from the read buffer
//! where they are slices of raw values), and each declared default field still without a value
//! gets `unknown` (section 2.8). CIM fields sit next to the raw ones, never replacing them.

mod forever;
mod plan;

pub(crate) use forever::forever;

use std::borrow::Cow;
use std::path::Path;

pub use plan::PlanError;

use self::plan::{Cond, Plan};
use super::{DatasetId, DatasetTable, Event, FieldId, FieldTable};
use crate::content::mapping::DetcMapping;
use crate::content::{Content, DataSource, Loaded};

macro_rules! embed {
    ($file:literal) => {
        (
            $file,
            include_str!(concat!(env!("CARGO_MANIFEST_DIR"), "/data_sources/", $file)),
        )
    };
}

/// The data source files embedded in the binary: every file of this repository's
/// `data_sources/` that carries a `detc_mapping` (a test keeps the list complete).
pub const EMBEDDED: &[(&str, &str)] = &[
    embed!("sysmon_eventid_1.yml"),
    embed!("sysmon_eventid_3.yml"),
    embed!("sysmon_eventid_11.yml"),
    embed!("sysmon_eventid_12.yml"),
    embed!("sysmon_eventid_13.yml"),
    embed!("sysmon_eventid_14.yml"),
    embed!("sysmon_eventid_22.yml"),
    embed!("sysmon_eventid_23.yml"),
    embed!("sysmon_eventid_26.yml"),
    embed!("suricata.yml"),
    embed!("windows_event_log_security_4688.yml"),
    embed!("windows_event_log_security_4794.yml"),
    embed!("zeek_conn.yml"),
];

/// The embedded data sources, loaded as a content tree of their own.
#[must_use]
pub fn embedded() -> Loaded {
    let files = EMBEDDED
        .iter()
        .map(|(name, text)| {
            (
                Path::new("data_sources").join(name),
                text.as_bytes().to_vec(),
            )
        })
        .collect();
    crate::content::load_files(Path::new("<embedded>"), files)
}

/// Every mapping that applies to a run over `tree`: the tree's own mappings, then each
/// embedded one whose data source name the tree does not map itself. Each comes with the data
/// source whose `field_mappings` it inherits (the tree's of that name, else the embedded one).
#[must_use]
pub fn effective_sources<'a>(
    tree: Option<&'a Content>,
    embedded: &'a Content,
) -> Vec<(&'a DataSource, &'a DetcMapping)> {
    let tree_sources: &[DataSource] = tree.map_or(&[], |content| &content.data_sources);
    let mut chosen: Vec<(&DataSource, &DetcMapping)> = tree_sources
        .iter()
        .filter_map(|source| {
            source
                .detc_mapping
                .as_ref()
                .map(|mapping| (source, mapping))
        })
        .collect();
    for source in &embedded.data_sources {
        let Some(mapping) = &source.detc_mapping else {
            continue;
        };
        let overridden = tree_sources
            .iter()
            .any(|own| own.detc_mapping.is_some() && own.name() == source.name());
        if overridden {
            continue;
        }
        let inherits_from = tree_sources
            .iter()
            .find(|own| own.name().is_some() && own.name() == source.name())
            .unwrap_or(source);
        chosen.push((inherits_from, mapping));
    }
    chosen
}

/// The CIM default for a missing field (section 2.8).
const UNKNOWN: &str = "unknown";

/// Compiled mappings, ready to apply to events.
#[derive(Debug)]
pub struct Normalizer {
    sources: Vec<CompiledSource>,
}

#[derive(Debug)]
struct CompiledSource {
    matches: Cond,
    nodes: Vec<CompiledNode>,
}

#[derive(Debug)]
struct CompiledNode {
    dataset: DatasetId,
    when: Option<Cond>,
    fields: Vec<(FieldId, Plan)>,
    defaults: Vec<FieldId>,
}

impl Normalizer {
    /// A normalizer that does nothing (no mappings).
    #[must_use]
    pub fn empty() -> Normalizer {
        Normalizer {
            sources: Vec::new(),
        }
    }

    /// Compiles `sources` (see [`effective_sources`]), interning every field and dataset name
    /// they use into `fields` and `datasets`, so events read with the same `fields` table share
    /// the ids.
    ///
    /// # Errors
    /// A regex that does not compile (the content reader has already reported it as `N007`,
    /// so this happens only for a mapping that skipped it).
    pub fn build(
        sources: &[(&DataSource, &DetcMapping)],
        fields: &mut FieldTable,
        datasets: &mut DatasetTable,
    ) -> Result<Normalizer, PlanError> {
        let mut compiled = Vec::with_capacity(sources.len());
        for (data_source, mapping) in sources {
            let mut nodes = Vec::with_capacity(mapping.nodes.len());
            for node in &mapping.nodes {
                let Some(dataset) = datasets.intern(&node.node.value) else {
                    continue;
                };
                let mut rules: Vec<(FieldId, Plan)> =
                    inherited(data_source, &node.node.value, fields);
                for rule in &node.fields {
                    let id = fields.intern(&rule.name.value);
                    let plan = Plan::compile(&rule.transform, fields)?;
                    match rules.iter_mut().find(|(field, _)| *field == id) {
                        Some(slot) => slot.1 = plan,
                        None => rules.push((id, plan)),
                    }
                }
                let defaults = mapping
                    .defaults
                    .iter()
                    .filter(|defaults| defaults.node.value == node.node.value)
                    .flat_map(|defaults| &defaults.unknown)
                    .map(|field| fields.intern(&field.value))
                    .collect();
                nodes.push(CompiledNode {
                    dataset,
                    when: node
                        .when
                        .as_ref()
                        .map(|when| Cond::compile(when, fields))
                        .transpose()?,
                    fields: rules,
                    defaults,
                });
            }
            compiled.push(CompiledSource {
                matches: Cond::compile(&mapping.match_, fields)?,
                nodes,
            });
        }
        Ok(Normalizer { sources: compiled })
    }

    /// Adds membership, CIM fields and defaults to `event`.
    pub fn apply(&self, event: &mut Event<'_>) {
        let mut values: Vec<Cow<'_, str>> = Vec::new();
        for source in &self.sources {
            if !source.matches.holds(event) {
                continue;
            }
            for node in &source.nodes {
                if node.when.as_ref().is_some_and(|when| !when.holds(event)) {
                    continue;
                }
                event.add_dataset(node.dataset);
                for (field, plan) in &node.fields {
                    values.clear();
                    plan.eval(event, &mut values);
                    for value in values.drain(..) {
                        event.push_cim(*field, value);
                    }
                }
                for field in &node.defaults {
                    let has_value = event
                        .values_from(*field, super::Origin::Cim)
                        .any(|value| !value.is_empty());
                    if !has_value {
                        // Splunk_SA_CIM's `if(isnull(f) OR f="", "unknown", f)`: an empty
                        // value is replaced, not kept beside `unknown`.
                        event.remove(*field, super::Origin::Cim);
                        event.push_cim(*field, UNKNOWN);
                    }
                }
            }
        }
    }

    /// Every raw field the mappings read (sorted, no duplicates): what a reader's projection
    /// must keep for normalization to see what it needs.
    #[must_use]
    pub fn inputs(&self) -> Vec<FieldId> {
        let mut out = Vec::new();
        for source in &self.sources {
            source.matches.inputs(&mut out);
            for node in &source.nodes {
                if let Some(when) = &node.when {
                    when.inputs(&mut out);
                }
                for (_, plan) in &node.fields {
                    plan.inputs(&mut out);
                }
            }
        }
        out.sort_unstable();
        out.dedup();
        out
    }

    /// How many data sources it applies.
    #[must_use]
    pub fn len(&self) -> usize {
        self.sources.len()
    }

    /// Whether it applies none.
    #[must_use]
    pub fn is_empty(&self) -> bool {
        self.sources.is_empty()
    }
}

/// The `cim` `field_mappings` entries of `source` for `dataset`, as plans: `Raw` copies,
/// `Raw|endswith` takes the basename (what the corpus means by it). Targets are written
/// `Processes.process_name`; the dataset part is dropped.
fn inherited(source: &DataSource, dataset: &str, fields: &mut FieldTable) -> Vec<(FieldId, Plan)> {
    let Some(mappings) = source.field_mappings.value() else {
        return Vec::new();
    };
    let short = dataset.rsplit('.').next().unwrap_or(dataset);
    let mut rules: Vec<(FieldId, Plan)> = Vec::new();
    for mapping in mappings {
        if mapping.data_model.as_str() != Some("cim") || mapping.data_set.as_str() != Some(dataset)
        {
            continue;
        }
        for pair in &mapping.mapping {
            let target = pair.target.value.as_str();
            let name = target
                .strip_prefix(short)
                .and_then(|rest| rest.strip_prefix('.'))
                .unwrap_or(target);
            let id = fields.intern(name);
            let raw = fields.intern(&pair.raw.value);
            let plan = match pair.modifier.as_deref() {
                None => Plan::copy(raw),
                Some("endswith") => Plan::basename_of(raw),
                // Another Sigma modifier has no meaning for events: skip the pair.
                Some(_) => continue,
            };
            match rules.iter_mut().find(|(field, _)| *field == id) {
                Some(slot) => slot.1 = plan,
                None => rules.push((id, plan)),
            }
        }
    }
    rules
}

//! Checks over the loaded content model: every contentctl 4.4.1 rule plus our `X` lints.
//! Each rule is one file in `rules/`; the runner below lists them, one line each, and
//! collects their diagnostics. It never reads file contents and never prints.
//!
//! Unlike contentctl, which stops after the first kind with an error, every rule runs on
//! every object, so one run reports everything.

mod context;
mod patterns;
mod rules;
mod search_refs;
mod shape;

use crate::content::Loaded;
use crate::diagnostic::{Code, Diagnostic};
use crate::parallel::parallel_map;

pub(crate) use context::Context;
pub use search_refs::IGNORED_MACRO_SUBSTRINGS;

/// One registered rule: the code it emits (its main one) and its check.
struct Rule {
    /// The code, for listings and tests.
    #[allow(dead_code, reason = "documents the registry; read by tests")]
    code: Code,
    check: fn(&Context<'_>, &mut Vec<Diagnostic>),
}

/// Every rule, in code order. Adding a rule is one line here and one file in `rules/`.
#[rustfmt::skip]
const RULES: &[Rule] = &[
    Rule { code: Code::L004, check: rules::disallowed_lookup_file::check },
    Rule { code: Code::L005, check: rules::orphan_lookup_file::check },
    Rule { code: Code::G001, check: rules::bad_name::check },
    Rule { code: Code::G002, check: rules::bad_id::check },
    Rule { code: Code::G003, check: rules::bad_version::check },
    Rule { code: Code::G004, check: rules::bad_date::check },
    Rule { code: Code::G005, check: rules::bad_author::check },
    Rule { code: Code::G006, check: rules::bad_description::check },
    Rule { code: Code::G007, check: rules::bad_reference_url::check },
    Rule { code: Code::G008, check: rules::file_name_mismatch::check },
    Rule { code: Code::G009, check: rules::duplicate_name::check },
    Rule { code: Code::G010, check: rules::duplicate_id::check },
    Rule { code: Code::G011, check: rules::reference_of_wrong_kind::check },
    Rule { code: Code::D001, check: rules::unknown_detection_type::check },
    Rule { code: Code::D002, check: rules::unknown_detection_status::check },
    Rule { code: Code::D003, check: rules::missing_detection_text::check },
    Rule { code: Code::D004, check: rules::missing_filter_macro::check },
    Rule { code: Code::D005, check: rules::four_backticks::check },
    Rule { code: Code::D006, check: rules::undefined_macro::check },
    Rule { code: Code::D007, check: rules::undefined_lookup::check },
    Rule { code: Code::D008, check: rules::undefined_story::check },
    Rule { code: Code::D009, check: rules::undefined_data_source::check },
    Rule { code: Code::D010, check: rules::missing_tests::check },
    Rule { code: Code::D011, check: rules::bad_test::check },
    Rule { code: Code::D012, check: rules::missing_drilldowns::check },
    Rule { code: Code::D013, check: rules::bad_drilldown::check },
    Rule { code: Code::D014, check: rules::enabled_by_default_not_allowed::check },
    Rule { code: Code::D015, check: rules::missing_victim_observable::check },
    Rule { code: Code::D016, check: rules::observable_not_in_search::check },
    Rule { code: Code::D017, check: rules::message_token_not_in_search::check },
    Rule { code: Code::D018, check: rules::bad_throttling::check },
    Rule { code: Code::D019, check: rules::computed_field_set::check },
    Rule { code: Code::D020, check: rules::bad_detection_deployment::check },
    Rule { code: Code::D021, check: rules::bad_rba::check },
    Rule { code: Code::T001, check: rules::unknown_asset_type::check },
    Rule { code: Code::T002, check: rules::bad_confidence_impact::check },
    Rule { code: Code::T003, check: rules::bad_mitre_id::check },
    Rule { code: Code::T004, check: rules::bad_cve_id::check },
    Rule { code: Code::T005, check: rules::bad_observable::check },
    Rule { code: Code::T006, check: rules::bad_product::check },
    Rule { code: Code::T007, check: rules::missing_required_fields::check },
    Rule { code: Code::T008, check: rules::bad_security_domain::check },
    Rule { code: Code::T009, check: rules::missing_message::check },
    Rule { code: Code::T010, check: rules::bad_atomic_guid::check },
    Rule { code: Code::T011, check: rules::optional_tag_out_of_range::check },
    Rule { code: Code::S001, check: rules::missing_narrative::check },
    Rule { code: Code::S002, check: rules::bad_story_tags::check },
    Rule { code: Code::M001, check: rules::bad_macro_definition::check },
    Rule { code: Code::M002, check: rules::missing_macro_description::check },
    Rule { code: Code::K001, check: rules::lookup_source_not_exclusive::check },
    Rule { code: Code::K002, check: rules::missing_lookup_file::check },
    Rule { code: Code::K003, check: rules::bad_lookup_suffix::check },
    Rule { code: Code::K004, check: rules::bad_csv_shape::check },
    Rule { code: Code::K005, check: rules::bad_match_type::check },
    Rule { code: Code::K006, check: rules::bad_lookup_option::check },
    Rule { code: Code::K007, check: rules::missing_lookup_description::check },
    Rule { code: Code::DS001, check: rules::missing_data_source_origin::check },
    Rule { code: Code::DS002, check: rules::bad_supported_ta::check },
    Rule { code: Code::DP001, check: rules::bad_deployment_type::check },
    Rule { code: Code::DP002, check: rules::bad_scheduling::check },
    Rule { code: Code::DP003, check: rules::bad_alert_action::check },
    Rule { code: Code::B001, check: rules::bad_baseline_type::check },
    Rule { code: Code::B002, check: rules::short_baseline_text::check },
    Rule { code: Code::B003, check: rules::bad_baseline_tags::check },
    Rule { code: Code::B004, check: rules::unknown_baseline_datamodel::check },
    Rule { code: Code::B005, check: rules::bad_baseline_deployment::check },
    Rule { code: Code::I001, check: rules::bad_investigation_type::check },
    Rule { code: Code::I002, check: rules::bad_investigation_datamodel::check },
    Rule { code: Code::I003, check: rules::bad_investigation_tags::check },
    Rule { code: Code::X009, check: rules::risk_score_mismatch::check },
];

/// Runs every rule over `loaded` and returns the diagnostics, unsorted.
#[must_use]
pub fn validate(loaded: &Loaded) -> Vec<Diagnostic> {
    let context = Context::new(loaded);
    // Rules are independent and read-only, so they run on all cores; results are merged
    // in registry order, so the output does not depend on thread timing.
    let diagnostics = parallel_map(RULES, |rule| {
        let mut diagnostics = Vec::new();
        (rule.check)(&context, &mut diagnostics);
        diagnostics
    })
    .into_iter()
    .flatten()
    .collect();
    rules::merge_missing_keys(diagnostics)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn registry_has_one_line_per_code() {
        let mut codes: Vec<_> = RULES.iter().map(|rule| rule.code).collect();
        let count = codes.len();
        codes.sort_unstable();
        codes.dedup();
        assert_eq!(codes.len(), count);
    }
}

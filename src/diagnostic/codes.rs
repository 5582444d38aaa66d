//! The one registry of diagnostic codes: id, name, default severity, lifecycle and summary.
//!
//! Content rules use the ids of `content-format.md` (a family letter and three digits; `X`
//! for our lints beyond contentctl). Families of our own: `L` loading and YAML structure,
//! `P` SPL syntax, `E` macro expansion, `U` unsupported SPL, `R` bad input records. Codes are never reused: a
//! retired code stays here with [`Lifecycle::Removed`].
//!
//! Adding a code is one line in the `codes!` table below; retiring one is prefixing its line
//! with `#[lifecycle(Removed)]` (the line stays, so the id is never reused).

use super::Severity;

/// Whether a code is still emitted.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum Lifecycle {
    /// Emitted.
    Stable,
    /// Retired; the id is kept so it is never reused.
    Removed,
}

/// What the registry knows about one code.
#[derive(Clone, Copy, Debug)]
pub struct CodeInfo {
    /// The code.
    pub code: Code,
    /// A kebab-case name that reads well after "allow".
    pub name: &'static str,
    /// The severity the code starts with.
    pub severity: Severity,
    /// Whether the code is still emitted.
    pub lifecycle: Lifecycle,
    /// One line saying what the code flags.
    pub summary: &'static str,
}

/// A row's lifecycle: `Stable` unless the row starts with `#[lifecycle(...)]`.
macro_rules! lifecycle {
    () => {
        Lifecycle::Stable
    };
    ($lifecycle:ident) => {
        Lifecycle::$lifecycle
    };
}

macro_rules! codes {
    ($($(#[lifecycle($lifecycle:ident)])? $id:ident => $name:literal, $sev:ident, $summary:literal;)*) => {
        /// A stable diagnostic code.
        #[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
        #[non_exhaustive]
        pub enum Code {
            $(
                #[doc = $summary]
                $id,
            )*
        }

        /// Every code, in registry order.
        pub const REGISTRY: &[CodeInfo] = &[
            $(CodeInfo {
                code: Code::$id,
                name: $name,
                severity: Severity::$sev,
                lifecycle: lifecycle!($($lifecycle)?),
                summary: $summary,
            },)*
        ];

        impl Code {
            /// The code as shown to users, e.g. `D006`.
            #[must_use]
            pub fn as_str(self) -> &'static str {
                match self {
                    $(Code::$id => stringify!($id),)*
                }
            }
        }
    };
}

impl Code {
    /// The registry entry for this code.
    #[must_use]
    pub fn info(self) -> &'static CodeInfo {
        // REGISTRY is generated from the same list as the enum, in the same order, so the
        // discriminant is always a valid index; the fallback only guards against editing mistakes.
        REGISTRY.get(self as usize).unwrap_or(&REGISTRY_FALLBACK)
    }

    /// The severity a diagnostic with this code starts with.
    #[must_use]
    pub fn default_severity(self) -> Severity {
        self.info().severity
    }

    /// Looks a code up by its id (`"D006"`).
    #[must_use]
    pub fn from_id(id: &str) -> Option<Code> {
        REGISTRY
            .iter()
            .find(|info| info.code.as_str() == id)
            .map(|info| info.code)
    }
}

const REGISTRY_FALLBACK: CodeInfo = CodeInfo {
    code: Code::L001,
    name: "yaml-syntax",
    severity: Severity::Error,
    lifecycle: Lifecycle::Stable,
    summary: "the file is not valid YAML",
};

codes! {
    // Loading and YAML structure.
    L001 => "yaml-syntax", Error, "the file is not valid YAML";
    L002 => "yaml-extension", Warning, "a `.yaml` file is skipped: only `.yml` files are read";
    L004 => "disallowed-lookup-file", Error, "a file in `lookups/` is not `.yml`, `.csv` or `.mlmodel`";
    L005 => "orphan-lookup-file", Error, "a lookup data file is named by no lookup";
    L006 => "unreadable-file", Error, "a content file or directory cannot be read as a file";
    L007 => "non-utf8", Error, "a content file is not valid UTF-8";
    L008 => "empty-file", Error, "a content file holds no YAML document";
    L009 => "wrong-type", Error, "a value has the wrong YAML type";
    // Retired before it was ever emitted: each kind reports its own missing keys (`G001`,
    // `D003`, `M001`, ...), with the rule that knows what the key is for.
    #[lifecycle(Removed)] L010 => "missing-key", Error, "a required key is missing";
    L011 => "not-a-mapping", Error, "the document is not a mapping";
    L012 => "multiple-documents", Error, "a content file holds more than one YAML document";
    L016 => "symlink-loop", Warning, "a symbolic link to a folder leads back into itself and is skipped";
    L017 => "missing-keys", Error, "several required keys of one mapping are missing";
    // Common header, all kinds.
    G001 => "name", Error, "`name` is missing or too long";
    G002 => "id", Error, "`id` is missing or not a UUID";
    G003 => "version", Error, "`version` is missing or not an integer >= 0";
    G004 => "date", Error, "`date` is missing or not a date";
    G005 => "author", Error, "`author` is missing or longer than 255 characters";
    G006 => "description", Error, "`description` is missing or longer than 10,000 characters";
    G007 => "references", Error, "a reference is not an absolute http(s) URL";
    G008 => "file-name", Error, "the file name does not match the object's name";
    G009 => "duplicate-name", Error, "two objects share a name";
    G010 => "duplicate-id", Error, "two objects share an id";
    G011 => "unresolved-reference", Error, "a referenced name is not defined, or names another kind";
    // Detections.
    D001 => "detection-type", Error, "detection `type` is not TTP, Anomaly, Hunting or Correlation";
    D002 => "detection-status", Error, "detection `status` is not a known status";
    D003 => "required-text", Error, "`search`, `how_to_implement` or `known_false_positives` is missing or too short";
    D004 => "missing-filter-macro", Error, "the search does not call its `<file stem>_filter` macro";
    D005 => "four-backticks", Error, "the search contains four backticks in a row";
    D006 => "undefined-macro", Error, "the search calls a macro that is not defined";
    D007 => "undefined-lookup", Error, "the search uses a lookup that is not defined";
    D008 => "undefined-story", Error, "`tags.analytic_story` names a story that is not defined";
    D009 => "undefined-data-source", Warning, "`data_source` names a data source that is not defined";
    D010 => "missing-tests", Error, "a production detection has no tests";
    D011 => "test-shape", Error, "a test is not a valid unit test";
    D012 => "missing-drilldowns", Error, "a production detection lacks its two drilldown searches";
    D013 => "drilldown-shape", Error, "a drilldown search is not valid";
    D014 => "enabled-by-default", Error, "`enabled_by_default` is true for a detection that may not be enabled";
    D015 => "missing-victim-observable", Error, "a production TTP or Anomaly detection has no Victim observable";
    D016 => "observable-not-in-search", Error, "an observable's name does not occur in the search";
    D017 => "message-token-not-in-search", Error, "a `$token$` of `tags.message` does not occur in the search";
    D018 => "throttling", Error, "`tags.throttling` is not valid";
    D019 => "computed-field-set", Error, "a field computed by the build is set in YAML";
    D020 => "deployment", Error, "the detection's deployment is invalid or missing";
    D021 => "rba-shape", Error, "the v5 `rba` block is not valid";
    // Detection tags.
    T001 => "asset-type", Error, "`tags.asset_type` is not a known asset type";
    T002 => "confidence-impact", Error, "`tags.confidence` or `tags.impact` is missing or outside 0..100";
    T003 => "mitre-id", Error, "a MITRE ATT&CK id does not match `T####(.###)`";
    T004 => "cve-id", Error, "a CVE id does not match `CVE-YYYY-N`";
    T005 => "observable-shape", Error, "an observable is not valid";
    T006 => "product", Error, "`tags.product` is empty or names an unknown product";
    T007 => "required-fields", Error, "`tags.required_fields` is missing or empty";
    T008 => "security-domain", Error, "`tags.security_domain` is missing or unknown";
    T009 => "message", Error, "`tags.message` is missing";
    T010 => "atomic-guid", Error, "a `tags.atomic_guid` item is not a UUID";
    T011 => "optional-tag-range", Error, "`confidence_id`, `impact_id` or `research_site_url` is out of range";
    // Stories.
    S001 => "narrative", Error, "a story has no `narrative`";
    S002 => "story-tags", Error, "a story's `tags` are not valid";
    // Macros.
    M001 => "macro-definition", Error, "a macro's `definition` is missing or empty";
    M002 => "macro-description", Error, "a macro has no `description`";
    M003 => "macro-arguments", Error, "a macro's `arguments` is not a list of strings";
    // Lookups.
    K001 => "lookup-source", Error, "a lookup needs exactly one of `filename` and `collection`";
    K002 => "lookup-file-missing", Error, "a lookup's data file does not exist";
    K003 => "lookup-suffix", Error, "a lookup's file is not `.csv` or `.mlmodel`";
    K004 => "csv-shape", Error, "a lookup CSV has no header or a row of the wrong width";
    K005 => "match-type", Error, "a lookup's `match_type` is not valid";
    K006 => "lookup-types", Error, "a lookup option has the wrong type";
    K007 => "lookup-description", Error, "a lookup has no `description`";
    // Data sources.
    DS001 => "data-source-required", Error, "a data source lacks `source` or `sourcetype`";
    DS002 => "supported-ta", Error, "a `supported_TA` item is not valid";
    DS003 => "data-source-lists", Error, "a data source list field is not a list";
    // detc mappings (`detc_mapping` and `field_mappings` of data sources).
    N001 => "mapping-type", Error, "a part of `detc_mapping` has the wrong YAML type";
    N002 => "mapping-version", Error, "`detc_mapping.version` is missing or not a version detc reads";
    N003 => "mapping-missing-key", Error, "a required key of `detc_mapping` is missing";
    N004 => "mapping-unknown-key", Error, "a key of `detc_mapping` is not part of its schema";
    N005 => "mapping-transform", Error, "a field's transform does not hold exactly one known form";
    N006 => "mapping-condition", Error, "a condition does not hold exactly one combinator or field test";
    N007 => "mapping-regex", Error, "a regex of `detc_mapping` does not compile";
    N008 => "mapping-dataset", Warning, "a mapping names a dataset that is not a known CIM dataset";
    N009 => "mapping-duplicate-node", Warning, "a mapping lists the same dataset twice";
    N010 => "mapping-defaults-node", Warning, "`defaults` names a dataset the mapping does not join";
    N011 => "mapping-regex-group", Error, "a regex transform asks for a capture group its pattern lacks";
    N012 => "field-mappings-shape", Warning, "a `field_mappings` item is not `{data_model, data_set, mapping}`";
    // Deployments.
    DP001 => "deployment-type", Error, "a deployment's `type` is not known";
    DP002 => "scheduling", Error, "a deployment's `scheduling` is missing or incomplete";
    DP003 => "alert-action", Error, "a deployment's `alert_action` is not valid";
    // Baselines.
    B001 => "baseline-type", Error, "a baseline's `type` is not `Baseline`";
    B002 => "baseline-text", Error, "a baseline's text field is missing or too short";
    B003 => "baseline-tags", Error, "a baseline's `tags` are not valid";
    B004 => "baseline-datamodel", Error, "a baseline names an unknown data model";
    B005 => "baseline-deployment", Error, "a baseline's deployment is invalid or missing";
    // Investigations.
    I001 => "investigation-type", Error, "an investigation's `type` is not `Investigation`";
    I002 => "investigation-datamodel", Error, "an investigation's `datamodel` is missing or unknown";
    I003 => "investigation-tags", Error, "an investigation's `tags` are not valid";
    // Lints beyond contentctl.
    X001 => "always-true-condition", Warning, "a condition is true for every event";
    X002 => "always-false-condition", Warning, "a condition is false for every event";
    X003 => "filter-macro-not-last", Warning, "the filter macro is not the last command";
    X004 => "filter-macro-repeated", Warning, "the filter macro is called more than once";
    X005 => "filter-macro-in-comment", Warning, "the filter macro only appears inside a comment";
    X009 => "risk-score-mismatch", Warning, "`tags.risk_score` differs from the computed risk score";
    X014 => "duplicate-key", Error, "a YAML mapping repeats a key (YAML forbids it; PyYAML silently drops the first value)";
    X015 => "unknown-key", Warning, "a key is not part of the schema and is ignored";
    // SPL syntax.
    P001 => "spl-syntax", Error, "the search is not valid SPL";
    P002 => "spl-nesting-limit", Error, "the search nests deeper than the parser allows";
    P003 => "spl-lenient-syntax", Warning, "Splunk accepts this form, but it is easy to misread";
    P004 => "unknown-command", Error, "a command name is not a Splunk command; it is close to one, so it is most likely misspelled";
    P005 => "undeclared-app-command", Warning, "a command is not built into Splunk and not declared as an app command";
    P006 => "unknown-option", Warning, "a command is given an option it does not take";
    P007 => "invalid-option-value", Warning, "an option's value does not have the form the option takes";
    // Macro expansion.
    E001 => "macro-arity", Error, "a macro is called with the wrong number of arguments";
    E002 => "macro-cycle", Error, "a macro expands to itself";
    E003 => "macro-depth", Error, "macro expansion nests too deeply";
    E004 => "undefined-macro-spl", Error, "a macro called in the search is not defined";
    E005 => "macro-in-string", Warning, "a macro call inside a quoted string is not expanded";
    // Unsupported SPL.
    U001 => "unsupported-command", Warning, "the search uses a command detc does not support yet";
    V001 => "not-lowered", Warning, "the search uses a construct detc cannot run over events yet (it has no plan)";
    U002 => "external-macro", Warning, "the search calls a macro this content does not define (an app such as ES provides it)";
    // Bad input records (event readers): counted, reported, reading goes on.
    R001 => "truncated-xml-event", Warning, "an XML `<Event>` has no end or is malformed inside; it is skipped";
    R002 => "invalid-json-record", Warning, "a JSON record does not parse; it is skipped";
    R003 => "invalid-utf8-record", Warning, "a record holds bytes that are not UTF-8; they are read as U+FFFD";
    R004 => "oversized-record", Warning, "a record is over the size limit; it is skipped";
    R005 => "bad-gzip-stream", Warning, "a gzip stream is truncated or corrupt; reading stops there";
    R006 => "binary-input", Warning, "a file is binary and of no format detc reads; it is skipped";
    R007 => "unknown-input-format", Warning, "a file is of no format detc recognizes; it is skipped";
    R008 => "bad-evtx", Warning, "an EVTX file or record cannot be parsed; it is skipped";
    R009 => "bad-zeek-line", Warning, "a Zeek TSV line does not fit its `#fields` header; it is skipped";
    R010 => "read-failed", Warning, "reading an opened file failed; reading stops there";
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn registry_order_matches_enum() {
        for (index, info) in REGISTRY.iter().enumerate() {
            assert_eq!(info.code as usize, index, "{}", info.code.as_str());
            assert_eq!(info.code.info().name, info.name);
        }
    }

    #[test]
    fn ids_and_names_are_unique() {
        let mut ids: Vec<_> = REGISTRY.iter().map(|i| i.code.as_str()).collect();
        let mut names: Vec<_> = REGISTRY.iter().map(|i| i.name).collect();
        ids.sort_unstable();
        names.sort_unstable();
        let id_count = ids.len();
        let name_count = names.len();
        ids.dedup();
        names.dedup();
        assert_eq!(ids.len(), id_count);
        assert_eq!(names.len(), name_count);
    }

    /// A retired code is recorded as such, and nothing in the library emits it.
    #[test]
    fn removed_codes_are_recorded_and_never_emitted() {
        assert_eq!(Code::L010.info().lifecycle, Lifecycle::Removed);
        assert_eq!(Code::L001.info().lifecycle, Lifecycle::Stable);
        let removed: Vec<String> = REGISTRY
            .iter()
            .filter(|info| info.lifecycle == Lifecycle::Removed)
            .map(|info| format!("Code::{}", info.code.as_str()))
            .collect();
        let mut dirs = vec![std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("src")];
        let mut checked = 0;
        while let Some(dir) = dirs.pop() {
            for entry in std::fs::read_dir(&dir).into_iter().flatten().flatten() {
                let path = entry.path();
                if path.is_dir() {
                    dirs.push(path);
                } else if path.extension().is_some_and(|ext| ext == "rs")
                    && !path.ends_with("diagnostic/codes.rs")
                {
                    let text = std::fs::read_to_string(&path).unwrap_or_default();
                    for code in &removed {
                        assert!(
                            !text.contains(code.as_str()),
                            "{} emits {code}",
                            path.display()
                        );
                    }
                    checked += 1;
                }
            }
        }
        assert!(checked > 50, "only {checked} source files found");
    }

    #[test]
    fn lookup_by_id() {
        assert_eq!(Code::from_id("D006"), Some(Code::D006));
        assert_eq!(Code::from_id("Z999"), None);
    }
}

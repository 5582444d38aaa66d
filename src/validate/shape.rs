//! Small checks over nested YAML nodes that the model keeps untyped (drilldowns,
//! deployments, rba objects, supported add-ons), shared by the rules that own those shapes.
//! Each check returns problems as (span, message); the rule picks the code.

use crate::content::field::{lax_bool, lax_int};
use crate::content::yaml::{Node, Value};
use crate::source::Span;

/// One shape problem.
pub(crate) struct Problem {
    /// Where.
    pub(crate) span: Span,
    /// What (lowercase, no final period).
    pub(crate) message: String,
}

/// Collects problems under a dotted path prefix.
pub(crate) struct ShapeCheck<'a> {
    /// Path of the mapping checked, e.g. `tests.0.`.
    prefix: String,
    /// The mapping.
    node: &'a Node,
    /// Found problems.
    pub(crate) problems: Vec<Problem>,
}

impl<'a> ShapeCheck<'a> {
    /// Checks `node` (reported as `prefix`); a non-mapping is itself a problem.
    pub(crate) fn new(node: &'a Node, prefix: &str) -> ShapeCheck<'a> {
        let mut check = ShapeCheck {
            prefix: prefix.to_string(),
            node,
            problems: Vec::new(),
        };
        if node.as_map().is_none() {
            let path = prefix.trim_end_matches('.');
            check.problem(
                node.span,
                format!(
                    "`{path}` must be a mapping, found {}",
                    node.value.type_name()
                ),
            );
        }
        check
    }

    fn problem(&mut self, span: Span, message: String) {
        self.problems.push(Problem { span, message });
    }

    fn path(&self, key: &str) -> String {
        format!("{}{key}", self.prefix)
    }

    /// Whether the node is a mapping (further checks are pointless otherwise).
    pub(crate) fn is_mapping(&self) -> bool {
        self.node.as_map().is_some()
    }

    /// The value of `key`, if present and not null.
    pub(crate) fn value(&self, key: &str) -> Option<&'a Node> {
        self.node
            .value_of(key)
            .filter(|value| value.value != Value::Null)
    }

    /// `key` must be present (even if null).
    pub(crate) fn key_present(&mut self, key: &str) {
        if self.is_mapping() && self.node.get(key).is_none() {
            let message = format!("`{}` is missing", self.path(key));
            self.problem(self.node.span, message);
        }
    }

    /// A required string of at least `min_chars` characters.
    pub(crate) fn required_str(&mut self, key: &str, min_chars: usize) -> Option<&'a str> {
        if !self.is_mapping() {
            return None;
        }
        match self.value(key) {
            None => {
                let message = format!("`{}` is missing", self.path(key));
                self.problem(self.node.span, message);
                None
            }
            Some(value) => self.str_value(key, value, min_chars),
        }
    }

    /// An optional string of at least `min_chars` characters when present.
    pub(crate) fn optional_str(&mut self, key: &str, min_chars: usize) -> Option<&'a str> {
        let value = self.value(key)?;
        self.str_value(key, value, min_chars)
    }

    fn str_value(&mut self, key: &str, value: &'a Node, min_chars: usize) -> Option<&'a str> {
        let Some(text) = value.as_str() else {
            let message = format!(
                "`{}` must be a string, found {}",
                self.path(key),
                value.value.type_name()
            );
            self.problem(value.span, message);
            return None;
        };
        if text.chars().count() < min_chars {
            let message = format!(
                "`{}` must be at least {min_chars} characters long",
                self.path(key)
            );
            self.problem(value.span, message);
        }
        Some(text)
    }

    /// An optional boolean (lax).
    pub(crate) fn optional_bool(&mut self, key: &str) -> Option<bool> {
        let value = self.value(key)?;
        let converted = lax_bool(&value.value);
        if converted.is_none() {
            let message = format!(
                "`{}` must be a boolean, found {}",
                self.path(key),
                value.value.type_name()
            );
            self.problem(value.span, message);
        }
        converted
    }

    /// A required integer in `range`.
    pub(crate) fn required_int(&mut self, key: &str, range: std::ops::RangeInclusive<i64>) {
        if !self.is_mapping() {
            return;
        }
        let Some(value) = self.value(key) else {
            let message = format!("`{}` is missing", self.path(key));
            self.problem(self.node.span, message);
            return;
        };
        match lax_int(&value.value) {
            Some(number) if range.contains(&number) => {}
            Some(number) => {
                let message = format!(
                    "`{}` must be in {}..={}, found {number}",
                    self.path(key),
                    range.start(),
                    range.end()
                );
                self.problem(value.span, message);
            }
            None => {
                let message = format!(
                    "`{}` must be an integer, found {}",
                    self.path(key),
                    value.value.type_name()
                );
                self.problem(value.span, message);
            }
        }
    }

    /// A required list; returns its items.
    pub(crate) fn required_list(&mut self, key: &str) -> Option<&'a [Node]> {
        if !self.is_mapping() {
            return None;
        }
        let Some(value) = self.value(key) else {
            let message = format!("`{}` is missing", self.path(key));
            self.problem(self.node.span, message);
            return None;
        };
        self.list_value(key, value)
    }

    fn list_value(&mut self, key: &str, value: &'a Node) -> Option<&'a [Node]> {
        let items = value.as_seq();
        if items.is_none() {
            let message = format!(
                "`{}` must be a list, found {}",
                self.path(key),
                value.value.type_name()
            );
            self.problem(value.span, message);
        }
        items
    }

    /// An optional nested mapping, checked by `nested` under `key`.
    pub(crate) fn nested(&mut self, key: &str, nested: impl FnOnce(&mut ShapeCheck<'a>)) {
        if let Some(value) = self.value(key) {
            let mut check = ShapeCheck::new(value, &format!("{}.", self.path(key)));
            if check.is_mapping() {
                nested(&mut check);
            }
            self.problems.append(&mut check.problems);
        }
    }

    /// Keys not in `known` (for models that forbid extras).
    pub(crate) fn forbid_unknown(&mut self, known: &[&str]) {
        let Some(entries) = self.node.as_map() else {
            return;
        };
        for entry in entries {
            let key = entry.key.as_str().unwrap_or_default();
            if !known.contains(&key) {
                let message = format!("unknown key `{}`", self.path(key));
                self.problem(entry.key.span, message);
            }
        }
    }
}

/// Checks a deployment mapping (a `deployments/` file body or an inline `deployment:`),
/// as contentctl's `Deployment` model does: `scheduling` with four strings, `alert_action`
/// parts, `type`. `require_header` is false for inline deployments whose header contentctl
/// fills in.
pub(crate) fn check_deployment_body(check: &mut ShapeCheck<'_>) {
    if !check.is_mapping() {
        return;
    }
    match check.value("scheduling") {
        None => {
            let message = format!("`{}` is missing", check.path("scheduling"));
            check.problem(check.node.span, message);
        }
        Some(_) => check.nested("scheduling", check_scheduling),
    }
    check.nested("alert_action", check_alert_action);
}

/// The four required strings of `scheduling`.
pub(crate) fn check_scheduling(check: &mut ShapeCheck<'_>) {
    for key in [
        "cron_schedule",
        "earliest_time",
        "latest_time",
        "schedule_window",
    ] {
        check.required_str(key, 0);
    }
}

/// `alert_action`: `notable`, `rba`, `email`, `slack`, `phantom` parts.
pub(crate) fn check_alert_action(check: &mut ShapeCheck<'_>) {
    check.nested("notable", |notable| {
        notable.required_str("rule_description", 0);
        notable.required_str("rule_title", 0);
        if let Some(items) = notable.required_list("nes_fields") {
            for (index, item) in items.iter().enumerate() {
                if item.as_str().is_none() {
                    let message = format!(
                        "`{}nes_fields.{index}` must be a string, found {}",
                        notable.prefix,
                        item.value.type_name()
                    );
                    notable.problem(item.span, message);
                }
            }
        }
    });
    check.nested("rba", |rba| {
        rba.optional_bool("enabled");
    });
    check.nested("email", |email| {
        for key in ["message", "subject", "to"] {
            email.required_str(key, 0);
        }
    });
    check.nested("slack", |slack| {
        for key in ["channel", "message"] {
            slack.required_str(key, 0);
        }
    });
    check.nested("phantom", |phantom| {
        for key in [
            "cam_workers",
            "label",
            "phantom_server",
            "sensitivity",
            "severity",
        ] {
            phantom.required_str(key, 0);
        }
    });
}

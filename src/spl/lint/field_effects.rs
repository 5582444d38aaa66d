//! What each command does to the [`FieldState`]: which fields its outputs are, and whether
//! they may be multivalued.

use super::super::ast::{AggArgument, Aggregation, Expr, Literal, Lookup};
use super::super::options::{RexSettings, SpathSettings};
use super::super::semantics::FieldState;
use super::super::visit::{Node, Visitor, Walk, walk};

/// Whether a `datamodel=` target is the Risk data model, whose rows are risk events: most of
/// their fields are multivalued (stories, annotations, threat objects).
pub(super) fn is_risk_data_model(target: &str) -> bool {
    let model = target.split('.').next().unwrap_or(target);
    model.eq_ignore_ascii_case("risk")
}

pub(super) fn aggregation_outputs(aggregations: &[Aggregation], state: &mut FieldState) {
    for aggregation in aggregations {
        let multivalue = !aggregation.function.is_single_value();
        let name: std::borrow::Cow<'_, str> = match (&aggregation.alias, &aggregation.argument) {
            (Some(alias), _) => alias.value.as_str().into(),
            (None, Some(AggArgument::Field(field))) => {
                format!("{}({})", aggregation.name.value, field.value).into()
            }
            (None, None) => aggregation.name.value.as_str().into(),
            (None, Some(AggArgument::Eval { .. })) => {
                // Splunk names it after the expression text; it is not tracked by name.
                if multivalue {
                    state.poison();
                }
                continue;
            }
        };
        if name.contains('*') {
            // `values(*) as *`: every matching field is rewritten.
            if multivalue {
                state.poison();
            }
            continue;
        }
        state.set(&name, multivalue);
    }
}

pub(super) fn lookup_outputs(lookup: &Lookup, state: &mut FieldState) {
    if lookup.outputs.is_empty() {
        // Every column of the table is written, and they are unknown here.
        state.poison();
        return;
    }
    // Several matching rows give a multivalue result (up to `max_matches`).
    for output in &lookup.outputs {
        let name = output.alias.as_ref().unwrap_or(&output.field);
        state.set(&name.value, true);
    }
}

pub(super) fn rex_outputs(settings: &RexSettings, pattern: &Literal, state: &mut FieldState) {
    if settings
        .mode
        .as_ref()
        .is_some_and(|mode| mode.value.eq_ignore_ascii_case("sed"))
    {
        return;
    }
    let multivalue = settings
        .max_match
        .as_ref()
        .is_some_and(|max| max.value != 1);
    if !multivalue {
        // One match at most; a failed match may leave an earlier value, so keep the state.
        return;
    }
    for name in named_groups(&pattern.value) {
        state.set(name, true);
    }
}

/// The names of `(?<name>…)`, `(?P<name>…)` and `(?'name'…)` groups.
pub(super) fn named_groups(pattern: &str) -> Vec<&str> {
    let mut names = Vec::new();
    let mut rest = pattern;
    while let Some(at) = rest.find("(?") {
        let after = rest.get(at + 2..).unwrap_or("");
        let (body, close) = if let Some(body) = after.strip_prefix("P<") {
            (body, '>')
        } else if let Some(body) = after.strip_prefix('<') {
            (body, '>')
        } else if let Some(body) = after.strip_prefix('\'') {
            (body, '\'')
        } else {
            rest = after;
            continue;
        };
        // `(?<=` and `(?<!` are lookbehinds, not names.
        if let Some(end) = body.find(close) {
            let name = body.get(..end).unwrap_or("");
            if !name.is_empty() && name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_') {
                names.push(name);
            }
        }
        rest = body;
    }
    names
}

pub(super) fn spath_outputs(
    settings: &SpathSettings,
    positional: &[Literal],
    state: &mut FieldState,
) {
    // A path with `{}` yields one value per array element.
    let target = settings
        .output
        .as_ref()
        .or(settings.path.as_ref())
        .map(|setting| setting.value.as_str())
        .or_else(|| positional.first().map(|lit| lit.value.as_str()));
    match target {
        Some(name) => state.set(name, true),
        None => state.poison(),
    }
}

/// Whether an eval expression may produce more than one value: it names a multivalue
/// field, calls a multivalue function, or holds an opaque macro.
pub(super) fn expr_may_be_multivalue(root: &Expr, state: &FieldState) -> bool {
    struct Search<'s> {
        state: &'s FieldState,
        found: bool,
    }
    impl Visitor<'_> for Search<'_> {
        fn enter(&mut self, node: Node<'_>, _depth: usize) -> Walk {
            self.found = self.found
                || match node {
                    Node::Expr(Expr::Field(lit)) => self.state.is_multivalue(&lit.value),
                    Node::Expr(Expr::Macro(_)) => true,
                    Node::Expr(Expr::Call { function, .. }) => function.may_return_multivalue(),
                    _ => false,
                };
            if self.found {
                Walk::Skip
            } else {
                Walk::Children
            }
        }
    }
    let mut search = Search {
        state,
        found: false,
    };
    walk(Node::Expr(root), &mut search);
    search.found
}

//! Compiling detections: for each detection, expand its search against the macro table,
//! parse it, run the SPL lints, and map what they found back to the YAML files through the
//! search's [`SpanMap`], which the compiled search keeps for later stages. Joins `content`
//! (which knows files) and `spl` (which knows only strings).
//!
//! A detection ends in one of three states ([`Status`]): `compiled` (parsed and expanded;
//! after [`compile_lowered`], also lowered to the [`Plan`] it keeps), `unsupported` (valid
//! SPL that uses a command or an external macro detc does not model yet, or that does not
//! lower) or `invalid` (an SPL syntax or macro error, which Splunk would reject too).

mod filter_macro;
mod spans;

use std::sync::Arc;

use crate::content::{Detection, Loaded};
use crate::diagnostic::suggest::did_you_mean;
use crate::diagnostic::{Code, Diagnostic, Severity, sort_diagnostics};
use crate::parallel::parallel_map;
use crate::plan::{LowerContext, Plan};
use crate::source::FileId;
use crate::spl::ast::{CommandKind, Pipeline, UnsupportedOrigin};
use crate::spl::command_table;
use crate::spl::expand::{ExpandConfig, Expansion, MacroTable, UnexpandedReason, expand};
use crate::spl::visit::all_commands;
use crate::spl::{self, SplDiagnostic, TextRange};

use spans::{DefinitionSource, Definitions, Text};

pub use spans::SpanMap;

/// Where a detection got to.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Status {
    /// Expanded and parsed, every command modelled.
    Compiled,
    /// Valid, but uses a command or macro detc does not model yet.
    Unsupported,
    /// Has an SPL syntax or macro error.
    Invalid,
}

impl Status {
    /// The word used in output (`compiled`, `unsupported`, `invalid`).
    #[must_use]
    pub fn as_str(self) -> &'static str {
        match self {
            Status::Compiled => "compiled",
            Status::Unsupported => "unsupported",
            Status::Invalid => "invalid",
        }
    }
}

/// One detection's search after compilation.
#[derive(Clone, Debug)]
pub struct CompiledSearch {
    /// Index into `content.detections`.
    pub detection: usize,
    /// The detection's file.
    pub file: FileId,
    /// The outcome.
    pub status: Status,
    /// Why the status is not `compiled`: the first error, or the first unsupported construct.
    pub reason: Option<Diagnostic>,
    /// The search with every macro expanded.
    pub expanded: String,
    /// Where any range of `expanded` (or of the search as written) is in the content files.
    pub spans: SpanMap,
    /// The parsed expanded search (ranges are offsets into `expanded`).
    pub pipeline: Pipeline,
    /// Everything found in the search: syntax and macro errors, lints. Unsupported
    /// constructs are not here (they are not problems in the content), only in `reason`.
    pub diagnostics: Vec<Diagnostic>,
    /// Whether the detection's `status` is `deprecated`: its errors are reported as warnings
    /// (see [`CompiledSearch::as_reported`]).
    pub deprecated: bool,
    /// The plan, once lowered ([`lower_compiled`]); `None` before, or when the search is not
    /// `compiled`.
    pub plan: Option<Plan>,
}

impl CompiledSearch {
    /// `diagnostic` as `validate` and `compile` report it: deprecated detections ship
    /// disabled, and contentctl never parses SPL, so their SPL errors are warnings. The
    /// corpus keeps contentctl's pass/fail result while the mistakes stay visible.
    #[must_use]
    pub fn as_reported(&self, diagnostic: &Diagnostic) -> Diagnostic {
        if self.deprecated && diagnostic.is_error() {
            diagnostic
                .clone()
                .with_severity(Severity::Warning)
                .with_note("a warning, not an error, because the detection is deprecated")
        } else {
            diagnostic.clone()
        }
    }

    /// Whether this result fails `detc compile`: invalid, and not deprecated.
    #[must_use]
    pub fn fails(&self) -> bool {
        self.status == Status::Invalid && !self.deprecated
    }
}

/// The macro table of a content tree and where each definition is written.
pub struct MacroSet {
    table: MacroTable,
    /// By `MacroId` index.
    definitions: Definitions,
}

impl MacroSet {
    /// The macros of `loaded` (those with a name and a definition).
    #[must_use]
    pub fn new(loaded: &Loaded) -> MacroSet {
        let mut table = MacroTable::new();
        let definitions: Definitions = table
            .add_content(&loaded.content)
            .into_iter()
            .map(|(_, index)| DefinitionSource::new(&loaded.sources, &loaded.content, index))
            .collect();
        MacroSet { table, definitions }
    }
}

/// What compiling needs beyond the content (shared by `detc compile`, `detc run` and
/// `detc validate`).
#[derive(Clone, Debug, Default)]
pub struct CompileOptions {
    /// Commands that installed apps provide (`cyberchef`): known, so not reported as unknown,
    /// but not modelled (`unsupported`). Compared ASCII case-insensitively, as command names
    /// are.
    pub app_commands: Vec<String>,
}

impl CompileOptions {
    fn declares(&self, name: &str) -> bool {
        self.app_commands
            .iter()
            .any(|declared| declared.eq_ignore_ascii_case(name))
    }
}

/// Compiles every detection that has a search, in file order, on all cores, with the
/// default [`CompileOptions`].
#[must_use]
pub fn compile(loaded: &Loaded) -> Vec<CompiledSearch> {
    compile_with(loaded, &CompileOptions::default())
}

/// Compiles every detection that has a search, in file order, on all cores.
#[must_use]
pub fn compile_with(loaded: &Loaded, options: &CompileOptions) -> Vec<CompiledSearch> {
    let macros = MacroSet::new(loaded);
    let indices: Vec<usize> = (0..loaded.content.detections.len()).collect();
    parallel_map(&indices, |&index| {
        compile_one(loaded, &macros, options, index)
    })
    .into_iter()
    .flatten()
    .collect()
}

/// Compiles `content.detections[index]`; `None` when it has no search string (`D003`).
#[must_use]
pub fn compile_one(
    loaded: &Loaded,
    macros: &MacroSet,
    options: &CompileOptions,
    index: usize,
) -> Option<CompiledSearch> {
    let detection = loaded.content.detections.get(index)?;
    let search = detection.search.get()?;
    let file = search.span.file;
    let filter = filter_macro_name(detection);

    let mut config = ExpandConfig::new();
    config
        .filter_macro(filter.clone())
        .ignore_macros(crate::validate::IGNORED_MACRO_SUBSTRINGS);
    let mut expansion = expand(&search.value, &macros.table, &config);
    let expanded = std::mem::take(&mut expansion.text);
    let parsed = spl::parse(&expanded);
    let spans = SpanMap::new(
        file,
        loaded.sources.get(file)?.shared_text(),
        search.span.start as usize,
        search.value.clone(),
        expansion,
        Arc::clone(&macros.definitions),
    );

    // Everything is found as ranges of a text first, then mapped to the files in one place.
    let map_strings = map_command_ranges(&parsed.pipeline, spans.expansion());
    let expansion_problems = spans.expansion().diagnostics.iter().filter(|problem| {
        // `map` runs its quoted search as a new search, and macros in it expand then
        // (spl-semantics.md Q9), so a call there is not the problem E005 describes.
        !(problem.code == Code::E005
            && map_strings.iter().any(|map| {
                map.start <= problem.range.start_usize() && problem.range.end_usize() <= map.end
            }))
    });
    let lints = spl::lint::lint(&parsed.pipeline, &expanded);
    let filter_findings = filter_macro::check(&search.value, &filter);
    let found = expansion_problems
        .map(|found| (found, Text::Written))
        .chain(
            parsed
                .diagnostics
                .iter()
                .chain(&lints)
                .map(|found| (found, Text::Expanded)),
        )
        .chain(filter_findings.iter().map(|found| (found, Text::Written)));
    let mut diagnostics: Vec<Diagnostic> = found
        .map(|(found, text)| spans.locate(found, text))
        .collect();
    diagnostics.extend(unknown_commands(&parsed.pipeline, options, &spans));

    let reason = diagnostics
        .iter()
        .find(|diagnostic| diagnostic.severity == Severity::Error)
        .cloned();
    let (status, reason) = match reason {
        Some(error) => (Status::Invalid, Some(error)),
        None => match unsupported(&parsed.pipeline, &expanded, &spans) {
            Some(reason) => (Status::Unsupported, Some(reason)),
            None => (Status::Compiled, None),
        },
    };
    Some(CompiledSearch {
        detection: index,
        file,
        status,
        reason,
        expanded,
        spans,
        pipeline: parsed.pipeline,
        diagnostics,
        deprecated: detection.status() == Some("deprecated"),
        plan: None,
    })
}

/// Compiles every detection ([`compile_with`]) and lowers each `compiled` search, once, into
/// `context`'s tables ([`lower_compiled`]): what `detc compile` and `detc run` both do, so
/// `compiled` means the same to both.
#[must_use]
pub fn compile_lowered(
    loaded: &Loaded,
    options: &CompileOptions,
    context: &mut LowerContext<'_>,
) -> Vec<CompiledSearch> {
    let mut results = compile_with(loaded, options);
    // One thread: lowering interns names into the one pair of tables the events are read
    // with. The 1,505 corpus searches that lower take 120-150 ms (release, 2 loaded cores,
    // against 180-210 ms for the parallel compile before it); `detc compile` over the corpus
    // went from 1.21 s to 1.28 s (median of 5, beside other builds) when the check on
    // throwaway tables, which ran in the parallel compile, moved here. `detc run` no longer
    // lowers its selected searches a second time.
    for result in &mut results {
        lower_compiled(result, context);
    }
    results
}

/// Lowers a `compiled` search into `context`'s tables and keeps the plan in it; one that does
/// not lower becomes `unsupported`, with a `V001` at the first construct that has no plan.
/// Searches that are not `compiled`, or already lowered, are left as they are.
pub fn lower_compiled(result: &mut CompiledSearch, context: &mut LowerContext<'_>) {
    if result.status != Status::Compiled || result.plan.is_some() {
        return;
    }
    match crate::plan::lower(&result.pipeline, context) {
        Ok(plan) => result.plan = Some(plan),
        Err(problem) => {
            let found = SplDiagnostic::new(
                Code::V001,
                problem.range,
                format!("{} cannot run yet: no plan for it", problem.what),
            );
            result.status = Status::Unsupported;
            result.reason = Some(result.spans.locate(&found, Text::Expanded));
        }
    }
}

/// What `detc validate` finds in a loaded tree: every diagnostic (loading, content rules,
/// searches), sorted into reporting order, and the compiled searches they came from.
#[derive(Debug)]
pub struct Validation {
    /// Sorted with [`sort_diagnostics`].
    pub diagnostics: Vec<Diagnostic>,
    /// Every detection's compiled search, in file order.
    pub compiled: Vec<CompiledSearch>,
}

/// The one validate sequence (the CLI, the content fuzz target and its regression replays
/// run this): the content rules, then every search compiled, then the search diagnostics the
/// rules did not already report, then the loader's own diagnostics, all sorted.
#[must_use]
pub fn validate(loaded: &Loaded) -> Validation {
    validate_with(loaded, &CompileOptions::default())
}

/// [`validate`] with [`CompileOptions`] (the app commands a user declared).
#[must_use]
pub fn validate_with(loaded: &Loaded, options: &CompileOptions) -> Validation {
    let mut diagnostics = crate::validate::validate(loaded);
    let compiled = compile_with(loaded, options);
    let mut from_searches = search_diagnostics(&compiled, &diagnostics);
    diagnostics.append(&mut from_searches);
    diagnostics.extend(loaded.diagnostics.iter().cloned());
    sort_diagnostics(&mut diagnostics, &loaded.sources);
    Validation {
        diagnostics,
        compiled,
    }
}

/// The diagnostics `detc validate` adds from the searches: syntax and macro errors and the
/// SPL lints of every compiled search. `content_diagnostics` are those the content rules
/// already produced: an undefined macro that `D006` (contentctl's rule) reports at the same
/// place is not reported again as `E004`.
/// Deprecated detections' errors are warnings ([`CompiledSearch::as_reported`]).
#[must_use]
pub fn search_diagnostics(
    results: &[CompiledSearch],
    content_diagnostics: &[Diagnostic],
) -> Vec<Diagnostic> {
    let reported_undefined: std::collections::HashSet<(FileId, u32)> = content_diagnostics
        .iter()
        .filter(|diagnostic| diagnostic.code == Code::D006)
        .map(|diagnostic| (diagnostic.primary.file, diagnostic.primary.start))
        .collect();
    let mut out = Vec::new();
    for result in results {
        // After a syntax error the rest of the search is read wrongly (an unterminated quote
        // swallows it), so its lints are consequences, not findings: report the error alone,
        // as rustc does, and say so.
        let has_syntax_error = result
            .diagnostics
            .iter()
            .any(|diagnostic| matches!(diagnostic.code, Code::P001 | Code::P002));
        let follow_on = |diagnostic: &Diagnostic| {
            has_syntax_error
                && diagnostic.severity == Severity::Warning
                && !matches!(diagnostic.code, Code::P001 | Code::P002 | Code::P003)
        };
        let suppressed = result.diagnostics.iter().filter(|d| follow_on(d)).count();
        let mut noted = false;
        for diagnostic in &result.diagnostics {
            if follow_on(diagnostic) {
                continue;
            }
            // P003 marks forms Splunk accepts as written (lowercase `and` in eval, an alias
            // with parentheses, ...): worth seeing in `detc compile --explain`, not a mistake
            // to report on every validation (63 in the corpus, none wrong).
            if diagnostic.code == Code::P003 {
                continue;
            }
            if diagnostic.code == Code::E004
                && reported_undefined.contains(&(diagnostic.primary.file, diagnostic.primary.start))
            {
                continue;
            }
            let mut reported = result.as_reported(diagnostic);
            if suppressed > 0 && !noted && matches!(diagnostic.code, Code::P001 | Code::P002) {
                noted = true;
                let (warnings, are, they) = if suppressed == 1 {
                    ("warning", "is", "it")
                } else {
                    ("warnings", "are", "they")
                };
                reported = reported.with_note(format!(
                    "{suppressed} other {warnings} of this search {are} not reported until it \
                     parses: {they} may follow from this error"
                ));
            }
            out.push(reported);
        }
    }
    out
}

/// The filter macro contentctl creates for a detection: from its name, or from the file name
/// when the name is missing (then `G001` already reports the detection).
fn filter_macro_name(detection: &Detection) -> String {
    detection
        .filter_macro_name()
        .unwrap_or_else(|| format!("{}_filter", detection.file_stem()))
}

fn range_of(range: TextRange) -> std::ops::Range<usize> {
    range.start_usize()..range.end_usize()
}

/// The search-text ranges of the `map` commands, at any depth.
fn map_command_ranges(pipeline: &Pipeline, expansion: &Expansion) -> Vec<std::ops::Range<usize>> {
    all_commands(pipeline)
        .into_iter()
        .filter(|command| command.name() == "map")
        .map(|command| expansion.search_range(range_of(command.range)))
        .collect()
}

/// `P004` or `P005` for each command name that is neither known to Splunk (built in, or from
/// the Machine Learning Toolkit) nor declared in [`CompileOptions::app_commands`].
///
/// Splunk rejects a search with an unknown command, but detc cannot see which apps are
/// installed where the search runs. So a name close to a known one (`stast`) is taken for a
/// typo and is an error (`P004`, with the suggestion); any other name (`cyberchef`, from a
/// Splunkbase app) is a warning (`P005`) that asks for a declaration, and the detection stays
/// `unsupported`, as every command detc does not model is. In a deprecated detection the
/// error is a warning, as every SPL error there is ([`search_diagnostics`]).
fn unknown_commands(
    pipeline: &Pipeline,
    options: &CompileOptions,
    spans: &SpanMap,
) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    for command in all_commands(pipeline) {
        let CommandKind::Unsupported(unsupported) = &command.kind else {
            continue;
        };
        let name = unsupported.name.as_str();
        if unsupported.origin != UnsupportedOrigin::Unknown || options.declares(name) {
            continue;
        }
        let mut candidates: Vec<&str> = command_table::names().collect();
        candidates.extend(options.app_commands.iter().map(String::as_str));
        let (code, message, label, help) = match did_you_mean(name, candidates) {
            Some(known) => (
                Code::P004,
                format!("unknown command `{name}`"),
                "not a Splunk command",
                format!("did you mean `{known}`?"),
            ),
            None => (
                Code::P005,
                format!("command `{name}` is not built into Splunk"),
                "not a built-in command",
                "if an installed app provides it, declare it as an app command; \
                 otherwise Splunk rejects the search"
                    .to_owned(),
            ),
        };
        let mut found = SplDiagnostic::new(code, unsupported.name_range, message);
        found.label = Some(label.to_owned());
        out.push(spans.locate(&found, Text::Expanded).with_help(help));
    }
    out
}

/// The first construct detc does not model, in text order: an unsupported command (at any
/// subsearch depth) or a macro left unexpanded because an app outside the content provides it.
fn unsupported(pipeline: &Pipeline, expanded: &str, spans: &SpanMap) -> Option<Diagnostic> {
    let command = first_unsupported_command(pipeline).map(|(name, range)| {
        let at = range.start_usize();
        let name_range = if expanded.get(at..at + name.len()) == Some(name) {
            TextRange::new(at, at + name.len())
        } else {
            range
        };
        let found = SplDiagnostic::new(
            Code::U001,
            name_range,
            format!("command `{name}` is not supported yet"),
        );
        (
            name_range.start_usize(),
            spans.locate(&found, Text::Expanded),
        )
    });
    let external = spans
        .expansion()
        .unexpanded()
        .iter()
        .find(|call| call.reason == UnexpandedReason::IgnoreList)
        .map(|call| {
            let found = SplDiagnostic::new(
                Code::U002,
                TextRange::new(call.range.start, call.range.end),
                format!(
                    "macro `{}` is not defined in this content (an app such as Enterprise Security provides it)",
                    call.name
                ),
            );
            (call.range.start, spans.locate(&found, Text::Expanded))
        });
    match (command, external) {
        (Some(a), Some(b)) => Some(if a.0 <= b.0 { a.1 } else { b.1 }),
        (a, b) => a.or(b).map(|(_, diagnostic)| diagnostic),
    }
}

/// The first `Unsupported` command in text order, at any depth.
fn first_unsupported_command(pipeline: &Pipeline) -> Option<(&str, TextRange)> {
    all_commands(pipeline)
        .into_iter()
        .filter_map(|command| match &command.kind {
            // A macro call standing as a segment is an unexpanded external macro, which
            // `Expansion::unexpanded` reports with its name.
            CommandKind::Unsupported(unsupported)
                if unsupported.origin != UnsupportedOrigin::Macro =>
            {
                Some((unsupported.name.as_str(), command.range))
            }
            _ => None,
        })
        .min_by_key(|(_, range)| range.start)
}

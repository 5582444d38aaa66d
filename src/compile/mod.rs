//! Compiling detections: for each detection, expand its search against the macro table,
//! parse it, map SPL spans back to the YAML files, and run the SPL lints. Joins `content`
//! (which knows files) and `spl` (which knows only strings).
//!
//! A detection ends in one of three states ([`Status`]): `compiled` (parsed and expanded;
//! the engine will extend this to "lowered to a plan"), `unsupported` (valid SPL that uses a
//! command or an external macro detc does not model yet) or `invalid` (an SPL syntax or
//! macro error, which Splunk would reject too).

mod filter_macro;
mod locate;

use crate::content::parallel::parallel_map;
use crate::content::{Detection, Loaded};
use crate::diagnostic::suggest::did_you_mean;
use crate::diagnostic::{Code, Diagnostic, Severity};
use crate::source::{FileId, Span};
use crate::spl::ast::{CommandKind, Pipeline, UnsupportedOrigin};
use crate::spl::command_table;
use crate::spl::expand::{ExpandConfig, Expansion, MacroDef, MacroTable, UnexpandedReason, expand};
use crate::spl::visit::all_commands;
use crate::spl::{self, TextRange};

use locate::{DefinitionSource, LazySearchMap, Locator};

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
    /// The parsed expanded search (ranges are offsets into `expanded`).
    pub pipeline: Pipeline,
    /// Everything found in the search: syntax and macro errors, lints. Unsupported
    /// constructs are not here (they are not problems in the content), only in `reason`.
    pub diagnostics: Vec<Diagnostic>,
    /// Whether the detection's `status` is `deprecated`: its errors are reported as warnings
    /// (see [`CompiledSearch::as_reported`]).
    pub deprecated: bool,
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
    definitions: Vec<Option<DefinitionSource>>,
}

impl MacroSet {
    /// The macros of `loaded` (those with a name and a definition).
    #[must_use]
    pub fn new(loaded: &Loaded) -> MacroSet {
        let mut table = MacroTable::new();
        let mut definitions = Vec::new();
        for (index, definition_macro) in loaded.content.macros.iter().enumerate() {
            let (Some(name), Some(definition)) =
                (definition_macro.name(), definition_macro.definition.value())
            else {
                continue;
            };
            table.insert(MacroDef {
                name: name.to_owned(),
                arguments: definition_macro
                    .argument_names()
                    .into_iter()
                    .map(str::to_owned)
                    .collect(),
                definition: definition.clone(),
            });
            definitions.push(DefinitionSource::new(
                &loaded.sources,
                &loaded.content,
                index,
            ));
        }
        MacroSet { table, definitions }
    }
}

/// What compiling needs beyond the content (shared by `detc compile` and `detc validate`).
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
    let search_map = LazySearchMap::new(
        loaded.sources.get(file)?.text(),
        search.span.start as usize,
        &search.value,
    );
    let filter = filter_macro_name(detection);

    let mut config = ExpandConfig::new();
    config.filter_macro(filter.clone());
    let expansion = expand(&search.value, &macros.table, &config);
    let parsed = spl::parse(&expansion.text);
    let locator = Locator {
        file,
        search: search_map,
        expansion: &expansion,
        definitions: &macros.definitions,
    };

    let map_strings = map_command_ranges(&parsed.pipeline, &expansion);
    let mut diagnostics = Vec::new();
    for problem in &expansion.diagnostics {
        // `map` runs its quoted search as a new search, and macros in it expand then
        // (spl-semantics.md Q9), so a call there is not the problem E005 describes.
        if problem.code == Code::E005
            && map_strings
                .iter()
                .any(|map| map.start <= problem.range.start && problem.range.end <= map.end)
        {
            continue;
        }
        let mut diagnostic = Diagnostic::new(
            problem.code,
            locator.search_span(problem.range.clone()),
            problem.message.clone(),
        );
        if !problem.chain.is_empty() {
            let names: Vec<String> = problem
                .chain
                .iter()
                .filter_map(|id| macros.table.get(*id))
                .map(|def| format!("`{}`", def.name))
                .collect();
            diagnostic = diagnostic.with_note(format!("while expanding {}", names.join(" → ")));
        }
        if let Some(site) = &problem.inner
            && let Some(Some(definition)) = macros.definitions.get(site.id.index())
        {
            let start = definition.map.file_offset(site.range.start);
            let end = definition.map.file_offset(site.range.end).max(start);
            diagnostic = diagnostic.with_label(
                Span::new(definition.file, start, end),
                format!("called here, in the definition of `{}`", definition.name),
            );
        }
        diagnostics.push(diagnostic);
    }
    for problem in &parsed.diagnostics {
        let mut diagnostic =
            Diagnostic::new(problem.code, Span::file_start(file), &problem.message);
        if let Some(label) = &problem.label {
            diagnostic = diagnostic.with_primary_label(label.clone());
        }
        diagnostics.push(locator.place(diagnostic, range_of(problem.range)));
    }
    diagnostics.extend(unknown_commands(&parsed.pipeline, options, &locator));
    for finding in spl::lint::lint(&parsed.pipeline, &expansion.text) {
        let mut diagnostic =
            Diagnostic::new(finding.code, Span::file_start(file), &finding.message);
        if let Some(label) = &finding.label {
            diagnostic = diagnostic.with_primary_label(label.clone());
        }
        diagnostics.push(locator.place(diagnostic, range_of(finding.range)));
    }
    for finding in filter_macro::check(&search.value, &filter) {
        let mut diagnostic = Diagnostic::new(
            finding.code,
            locator.search_span(finding.range),
            finding.message,
        );
        if let Some((range, message)) = finding.related {
            diagnostic = diagnostic.with_label(locator.search_span(range), message);
        }
        diagnostics.push(diagnostic);
    }

    let reason = diagnostics
        .iter()
        .find(|diagnostic| diagnostic.severity == Severity::Error)
        .cloned();
    let (status, reason) = match reason {
        Some(error) => (Status::Invalid, Some(error)),
        None => match unsupported(&parsed.pipeline, &expansion, &locator) {
            Some(reason) => (Status::Unsupported, Some(reason)),
            None => (Status::Compiled, None),
        },
    };
    Some(CompiledSearch {
        detection: index,
        file,
        status,
        reason,
        expanded: expansion.text,
        pipeline: parsed.pipeline,
        diagnostics,
        deprecated: detection.status() == Some("deprecated"),
    })
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
    locator: &Locator<'_>,
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
        let diagnostic = match did_you_mean(name, candidates) {
            Some(known) => Diagnostic::new(
                Code::P004,
                Span::file_start(locator.file),
                format!("unknown command `{name}`"),
            )
            .with_primary_label("not a Splunk command")
            .with_help(format!("did you mean `{known}`?")),
            None => Diagnostic::new(
                Code::P005,
                Span::file_start(locator.file),
                format!("command `{name}` is not built into Splunk"),
            )
            .with_primary_label("not a built-in command")
            .with_help(
                "if an installed app provides it, declare it as an app command; \
                 otherwise Splunk rejects the search",
            ),
        };
        out.push(locator.place(diagnostic, range_of(unsupported.name_range)));
    }
    out
}

/// The first construct detc does not model, in text order: an unsupported command (at any
/// subsearch depth) or a macro left unexpanded because an app outside the content provides it.
fn unsupported(
    pipeline: &Pipeline,
    expansion: &Expansion,
    locator: &Locator<'_>,
) -> Option<Diagnostic> {
    let command = first_unsupported_command(pipeline).map(|(name, range)| {
        let at = range.start_usize();
        let name_range = if expansion.text.get(at..at + name.len()) == Some(name) {
            at..at + name.len()
        } else {
            range_of(range)
        };
        let diagnostic = Diagnostic::new(
            Code::U001,
            Span::file_start(locator.file),
            format!("command `{name}` is not supported yet"),
        );
        (name_range.start, locator.place(diagnostic, name_range))
    });
    let external = expansion
        .unexpanded()
        .iter()
        .find(|call| call.reason == UnexpandedReason::IgnoreList)
        .map(|call| {
            let diagnostic = Diagnostic::new(
                Code::U002,
                Span::file_start(locator.file),
                format!(
                    "macro `{}` is not defined in this content (an app such as Enterprise Security provides it)",
                    call.name
                ),
            );
            (call.range.start, locator.place(diagnostic, call.range.clone()))
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

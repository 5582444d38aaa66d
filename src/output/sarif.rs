//! The SARIF renderer: one SARIF 2.1.0 log with one run, for GitHub code scanning and other
//! SARIF viewers.
//!
//! The tool's driver lists one rule per registered code (id, PascalCase name, the registry's
//! summary, the code's explanation from `docs/codes/` as help text and markdown, a help URI,
//! the default level). Each diagnostic is one result: rule id and index, level, the message
//! with its notes and help, the primary span as the location (1-based lines, columns in
//! Unicode code points, end exclusive) and each label as a related location. File URIs are
//! the paths as every renderer shows them (relative to the current directory), so run detc
//! from the repository root for GitHub to attach results to files.

use std::io::{self, Write};

use serde::Serialize;

use super::RenderOptions;
use super::location::clamp;
use crate::diagnostic::codes::{CodeInfo, Lifecycle, REGISTRY};
use crate::diagnostic::explain::explanation;
use crate::diagnostic::{Diagnostic, Severity};
use crate::source::{SourceMap, Span};

/// The schema every log names (the OASIS 2.1.0 errata 01 schema, which validators expect).
const SCHEMA: &str =
    "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json";

/// The repository's home page. Not known yet: this address is a placeholder, the one place
/// to change when the project is published (GitHub only shows it as a link).
const INFORMATION_URI: &str = "https://github.com/detc-project/detc";

/// Where the explanations are published: `docs/codes/<CODE>.md` in the repository.
const HELP_BASE: &str = "https://github.com/detc-project/detc/blob/main/docs/codes/";

#[derive(Serialize)]
struct Log<'a> {
    #[serde(rename = "$schema")]
    schema: &'static str,
    version: &'static str,
    runs: [Run<'a>; 1],
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Run<'a> {
    tool: Tool,
    column_kind: &'static str,
    results: Vec<SarifResult<'a>>,
}

#[derive(Serialize)]
struct Tool {
    driver: Driver,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Driver {
    name: &'static str,
    version: &'static str,
    semantic_version: &'static str,
    information_uri: &'static str,
    rules: Vec<Rule>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Rule {
    id: &'static str,
    name: String,
    short_description: Text,
    full_description: Text,
    help: Help,
    help_uri: String,
    default_configuration: Configuration,
}

#[derive(Serialize)]
struct Text {
    text: String,
}

#[derive(Serialize)]
struct Help {
    text: &'static str,
    markdown: &'static str,
}

#[derive(Serialize)]
struct Configuration {
    level: &'static str,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct SarifResult<'a> {
    rule_id: &'static str,
    rule_index: usize,
    level: &'static str,
    message: Text,
    locations: [Location<'a>; 1],
    #[serde(skip_serializing_if = "Vec::is_empty")]
    related_locations: Vec<Location<'a>>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Location<'a> {
    #[serde(skip_serializing_if = "Option::is_none")]
    id: Option<usize>,
    physical_location: PhysicalLocation,
    #[serde(skip_serializing_if = "Option::is_none")]
    message: Option<TextRef<'a>>,
}

#[derive(Serialize)]
struct TextRef<'a> {
    text: &'a str,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct PhysicalLocation {
    artifact_location: ArtifactLocation,
    region: Region,
}

#[derive(Serialize)]
struct ArtifactLocation {
    uri: String,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Region {
    start_line: usize,
    start_column: usize,
    end_line: usize,
    end_column: usize,
}

/// Writes the SARIF log of `diagnostics` (one JSON document and a newline).
///
/// # Errors
/// Fails when writing to `out` fails.
pub fn render(
    diagnostics: &[Diagnostic],
    sources: &SourceMap,
    options: &RenderOptions,
    out: &mut dyn Write,
) -> io::Result<()> {
    let rules: Vec<&CodeInfo> = REGISTRY
        .iter()
        .filter(|info| info.lifecycle == Lifecycle::Stable)
        .collect();
    let results = diagnostics
        .iter()
        .map(|diagnostic| {
            let related = diagnostic
                .labels
                .iter()
                .enumerate()
                .map(|(index, label)| Location {
                    id: Some(index),
                    physical_location: physical(label.span, sources, options),
                    message: Some(TextRef {
                        text: &label.message,
                    }),
                })
                .collect();
            SarifResult {
                rule_id: diagnostic.code.as_str(),
                rule_index: rules
                    .iter()
                    .position(|info| info.code == diagnostic.code)
                    .unwrap_or_default(),
                level: level(diagnostic.severity),
                message: Text {
                    text: super::github::full_message(diagnostic),
                },
                locations: [Location {
                    id: None,
                    physical_location: physical(diagnostic.primary, sources, options),
                    message: None,
                }],
                related_locations: related,
            }
        })
        .collect();
    let log = Log {
        schema: SCHEMA,
        version: "2.1.0",
        runs: [Run {
            tool: Tool {
                driver: Driver {
                    name: "detc",
                    version: env!("CARGO_PKG_VERSION"),
                    semantic_version: env!("CARGO_PKG_VERSION"),
                    information_uri: INFORMATION_URI,
                    rules: rules.iter().map(|info| rule(info)).collect(),
                },
            },
            column_kind: "unicodeCodePoints",
            results,
        }],
    };
    serde_json::to_writer_pretty(&mut *out, &log)?;
    writeln!(out)
}

fn rule(info: &CodeInfo) -> Rule {
    let id = info.code.as_str();
    let help = explanation(info.code).unwrap_or(info.summary);
    Rule {
        id,
        name: pascal_case(info.name),
        short_description: Text {
            text: sentence(info.summary),
        },
        full_description: Text {
            text: sentence(info.summary),
        },
        help: Help {
            text: help,
            markdown: help,
        },
        help_uri: format!("{HELP_BASE}{id}.md"),
        default_configuration: Configuration {
            level: level(info.severity),
        },
    }
}

fn level(severity: Severity) -> &'static str {
    match severity {
        Severity::Error => "error",
        Severity::Warning => "warning",
    }
}

/// `unknown-key` as `UnknownKey`.
fn pascal_case(name: &str) -> String {
    name.split(['-', '_']).map(capitalise).collect()
}

/// A summary as a sentence: capitalised, with a final period.
fn sentence(summary: &str) -> String {
    let mut text = capitalise(summary);
    if !text.ends_with('.') {
        text.push('.');
    }
    text
}

/// `text` with its first character in upper case.
fn capitalise(text: &str) -> String {
    let mut chars = text.chars();
    chars.next().map_or_else(String::new, |first| {
        first.to_uppercase().chain(chars).collect()
    })
}

fn physical(span: Span, sources: &SourceMap, options: &RenderOptions) -> PhysicalLocation {
    let Some(file) = sources.get(span.file) else {
        return PhysicalLocation {
            artifact_location: ArtifactLocation { uri: String::new() },
            region: Region {
                start_line: 1,
                start_column: 1,
                end_line: 1,
                end_column: 1,
            },
        };
    };
    let range = clamp(file.text(), span);
    let start = file.line_column(range.start);
    let end = file.line_column(range.end);
    PhysicalLocation {
        artifact_location: ArtifactLocation {
            uri: uri_of(&options.paths.show(file.path())),
        },
        region: Region {
            start_line: start.line,
            start_column: start.column,
            end_line: end.line,
            end_column: end.column,
        },
    }
}

/// A relative URI reference for a path: `/` separators, and every byte outside RFC 3986's
/// unreserved set and `/` percent-encoded.
fn uri_of(path: &str) -> String {
    let mut uri = String::with_capacity(path.len());
    for byte in path.replace('\\', "/").bytes() {
        if byte.is_ascii_alphanumeric() || matches!(byte, b'-' | b'.' | b'_' | b'~' | b'/') {
            uri.push(char::from(byte));
        } else {
            uri.push_str(&format!("%{byte:02X}"));
        }
    }
    uri
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_and_uris() {
        assert_eq!(pascal_case("unknown-key"), "UnknownKey");
        assert_eq!(sentence("a key is unknown"), "A key is unknown.");
        assert_eq!(uri_of("detections/a b%.yml"), "detections/a%20b%25.yml");
        assert_eq!(uri_of("../x/é.yml"), "../x/%C3%A9.yml");
    }
}

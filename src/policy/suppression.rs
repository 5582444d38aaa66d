//! Inline suppressions: a YAML comment `# detc: ignore[X015]` (several codes separated by
//! commas) silences diagnostics with those exact codes whose primary span starts on the
//! comment's line, or on the next line when the comment stands on a line of its own.
//!
//! A code in a comment that silences nothing is reported (`X030`, as ruff's RUF100), and so
//! is a comment that cannot be read or names no registered code (`X031`): a suppression
//! that silently does nothing would hide the next real problem.
//!
//! Comments are found in the raw text, not by the YAML parser (which drops them): a `#`
//! at the start of a line or after a space or tab, as YAML defines a comment. A `#` inside
//! a quoted multi-line scalar that happens to look like that is read as a directive too;
//! the marker `detc:` makes that unlikely.

use std::collections::BTreeMap;

use crate::diagnostic::suggest::did_you_mean;
use crate::diagnostic::{Code, Diagnostic, codes::REGISTRY};
use crate::source::{FileId, SourceMap, Span};

/// The marker every directive starts with, after the `#`.
const MARKER: &str = "detc:";

/// One code named in a directive.
#[derive(Debug)]
struct Named {
    code: Code,
    span: Span,
    used: bool,
}

/// One `# detc: ignore[...]` comment.
#[derive(Debug)]
struct Directive {
    /// The comment holds the whole line, so it also covers the next one.
    own_line: bool,
    codes: Vec<Named>,
}

/// Every directive of a run, by file and 0-based line.
#[derive(Debug, Default)]
pub(crate) struct Suppressions {
    directives: BTreeMap<(FileId, usize), Directive>,
    /// `X031` diagnostics for comments that could not be read.
    malformed: Vec<Diagnostic>,
}

impl Suppressions {
    /// Finds the directives in every `.yml` file of `sources`.
    pub(crate) fn scan(sources: &SourceMap) -> Suppressions {
        let mut found = Suppressions::default();
        for (file, source) in sources.files() {
            let is_yaml = source
                .path()
                .extension()
                .is_some_and(|extension| extension == "yml" || extension == "yaml");
            if !is_yaml || !source.text().contains(MARKER) {
                continue;
            }
            let mut offset = 0;
            for (line, text) in source.text().split_inclusive('\n').enumerate() {
                found.scan_line(file, line, offset, text);
                offset += text.len();
            }
        }
        found
    }

    fn scan_line(&mut self, file: FileId, line: usize, offset: usize, text: &str) {
        let Some(hash) = comment_start(text) else {
            return;
        };
        let comment = text.get(hash + 1..).unwrap_or_default();
        let body = comment.trim_start();
        let Some(after_marker) = body.strip_prefix(MARKER) else {
            return;
        };
        let marker_at = offset + hash + 1 + (comment.len() - body.len());
        let own_line = text
            .get(..hash)
            .is_some_and(|before| before.trim().is_empty());
        let directive_end = marker_at + body.trim_end().len();
        let whole = Span::new(file, marker_at, directive_end);
        let rest = after_marker.trim_start();
        let rest_at = marker_at + MARKER.len() + (after_marker.len() - rest.len());
        let Some(list) = rest
            .strip_prefix("ignore[")
            .and_then(|list| list.split_once(']').map(|(codes, _)| codes))
        else {
            self.malformed.push(
                Diagnostic::new(
                    Code::X031,
                    whole,
                    "this `detc:` comment is not a suppression detc can read",
                )
                .with_primary_label("expected `detc: ignore[CODE, ...]`")
                .with_help("write it as `# detc: ignore[X015]`, with exact codes"),
            );
            return;
        };
        let mut codes = Vec::new();
        let mut at = rest_at + "ignore[".len();
        for part in list.split(',') {
            let name = part.trim();
            let name_at = at + (part.len() - part.trim_start().len());
            at += part.len() + 1;
            let span = Span::new(file, name_at, name_at + name.len());
            match Code::from_id(name) {
                Some(code) => codes.push(Named {
                    code,
                    span,
                    used: false,
                }),
                None => self.malformed.push(unknown_code(name, span)),
            }
        }
        if !codes.is_empty() {
            self.directives
                .insert((file, line), Directive { own_line, codes });
        }
    }

    /// Whether `diagnostic` is silenced; marks the code that silenced it as used.
    pub(crate) fn silences(&mut self, diagnostic: &Diagnostic, sources: &SourceMap) -> bool {
        let Some(source) = sources.get(diagnostic.primary.file) else {
            return false;
        };
        let line = source.lines().line_of(diagnostic.primary.start as usize);
        let file = diagnostic.primary.file;
        if let Some(directive) = self.directives.get_mut(&(file, line))
            && mark(directive, diagnostic.code)
        {
            return true;
        }
        line.checked_sub(1)
            .and_then(|above| self.directives.get_mut(&(file, above)))
            .is_some_and(|directive| directive.own_line && mark(directive, diagnostic.code))
    }

    /// The `X030` diagnostics for codes that silenced nothing and the `X031` ones for
    /// comments that could not be read.
    pub(crate) fn into_diagnostics(self) -> Vec<Diagnostic> {
        let mut diagnostics = self.malformed;
        for directive in self.directives.into_values() {
            for named in directive.codes.into_iter().filter(|named| !named.used) {
                let id = named.code.as_str();
                let mut diagnostic = Diagnostic::new(
                    Code::X030,
                    named.span,
                    format!("the suppression of `{id}` silences nothing"),
                )
                .with_primary_label(format!("no `{id}` diagnostic starts on this line"))
                .with_help(format!("remove `{id}` from the comment"));
                if super::always_reported(named.code) {
                    diagnostic = diagnostic.with_note(format!(
                        "`{id}` means the file could not be loaded; it cannot be suppressed"
                    ));
                } else if directive.own_line {
                    diagnostic = diagnostic.with_note(
                        "a comment on its own line covers its line and the next one".to_owned(),
                    );
                }
                diagnostics.push(diagnostic);
            }
        }
        diagnostics
    }
}

fn mark(directive: &mut Directive, code: Code) -> bool {
    if super::always_reported(code) {
        return false;
    }
    match directive.codes.iter_mut().find(|named| named.code == code) {
        Some(named) => {
            named.used = true;
            true
        }
        None => false,
    }
}

fn unknown_code(name: &str, span: Span) -> Diagnostic {
    let diagnostic = Diagnostic::new(
        Code::X031,
        span,
        format!("`{name}` in this suppression is not a diagnostic code"),
    );
    let upper = name.to_ascii_uppercase();
    if Code::from_id(&upper).is_some() {
        return diagnostic.with_help(format!("codes are upper case: `{upper}`"));
    }
    if !name.is_empty()
        && REGISTRY
            .iter()
            .any(|info| info.code.as_str().starts_with(&upper))
    {
        return diagnostic
            .with_primary_label("a prefix")
            .with_help("a suppression names exact codes (`X015`), not prefixes");
    }
    match did_you_mean(name, REGISTRY.iter().map(|info| info.code.as_str())) {
        Some(close) => diagnostic.with_help(format!("did you mean `{close}`?")),
        None => diagnostic.with_help("`detc explain CODE` lists what a code means"),
    }
}

/// The byte offset of the `#` that opens a YAML comment on `line`, if any: at the start of
/// the line or after a space or tab, and outside a single- or double-quoted scalar that
/// opens and closes on this line.
fn comment_start(line: &str) -> Option<usize> {
    let mut quote: Option<u8> = None;
    let mut previous = b' ';
    let bytes = line.as_bytes();
    let mut index = 0;
    while let Some(&byte) = bytes.get(index) {
        match quote {
            Some(b'"') if byte == b'\\' => index += 1,
            Some(open) if byte == open => quote = None,
            Some(_) => {}
            None if byte == b'#' && (previous == b' ' || previous == b'\t') => {
                return Some(index);
            }
            None if (byte == b'"' || byte == b'\'')
                && matches!(previous, b' ' | b'\t' | b':' | b'-' | b'[' | b'{' | b',') =>
            {
                quote = Some(byte);
            }
            None => {}
        }
        previous = byte;
        index += 1;
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn comment_start_follows_yaml() {
        assert_eq!(comment_start("# detc: x"), Some(0));
        assert_eq!(comment_start("a: 1 # c"), Some(5));
        assert_eq!(comment_start("a: b#c"), None);
        assert_eq!(comment_start("a: 'x # y' # z"), Some(11));
        assert_eq!(comment_start("a: \"x \\\" # y\" # z"), Some(14));
        assert_eq!(comment_start("a: it's # z"), Some(8));
    }

    fn scan(text: &str) -> (SourceMap, Suppressions, FileId) {
        let mut sources = SourceMap::new();
        let file = sources.add("d.yml".into(), text.to_owned());
        let found = Suppressions::scan(&sources);
        (sources, found, file)
    }

    #[test]
    fn same_line_and_line_above() {
        let text = "a: 1 # detc: ignore[X015]\n# detc: ignore[X014, D006]\nb: 2\nc: 3\n";
        let (sources, mut found, file) = scan(text);
        let at = |needle: &str| {
            let start = text.find(needle).unwrap();
            Span::new(file, start, start + 1)
        };
        assert!(found.silences(&Diagnostic::new(Code::X015, at("a:"), "m"), &sources));
        assert!(!found.silences(&Diagnostic::new(Code::X014, at("a:"), "m"), &sources));
        assert!(found.silences(&Diagnostic::new(Code::X014, at("b:"), "m"), &sources));
        assert!(!found.silences(&Diagnostic::new(Code::X014, at("c:"), "m"), &sources));
        let left = found.into_diagnostics();
        let codes: Vec<_> = left
            .iter()
            .map(|d| (d.code, sources.slice(d.primary)))
            .collect();
        assert_eq!(codes, vec![(Code::X030, Some("D006"))]);
    }

    #[test]
    fn malformed_and_unknown_codes() {
        let text = "a: 1 # detc: ignore X015\nb: 2 # detc: ignore[X0155, x015, X01]\n";
        let (sources, found, _) = scan(text);
        let left = found.into_diagnostics();
        let shown: Vec<_> = left
            .iter()
            .map(|d| {
                (
                    d.code,
                    sources.slice(d.primary).unwrap_or_default(),
                    d.help.clone(),
                )
            })
            .collect();
        assert_eq!(shown.len(), 4, "{shown:?}");
        assert!(shown.iter().all(|(code, _, _)| *code == Code::X031));
        assert_eq!(shown[0].1, "detc: ignore X015");
        assert_eq!(shown[1].2.as_deref(), Some("did you mean `X015`?"));
        assert_eq!(shown[2].2.as_deref(), Some("codes are upper case: `X015`"));
        assert_eq!(shown[3].1, "X01");
    }
}

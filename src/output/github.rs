//! The GitHub renderer: one workflow command per diagnostic, so a CI run annotates the
//! offending line in the pull request.
//!
//! `::error file=PATH,line=L,col=C,title=CODE::MESSAGE`, or `::warning ...`. Notes and help
//! follow the message on their own lines. Escaping follows GitHub's `@actions/core`: in the
//! message `%`, `\r` and `\n`; in properties also `:` and `,`.

use std::io::{self, Write};

use super::RenderOptions;
use super::location::line_column;
use crate::diagnostic::Diagnostic;
use crate::source::SourceMap;

/// Writes one workflow command per diagnostic, in the order given.
///
/// # Errors
/// Fails only when writing to `out` fails.
pub fn render(
    diagnostics: &[Diagnostic],
    sources: &SourceMap,
    options: &RenderOptions,
    out: &mut dyn Write,
) -> io::Result<()> {
    for diagnostic in diagnostics {
        let position = line_column(sources, diagnostic.primary);
        let path = sources
            .get(diagnostic.primary.file)
            .map(|file| options.paths.show(file.path()))
            .unwrap_or_default();
        let message = full_message(diagnostic);
        writeln!(
            out,
            "::{} file={},line={},col={},title={}::{}",
            diagnostic.severity.as_str(),
            escape_property(&path),
            position.line,
            position.column,
            escape_property(diagnostic.code.as_str()),
            escape_data(&message),
        )?;
    }
    Ok(())
}

/// The message with its notes and help on lines of their own (`note: ...`, `help: ...`), for
/// formats that carry one text per diagnostic (this one and SARIF).
pub(crate) fn full_message(diagnostic: &Diagnostic) -> String {
    let mut message = diagnostic.message.clone();
    for note in &diagnostic.notes {
        message.push_str("\nnote: ");
        message.push_str(note);
    }
    if let Some(help) = &diagnostic.help {
        message.push_str("\nhelp: ");
        message.push_str(help);
    }
    message
}

/// Escapes a command's message.
#[must_use]
fn escape_data(text: &str) -> String {
    text.replace('%', "%25")
        .replace('\r', "%0D")
        .replace('\n', "%0A")
}

/// Escapes a command property's value.
#[must_use]
fn escape_property(text: &str) -> String {
    escape_data(text).replace(':', "%3A").replace(',', "%2C")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_like_actions_core() {
        assert_eq!(escape_data("50% a\r\nb: c,d"), "50%25 a%0D%0Ab: c,d");
        assert_eq!(escape_property("a:b,c%\n"), "a%3Ab%2Cc%25%0A");
    }
}

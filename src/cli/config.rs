//! The one conversion from raw arguments ([`super::args`]) to the configs subcommands run
//! with. The environment (terminal detection, `NO_COLOR`, the current directory) is read
//! here, once, so subcommands and renderers stay free of it.

use std::ffi::OsString;
use std::io::IsTerminal;
use std::path::PathBuf;

use clap::Parser;

use super::args::{
    Args, ColorChoice, CommandArgs, CompileArgs, CompileFormat, EventsArgs, EventsFormat,
    ValidateArgs, ValidateFormat,
};
use crate::diagnostic::Code;
use crate::output::{Color, Format, PathDisplay, RenderOptions};
use crate::policy::Selector;

/// A subcommand with its validated config.
#[derive(Debug)]
// Not `non_exhaustive`: the binary must match every variant, so adding one is a
// compile error there rather than a silent fallback.
pub enum Command {
    /// `detc validate`.
    Validate(ValidateConfig),
    /// `detc compile`.
    Compile(CompileConfig),
    /// `detc events`.
    Events(EventsConfig),
    /// `detc run`.
    Run(RunConfig),
    /// `detc explain CODE`.
    Explain(Code),
}

/// How `detc events` prints.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum EventsOutput {
    /// One JSON object per line.
    Jsonl,
    /// A tab-separated table.
    Table,
}

/// Everything `detc events` needs.
#[derive(Debug)]
pub struct EventsConfig {
    /// A content root whose mappings add to the built-in ones.
    pub content: Option<PathBuf>,
    /// Event files and folders.
    pub events: Vec<PathBuf>,
    /// Output format.
    pub output: EventsOutput,
    /// Fields to print (`None`: all).
    pub fields: Option<Vec<String>>,
    /// Print only events of this dataset.
    pub only: Option<String>,
    /// `source` for events whose content names none.
    pub source: Option<String>,
    /// `sourcetype` for events whose content names none.
    pub sourcetype: Option<String>,
    /// A Splunk ES asset CSV.
    pub assets: Option<PathBuf>,
    /// Draw a progress line on stderr (a terminal only).
    pub progress: bool,
}

/// Everything `detc run` needs: its arguments (read with the content root's `detc.toml` by
/// [`super::run::run`], which knows where that is) and whether to draw progress.
#[derive(Debug)]
pub struct RunConfig {
    /// The command line.
    pub args: crate::cli::args::RunArgs,
    /// Draw a progress line on stderr (a terminal only).
    pub progress: bool,
}

/// Everything `detc compile` needs.
#[derive(Debug)]
pub struct CompileConfig {
    /// The content root.
    pub content: PathBuf,
    /// How to print results (`Human` or `Json`).
    pub format: Format,
    /// The detection to explain (name or file stem), instead of the report.
    pub explain: Option<String>,
    /// Paths and colour for the renderers.
    pub render: RenderOptions,
    /// Commands installed apps provide (see [`crate::compile::CompileOptions`]).
    pub app_commands: Vec<String>,
}

/// Everything `detc validate` needs. The content root and `detc.toml` are resolved when it
/// runs (they need the file system), so bad settings are reported like unreadable content.
#[derive(Debug)]
pub struct ValidateConfig {
    /// The content root given with `--content`; `None`: found from `paths` or the current
    /// directory.
    pub content: Option<PathBuf>,
    /// Report only diagnostics in these files and folders (empty: everywhere).
    pub paths: Vec<PathBuf>,
    /// `--select`, replacing `detc.toml`'s list when given.
    pub select: Option<Vec<Selector>>,
    /// `--ignore`, added to `detc.toml`'s list.
    pub ignore: Vec<Selector>,
    /// `--deny-warnings` (or `detc.toml` may set it).
    pub deny_warnings: bool,
    /// `-q`: no summary line.
    pub quiet: bool,
    /// The diagnostic format.
    pub format: Format,
    /// Colour for the human renderer.
    pub color: Color,
    /// The current directory, to show paths relative to it and to find the content root.
    pub cwd: Option<PathBuf>,
    /// Commands installed apps provide (see [`crate::compile::CompileOptions`]), from the
    /// command line; `detc.toml`'s `app-commands` adds to them.
    pub app_commands: Vec<String>,
}

/// Parses the command line and builds the config of the chosen subcommand.
///
/// # Errors
/// Returns clap's error for bad usage, and for `--help` and `--version` (whose exit code
/// is 0); the caller prints it.
pub fn parse<I, T>(arguments: I) -> Result<Command, clap::Error>
where
    I: IntoIterator<Item = T>,
    T: Into<OsString> + Clone,
{
    let args = Args::try_parse_from(arguments)?;
    let color = stderr_color(args.color);
    Ok(match args.command {
        CommandArgs::Validate(validate) => Command::Validate(validate_config(validate, color)),
        CommandArgs::Compile(compile) => Command::Compile(compile_config(compile, color)),
        CommandArgs::Events(events) => Command::Events(events_config(events)),
        CommandArgs::Run(args) => Command::Run(RunConfig {
            args,
            progress: std::io::stderr().is_terminal(),
        }),
        CommandArgs::Explain(explain) => Command::Explain(explain.code),
    })
}

fn validate_config(args: ValidateArgs, color: Color) -> ValidateConfig {
    let format = match args.format {
        ValidateFormat::Human => Format::Human,
        ValidateFormat::Github => Format::Github,
        ValidateFormat::Json => Format::Json,
        ValidateFormat::Sarif => Format::Sarif,
    };
    ValidateConfig {
        content: args.content,
        paths: args.paths,
        select: args.select,
        ignore: args.ignore,
        deny_warnings: args.deny_warnings,
        quiet: args.quiet,
        format,
        color,
        cwd: std::env::current_dir().ok(),
        // Declared in `detc.toml` (read when validate runs); none on the command line.
        app_commands: Vec::new(),
    }
}

fn compile_config(args: CompileArgs, color: Color) -> CompileConfig {
    let format = match args.format {
        CompileFormat::Human => Format::Human,
        CompileFormat::Json => Format::Json,
    };
    CompileConfig {
        render: render_options(&args.content, color),
        content: args.content,
        format,
        explain: args.explain,
        // Declared in `detc.toml` (read when compile runs); none on the command line.
        app_commands: Vec::new(),
    }
}

fn events_config(args: EventsArgs) -> EventsConfig {
    let fields = args.fields.map(|fields| {
        fields
            .into_iter()
            .map(|field| field.trim().to_string())
            .filter(|field| !field.is_empty())
            .collect()
    });
    EventsConfig {
        content: args.content,
        events: args.events,
        output: match args.format {
            EventsFormat::Jsonl => EventsOutput::Jsonl,
            EventsFormat::Table => EventsOutput::Table,
        },
        fields,
        only: args.only,
        source: args.source,
        sourcetype: args.sourcetype,
        assets: args.assets,
        progress: std::io::stderr().is_terminal(),
    }
}

/// Paths shown relative to the current directory.
fn render_options(content: &std::path::Path, color: Color) -> RenderOptions {
    let cwd = std::env::current_dir().ok();
    RenderOptions {
        paths: PathDisplay::new(Some(content), cwd.as_deref()),
        color,
    }
}

/// `--color`: with `auto`, colour only for a terminal, and never when `NO_COLOR` is set to
/// anything non-empty (<https://no-color.org>); `always` and `never` decide alone.
fn stderr_color(choice: ColorChoice) -> Color {
    match choice {
        ColorChoice::Always => Color::Always,
        ColorChoice::Never => Color::Never,
        ColorChoice::Auto => {
            let no_color = std::env::var_os("NO_COLOR").is_some_and(|value| !value.is_empty());
            if !no_color && std::io::stderr().is_terminal() {
                Color::Always
            } else {
                Color::Never
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn defaults() {
        let Ok(Command::Validate(config)) = parse(["detc", "validate"]) else {
            panic!("validate should parse");
        };
        assert_eq!(config.content, None);
        assert!(config.paths.is_empty() && config.select.is_none() && config.ignore.is_empty());
        assert!(!config.deny_warnings && !config.quiet);
        assert_eq!(config.format, Format::Human);
    }

    #[test]
    fn paths_codes_and_switches() {
        let Ok(Command::Validate(config)) = parse([
            "detc",
            "validate",
            "detections/a.yml",
            "macros",
            "--select",
            "D,x01",
            "--ignore",
            "X015",
            "--ignore",
            "D006",
            "--deny-warnings",
            "-q",
            "--color",
            "always",
            "--format",
            "sarif",
        ]) else {
            panic!("validate should parse");
        };
        assert_eq!(config.paths.len(), 2);
        let shown = |list: &[Selector]| list.iter().map(ToString::to_string).collect::<Vec<_>>();
        assert_eq!(shown(&config.select.unwrap()), ["D", "X01"]);
        assert_eq!(shown(&config.ignore), ["X015", "D006"]);
        assert!(config.deny_warnings && config.quiet);
        assert_eq!(config.color, Color::Always);
        assert_eq!(config.format, Format::Sarif);
        let error = parse(["detc", "validate", "--select", "D0066"]).unwrap_err();
        assert_eq!(error.exit_code(), 2);
        assert!(
            error.to_string().contains("did you mean `D006`?"),
            "{error}"
        );
    }

    #[test]
    fn explain_takes_one_code() {
        assert!(matches!(
            parse(["detc", "explain", "x015"]),
            Ok(Command::Explain(Code::X015))
        ));
        let error = parse(["detc", "explain", "X0155"]).unwrap_err();
        assert!(
            error.to_string().contains("did you mean `X015`?"),
            "{error}"
        );
    }

    #[test]
    fn format_and_content() {
        let Ok(Command::Validate(config)) =
            parse(["detc", "validate", "--content", "x", "--format", "json"])
        else {
            panic!("validate should parse");
        };
        assert_eq!(config.content, Some(PathBuf::from("x")));
        assert_eq!(config.format, Format::Json);
    }

    #[test]
    fn compile_defaults_and_explain() {
        let Ok(Command::Compile(config)) = parse(["detc", "compile"]) else {
            panic!("compile should parse");
        };
        assert_eq!(config.format, Format::Human);
        assert_eq!(config.explain, None);
        let Ok(Command::Compile(config)) = parse([
            "detc",
            "compile",
            "--format",
            "json",
            "--explain",
            "Detect X",
        ]) else {
            panic!("compile should parse");
        };
        assert_eq!(config.format, Format::Json);
        assert_eq!(config.explain.as_deref(), Some("Detect X"));
        assert!(parse(["detc", "compile", "--format", "github"]).is_err());
    }

    #[test]
    fn bad_usage_exits_2_and_help_exits_0() {
        let err = parse(["detc", "validate", "--format", "xml"]).unwrap_err();
        assert_eq!(err.exit_code(), 2);
        let err = parse(["detc", "--help"]).unwrap_err();
        assert_eq!(err.exit_code(), 0);
        let err = parse(["detc"]).unwrap_err();
        assert_eq!(err.exit_code(), 2);
    }

    #[test]
    fn events_arguments() {
        let Ok(Command::Events(config)) = parse([
            "detc",
            "events",
            "--events",
            "a.xml",
            "b",
            "--fields",
            "Image, process_name",
            "--only",
            "Endpoint.Processes",
            "--format",
            "table",
        ]) else {
            panic!("events should parse");
        };
        assert_eq!(config.events, [PathBuf::from("a.xml"), PathBuf::from("b")]);
        assert_eq!(
            config.fields.as_deref(),
            Some(&["Image".to_string(), "process_name".to_string()][..])
        );
        assert_eq!(config.output, EventsOutput::Table);
        assert_eq!(config.only.as_deref(), Some("Endpoint.Processes"));
        assert_eq!(config.content, None);
        let err = parse(["detc", "events"]).unwrap_err();
        assert_eq!(err.exit_code(), 2, "--events is required");
    }

    #[test]
    fn clap_definition_is_consistent() {
        use clap::CommandFactory;
        Args::command().debug_assert();
    }
}

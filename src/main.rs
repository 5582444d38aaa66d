//! The `detc` binary: a thin dispatcher over the library. It parses the command line, runs
//! one subcommand and maps the outcome to an exit status: 0 passed, 1 the content has
//! errors (for `detc events`: an input could not be opened), 2 usage or I/O failure. A closed
//! output pipe is a clean exit.

use std::process::ExitCode;

use detc::cli::{self, Command, Outcome};

fn main() -> ExitCode {
    let command = match cli::parse(std::env::args_os()) {
        Ok(command) => command,
        Err(usage) => {
            // Help and version go to stdout with status 0; usage errors to stderr with 2.
            // A failure to print (closed pipe) changes nothing.
            let _ = usage.print();
            return ExitCode::from(u8::try_from(usage.exit_code()).unwrap_or(2));
        }
    };
    let result = match &command {
        Command::Validate(config) => cli::validate::run(config),
        Command::Compile(config) => cli::compile::run(config),
        Command::Events(config) => cli::events::run(config),
        Command::Run(config) => cli::run::run(config),
    };
    match result {
        Ok(Outcome::Passed) => ExitCode::SUCCESS,
        Ok(Outcome::Failed) => ExitCode::from(1),
        Ok(Outcome::Unreadable) => ExitCode::from(2),
        Err(error) if cli::is_broken_pipe(&error) => ExitCode::SUCCESS,
        Err(error) => {
            cli::report_error(&error);
            ExitCode::from(2)
        }
    }
}

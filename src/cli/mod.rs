//! Command-line interface: clap definitions, conversion to library configs, one small
//! function per subcommand, and exit codes.

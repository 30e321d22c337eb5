//! The `handout` binary: parse the command line, run it, exit with its status.
//! Everything else lives in the library (see `handout::cli`).

use clap::Parser;

fn main() -> std::process::ExitCode {
    handout::cli::run(handout::cli::Cli::parse())
}

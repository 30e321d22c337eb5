//! The `handout` binary: everything lives in the library (see `handout::cli`); this only
//! hands over the command line and returns the exit status.

fn main() -> std::process::ExitCode {
    handout::cli::main()
}

use std::process::ExitCode;

fn main() -> ExitCode {
    dialsim::cli::main()
}

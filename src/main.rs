use std::process::ExitCode;

fn main() -> ExitCode {
    ExitCode::from(sseconf::cli::main())
}

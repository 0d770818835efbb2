//! `sseconf completions SHELL`: static completion scripts from the clap definition.

use clap::CommandFactory;
use clap_complete::Shell;

#[derive(Debug, clap::Args)]
pub struct Args {
    /// The shell to generate completions for
    pub shell: Shell,
}

pub fn run(args: &Args) -> u8 {
    let mut buf = Vec::new();
    clap_complete::generate(args.shell, &mut super::Cli::command(), "sseconf", &mut buf);
    super::write_stdout(&String::from_utf8_lossy(&buf))
}

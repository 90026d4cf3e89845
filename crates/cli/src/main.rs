//! The `retur` command. Parses its arguments and hands them to the library; errors are printed
//! as sentences, without backtraces, and end the program with exit code 1.

use clap::Parser;

#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

#[tokio::main]
async fn main() -> std::process::ExitCode {
    let cli = retur::Cli::parse();
    retur::init_logging(&cli);
    match retur::run(cli).await {
        Ok(()) => std::process::ExitCode::SUCCESS,
        Err(error) => {
            #[allow(clippy::print_stderr)] // The one place the command speaks of a failure.
            {
                eprintln!("retur: {error:#}");
            }
            std::process::ExitCode::FAILURE
        }
    }
}

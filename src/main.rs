use std::process::ExitCode;

/// mimalloc: loading a large dialplan makes hundreds of thousands of small allocations, which it serves
/// several times faster than the system allocator. Its v2 line: v3, with transparent huge pages, held almost
/// twice the memory per parked call (see docs/performance.md).
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> ExitCode {
    dialsim::cli::main()
}

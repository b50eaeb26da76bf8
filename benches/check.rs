//! The whole `dialsim check` pipeline on the 10 MB workload: loading the configuration folder
//! ([`LoadedConfig::load`]: features.conf, res_parking.conf, extensions.conf and the dialplan model) and
//! running [`dialsim::lint::check`], in bytes of configuration per second.
//!
//! The workload is `../shared/bench/gen_dialplan.py --size 10M` (the file real Asterisk 22 reloads at
//! 27–35 MB/s), written into the target directory when python3 and the script are there; without them the
//! bench is skipped with a message. Target (issue 2): at least 100 MB/s end to end on one core; the
//! process-level figure (`dialsim check --config DIR`) is recorded in docs/performance.md. Like the
//! `dialsim` binary, the bench runs on mimalloc, and the loaded configuration is dropped outside the
//! timing (the binary never frees it: it exits).

use criterion::{criterion_group, criterion_main, Criterion, Throughput};
use dialplan::conf::DirSource;
use dialsim::config::LoadedConfig;
use std::hint::black_box;
use std::path::{Path, PathBuf};
use std::process::Command;

#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn target_dir() -> PathBuf {
    std::env::var_os("CARGO_TARGET_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| Path::new(env!("CARGO_MANIFEST_DIR")).join("target"))
}

/// The generator script, looked for beside the workspace (`../shared`) and in `/work/shared`.
fn script() -> Option<PathBuf> {
    let manifest = Path::new(env!("CARGO_MANIFEST_DIR"));
    [
        manifest.join("../shared/bench/gen_dialplan.py"),
        PathBuf::from("/work/shared/bench/gen_dialplan.py"),
    ]
    .into_iter()
    .find(|p| p.exists())
}

/// A configuration folder holding the 10 MB extensions.conf, or why there is none.
fn workload() -> Result<PathBuf, String> {
    let dir = target_dir().join("bench-check-10M");
    let file = dir.join("extensions.conf");
    if file.exists() {
        return Ok(dir);
    }
    let script = script().ok_or("gen_dialplan.py not found")?;
    std::fs::create_dir_all(&dir).map_err(|e| format!("cannot create {}: {e}", dir.display()))?;
    let status = Command::new("python3")
        .arg(script)
        .args(["--size", "10M", "-o"])
        .arg(&file)
        .stderr(std::process::Stdio::null())
        .status()
        .map_err(|e| format!("cannot run python3: {e}"))?;
    if !status.success() {
        return Err(format!("gen_dialplan.py failed: {status}"));
    }
    Ok(dir)
}

fn bench(c: &mut Criterion) {
    let dir = match workload() {
        Ok(d) => d,
        Err(why) => {
            eprintln!("check bench skipped: {why}");
            return;
        }
    };
    let source = DirSource { dir: dir.clone() };
    let bytes = std::fs::metadata(dir.join("extensions.conf")).map_or(0, |m| m.len());
    let first = LoadedConfig::load(&source);
    let priorities = first.dialplan.priority_count();
    let found = dialsim::lint::check(&first).len() + first.diagnostics.len();
    println!(
        "check: {bytes} bytes, {priorities} priorities, {} contexts, {found} diagnostics",
        first.dialplan.contexts().len()
    );
    drop(first);

    let mut group = c.benchmark_group("check");
    group.throughput(Throughput::Bytes(bytes));
    group.sample_size(10);
    group.bench_function("load_and_lint_10M", |b| {
        b.iter_with_large_drop(|| {
            let config = LoadedConfig::load(black_box(&source));
            let diagnostics = dialsim::lint::check(&config);
            (config, diagnostics)
        })
    });
    group.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);

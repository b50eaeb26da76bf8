//! Running calls end to end (issue 3, Speed (b) and (c)) at a smaller scale: the workloads of
//! `benches/workloads/` loaded from disk and run as `dialsim run --format none` runs them (no subscriber but
//! the runner's own diagnostics collector), with the number of calls cut to `CALLS`.
//!
//! - `comeback`: calls of `dialplan-examples/02-timeout-comeback` one after another (the target: ≥ 20,000
//!   complete call lifecycles per second of wall time on one core);
//! - `park`: calls parked at once in one 10,000-space lot (time per park must not grow with the number parked;
//!   the memory target, ≤ 4 KB per parked call, is measured with `/usr/bin/time`, see `docs/performance.md`).
//!
//! The configuration is loaded outside the timed part.

use criterion::{criterion_group, criterion_main, BatchSize, Criterion, Throughput};
use dialsim::config::LoadedConfig;
use dialsim::scenario::{self, Scenario};
use std::path::{Path, PathBuf};

const CALLS: usize = 1_000;

fn workload(name: &str) -> (PathBuf, Scenario) {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("benches/workloads")
        .join(name);
    let file = dir.join("scenario.toml");
    let text = std::fs::read_to_string(&file).expect("workload scenario");
    let mut s = scenario::parse(file, &text).expect("workload parses");
    s.calls.truncate(CALLS);
    (dir, s)
}

fn bench_workload(c: &mut Criterion, group: &str, name: &str) {
    let (dir, s) = workload(name);
    let mut g = c.benchmark_group(group);
    g.sample_size(10);
    g.throughput(Throughput::Elements(s.calls.len() as u64));
    g.bench_function(format!("{CALLS} calls"), |b| {
        b.iter_batched(
            || LoadedConfig::load_dir(&dir).expect("workload config"),
            |config| scenario::run(&s, config, Vec::new()).expect("run"),
            BatchSize::PerIteration,
        )
    });
    g.finish();
}

fn comeback(c: &mut Criterion) {
    bench_workload(c, "comeback", "b-comeback");
}

fn park(c: &mut Criterion) {
    bench_workload(c, "park", "c-park-10000");
}

criterion_group!(benches, comeback, park);
criterion_main!(benches);

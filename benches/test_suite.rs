//! `dialsim test` on a suite of 1,000 scenarios (issue 6): the example folders' scenarios, with their
//! expectations, taken in turn (as `benches/make_test_suite.sh` writes them), run by the suite runner on
//! 2 threads, each scenario loaded, run and checked. The target is under 2 s of wall time on 2 cores;
//! `docs/performance.md` has the figures, and the end-to-end measurement with the binary.

use criterion::{criterion_group, criterion_main, Criterion};
use dialsim::expect::GoldenMode;
use dialsim::suite::run::{run_all, Options};
use dialsim::suite::{Status, Totals};
use std::path::{Path, PathBuf};

const SCENARIOS: usize = 1_000;
const EXAMPLES: [&str; 6] = [
    "01-basic-retrieval",
    "02-timeout-comeback",
    "03-timeout-custom",
    "doc/01-basic-retrieval",
    "doc/02-timeout-comeback",
    "doc/03-timeout-custom",
];

fn suite(dir: &Path) -> Vec<PathBuf> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("dialplan-examples");
    (0..SCENARIOS)
        .map(|i| {
            let example = root.join(EXAMPLES[i % EXAMPLES.len()]);
            let text = std::fs::read_to_string(example.join("scenario.toml")).expect("example");
            let folder = dir.join(format!("{i:04}"));
            std::fs::create_dir_all(&folder).expect("folder");
            let file = folder.join("scenario.toml");
            let config = format!("config = \"{}\"\n", example.display());
            std::fs::write(&file, config + &text).expect("write");
            file
        })
        .collect()
}

fn bench(c: &mut Criterion) {
    let dir = tempfile::tempdir().expect("temp dir");
    let files = suite(dir.path());
    let opts = Options {
        jobs: 2,
        golden: GoldenMode::Compare,
    };
    let check = run_all(&files, opts, |_| {});
    let totals = Totals::of(&check);
    assert_eq!(totals.passed, SCENARIOS, "every scenario passes");
    assert!(check.iter().all(|r| r.status == Status::Passed));
    let mut g = c.benchmark_group("dialsim test");
    g.sample_size(10);
    g.bench_function("1000 scenarios of the page's examples, 2 threads", |b| {
        b.iter(|| run_all(&files, opts, |_| {}))
    });
    g.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);

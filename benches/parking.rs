//! Issue 4's parking benchmark: 100,000 calls through 100 lots in virtual time. Each call parks itself in
//! lot `lot<NN>` (`NN` = call number mod 100); every fourth call is retrieved 10 s later by a phone that hangs
//! up after 1 s, the others time out after 60 s and end in the comeback context. Two arrival rates give
//! different numbers of calls parked at once (about 450 and 4,500); the time per call must not grow with it.
//!
//! The configuration and the scenario are generated into a temporary folder outside the timed part; the
//! timed part is `scenario::run` (engine set-up, the whole virtual run) as `dialsim run --format none` does
//! it. `DIALSIM_BENCH_CALLS` lowers the number of calls for a quick look.

use criterion::{criterion_group, criterion_main, BatchSize, Criterion, Throughput};
use dialsim::config::LoadedConfig;
use dialsim::scenario::{self, Scenario};
use std::fmt::Write;
use std::path::{Path, PathBuf};

const LOTS: usize = 100;

fn calls() -> usize {
    std::env::var("DIALSIM_BENCH_CALLS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(100_000)
}

/// res_parking.conf with 100 lots of 100 spaces each, extensions.conf parking and retrieving by lot.
fn write_config(dir: &Path) {
    let mut res = String::from("[general]\n");
    for i in 0..LOTS {
        let _ = write!(
            res,
            "\n[lot{i:02}]\nparkext => 700\nparkpos => 701-800\ncontext => lot{i:02}\nparkingtime => 60\ncomebacktoorigin => no\ncomebackcontext => gone\n"
        );
    }
    let ext = "[in]\nexten => _XX,1,Park(lot${EXTEN},s)\nexten => _rXX,1,ParkedCall(lot${EXTEN:1})\n\n[gone]\nexten => s,1,Hangup()\n";
    std::fs::write(dir.join("res_parking.conf"), res).expect("write res_parking.conf");
    std::fs::write(dir.join("extensions.conf"), ext).expect("write extensions.conf");
    std::fs::write(dir.join("features.conf"), "[general]\n").expect("write features.conf");
}

/// The scenario: `n` calls `gap_ms` apart, every fourth retrieved 10 s later.
fn scenario(dir: &Path, n: usize, gap_ms: u64) -> Scenario {
    let mut s = String::from(
        "until = \"100h\"\n[devices.\"PJSIP/c\"]\nmedia = false\n[devices.\"PJSIP/r\"]\nmedia = false\nhangup_after = \"1s\"\n",
    );
    let mut events: Vec<(u64, String, String)> = Vec::with_capacity(n + n / 4);
    for i in 0..n {
        let at = i as u64 * gap_ms;
        let lot = i % LOTS;
        events.push((at, "PJSIP/c".into(), format!("{lot:02}@in")));
        if i % 4 == 0 {
            events.push((at + 10_000, "PJSIP/r".into(), format!("r{lot:02}@in")));
        }
    }
    events.sort_by_key(|e| e.0);
    for (at, from, to) in events {
        let _ = write!(
            s,
            "[[calls]]\nat = \"{at}ms\"\nfrom = \"{from}\"\nto = \"{to}\"\n"
        );
    }
    let file = dir.join("scenario.toml");
    scenario::parse(file, &s).expect("generated scenario parses")
}

fn bench(c: &mut Criterion) {
    let dir: PathBuf =
        std::env::temp_dir().join(format!("dialsim-bench-parking-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("temp dir");
    write_config(&dir);
    let n = calls();
    let mut g = c.benchmark_group("parking_100_lots");
    g.sample_size(10);
    g.throughput(Throughput::Elements(n as u64));
    // 10 calls/s: about 450 parked at once; 100 calls/s: about 4,500.
    for (label, gap_ms) in [("10 calls per s", 100), ("100 calls per s", 10)] {
        let s = scenario(&dir, n, gap_ms);
        g.bench_function(format!("{n} calls, {label}"), |b| {
            b.iter_batched(
                || LoadedConfig::load_dir(&dir).expect("bench config"),
                |config| scenario::run(&s, config, Vec::new()).expect("run"),
                BatchSize::PerIteration,
            )
        });
    }
    g.finish();
    let _ = std::fs::remove_dir_all(&dir);
}

criterion_group!(benches, bench);
criterion_main!(benches);

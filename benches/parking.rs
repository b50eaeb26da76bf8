//! Issue 4's parking benchmark: 100,000 calls through 100 lots in virtual time. Each call parks itself in
//! lot `lot<NN>` (`NN` = call number mod 100); every fourth call is retrieved 10 s later by a phone that hangs
//! up after 1 s, the others time out after 60 s and end in the comeback context. The time per call must not
//! grow with the number of calls parked at once; two groups vary that number two ways:
//!
//! - `parking_100_lots`: two arrival rates, 10 and 100 calls per second, so about 450 and 4,500 calls are
//!   parked at once. The timed part is `scenario::run` (engine set-up, the whole virtual run) as `dialsim run
//!   --format none` does it. Ten times the rate is also ten times the traffic between a call's park and its
//!   timeout, so this group measures the cache too: a call's state outlives ten times as much other work.
//! - `parking_idle_calls`: the same calls at 10 per second, in lots that also hold 0, 4,500 or 45,000 calls
//!   parked for the whole run (Park's `t()`, at spaces above the ones the calls take). Those calls are parked
//!   outside the timed part; the timed part is the 100,000 calls' run alone. The number of calls parked at
//!   once changes a hundredfold while the traffic stays the same.
//!
//! The configuration and the scenarios are generated into a temporary folder outside the timed part.
//! `DIALSIM_BENCH_CALLS` lowers the number of calls for a quick look.

use criterion::{criterion_group, criterion_main, BatchSize, Criterion, Throughput};
use dialsim::config::LoadedConfig;
use dialsim::scenario::runner::{self, Built};
use dialsim::scenario::{self, Scenario};
use std::fmt::Write;
use std::path::{Path, PathBuf};
use std::time::Duration;

/// The allocator `dialsim` itself runs on (src/main.rs), so the benchmark measures what a run costs.
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

const LOTS: usize = 100;

/// Spaces per lot of the idle-calls group: calls take the lowest free ones, idle calls sit from
/// [`IDLE_FIRST`] up.
const IDLE_LOT_SPACES: usize = 600;
const IDLE_FIRST: usize = 851;

fn calls() -> usize {
    std::env::var("DIALSIM_BENCH_CALLS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(100_000)
}

/// res_parking.conf with 100 lots of `spaces` spaces each; extensions.conf parking (`NN`), retrieving by lot
/// (`rNN`), and parking for the whole run at space [`IDLE_FIRST`] + `KKK` (`iNNKKK`).
fn write_config(dir: &Path, spaces: usize) {
    std::fs::create_dir_all(dir).expect("bench config dir");
    let mut res = String::from("[general]\n");
    let last = 700 + spaces;
    for i in 0..LOTS {
        let _ = write!(
            res,
            "\n[lot{i:02}]\nparkext => 700\nparkpos => 701-{last}\ncontext => lot{i:02}\nparkingtime => 60\ncomebacktoorigin => no\ncomebackcontext => gone\n"
        );
    }
    let ext = format!(
        "[in]\nexten => _XX,1,Park(lot${{EXTEN}},s)\nexten => _rXX,1,ParkedCall(lot${{EXTEN:1}})\n\
         exten => _iXXXXX,1,Set(PARKINGEXTEN=$[${{EXTEN:3}} + {IDLE_FIRST}])\n\
         same => n,Park(lot${{EXTEN:1:2}},st(1000000))\n\n[gone]\nexten => s,1,Hangup()\n"
    );
    std::fs::write(dir.join("res_parking.conf"), res).expect("write res_parking.conf");
    std::fs::write(dir.join("extensions.conf"), ext).expect("write extensions.conf");
    std::fs::write(dir.join("features.conf"), "[general]\n").expect("write features.conf");
}

/// The scenario's devices: the calls' phone, the retrieving phone (hangs up after 1 s), the idle calls'.
const DEVICES: &str = "[devices.\"PJSIP/c\"]\nmedia = false\n[devices.\"PJSIP/r\"]\nmedia = false\nhangup_after = \"1s\"\n[devices.\"PJSIP/i\"]\nmedia = false\n";

/// A scenario of `calls` (time in ms, device, `exten@context`), in time order.
fn calls_scenario(dir: &Path, name: &str, mut calls: Vec<(u64, &str, String)>) -> Scenario {
    calls.sort_by_key(|c| c.0);
    let mut s = format!("until = \"1000h\"\n{DEVICES}");
    for (at, from, to) in calls {
        let _ = write!(
            s,
            "[[calls]]\nat = \"{at}ms\"\nfrom = \"{from}\"\nto = \"{to}\"\n"
        );
    }
    scenario::parse(dir.join(name), &s).expect("generated scenario parses")
}

/// `n` calls `gap_ms` apart from `start_ms`, every fourth retrieved 10 s later.
fn flow(n: usize, start_ms: u64, gap_ms: u64) -> Vec<(u64, &'static str, String)> {
    let mut calls = Vec::with_capacity(n + n / 4);
    for i in 0..n {
        let at = start_ms + i as u64 * gap_ms;
        let lot = i % LOTS;
        calls.push((at, "PJSIP/c", format!("{lot:02}@in")));
        if i % 4 == 0 {
            calls.push((at + 10_000, "PJSIP/r", format!("r{lot:02}@in")));
        }
    }
    calls
}

/// `n` calls 1 ms apart from 0, spread over the lots, each parked for the whole run.
fn idle(n: usize) -> Vec<(u64, &'static str, String)> {
    (0..n)
        .map(|k| {
            (
                k as u64,
                "PJSIP/i",
                format!("i{:02}{:03}@in", k % LOTS, k / LOTS),
            )
        })
        .collect()
}

fn bench_rates(c: &mut Criterion, dir: &Path) {
    write_config(dir, 100);
    let n = calls();
    let mut g = c.benchmark_group("parking_100_lots");
    g.sample_size(10);
    g.throughput(Throughput::Elements(n as u64));
    // 10 calls/s: about 450 parked at once; 100 calls/s: about 4,500.
    for (label, gap_ms) in [("10 calls per s", 100), ("100 calls per s", 10)] {
        // Written when the benchmark runs, not when a filter leaves it out.
        let mut s = None;
        g.bench_function(format!("{n} calls, {label}"), |b| {
            let s =
                s.get_or_insert_with(|| calls_scenario(dir, "scenario.toml", flow(n, 0, gap_ms)));
            b.iter_batched(
                || LoadedConfig::load_dir(dir).expect("bench config"),
                |config| scenario::run(s, config, Vec::new()).expect("run"),
                BatchSize::PerIteration,
            )
        });
    }
    g.finish();
}

/// An engine whose idle calls are parked; its tasks are dropped with it (they hold the engine).
struct Parked(Built);

impl Drop for Parked {
    fn drop(&mut self) {
        self.0.engine.reset_run();
    }
}

/// Plays `s` on `built`'s engine until `until` (virtual), going on from where the engine stands.
fn play_until(built: &Built, s: &Scenario, until: Duration) {
    let e = &built.engine;
    e.run_piece(async {
        tokio::select! {
            biased;
            _ = runner::play(e, s, &built.devices, &built.cli, &[]) => {}
            _ = e.sleep_until(until) => {}
        }
    })
    .expect("play");
}

fn bench_idle(c: &mut Criterion, dir: &Path) {
    write_config(dir, IDLE_LOT_SPACES);
    let n = calls();
    let mut g = c.benchmark_group("parking_idle_calls");
    g.sample_size(10);
    g.throughput(Throughput::Elements(n as u64));
    for idle_calls in [0, 4_500, 45_000] {
        // The idle calls answer and park within a second of their start; the calls start 2 s after the last.
        let start = idle_calls as u64 + 2_000;
        let end = Duration::from_millis(start + n as u64 * 100 + 80_000);
        let mut scenarios = None;
        g.bench_function(
            format!("{n} calls at 10 per s, {idle_calls} idle calls parked"),
            |b| {
                let (parked, calls) = scenarios.get_or_insert_with(|| {
                    (
                        calls_scenario(dir, "idle.toml", idle(idle_calls)),
                        calls_scenario(dir, "calls.toml", flow(n, start, 100)),
                    )
                });
                b.iter_batched(
                    || {
                        let config = LoadedConfig::load_dir(dir).expect("bench config");
                        let built = runner::build(parked, config, Vec::new()).expect("build");
                        built.engine.reset_run();
                        play_until(&built, parked, Duration::from_millis(start));
                        assert_eq!(built.engine.live_channels(), idle_calls);
                        Parked(built)
                    },
                    |parked| {
                        play_until(&parked.0, calls, end);
                        parked
                    },
                    BatchSize::PerIteration,
                )
            },
        );
    }
    g.finish();
}

fn bench(c: &mut Criterion) {
    let dir: PathBuf =
        std::env::temp_dir().join(format!("dialsim-bench-parking-{}", std::process::id()));
    bench_rates(c, &dir.join("rates"));
    bench_idle(c, &dir.join("idle"));
    let _ = std::fs::remove_dir_all(&dir);
}

criterion_group!(benches, bench);
criterion_main!(benches);

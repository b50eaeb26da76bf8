//! Engine throughput: the PBX loop running a `Set`/`GotoIf`/`$[...]` loop on the virtual clock, with no
//! event subscriber (the target: ≥ 1,000,000 priorities per second on one core).

use criterion::{criterion_group, criterion_main, Criterion, Throughput};
use dialplan::conf::{load, FileStatus, MemorySource};
use dialplan::engine::{Engine, EngineConfig, PhoneSpec};
use dialplan::model::{load_extensions, Dialplan};
use dialplan::source::SourceMap;
use std::path::Path;
use std::time::Duration;

fn loop_plan(iterations: u64) -> Dialplan {
    let text = format!(
        "[loop]\nexten => s,1,Set(I=0)\n same => n(top),Set(I=$[${{I}} + 1])\n same => n,GotoIf($[${{I}} < {iterations}]?top)\n same => n,Hangup()\n"
    );
    let mut sources = SourceMap::new();
    let src = MemorySource::new().with("extensions.conf", &text);
    let l = load(&mut sources, &src, Path::new("extensions.conf"));
    assert_eq!(l.status, FileStatus::Loaded);
    let conf = l.file.expect("loaded");
    let mut dp = Dialplan::new();
    load_extensions(&mut dp, &conf, &sources);
    dp
}

/// Runs the loop once; returns the priorities executed.
fn run_loop(iterations: u64) -> u64 {
    let engine = Engine::new(EngineConfig::default(), Box::new(loop_plan(iterations)));
    let e = engine.clone();
    engine
        .block_on(async move {
            let ch = e.new_phone_channel("PJSIP", "bench", PhoneSpec::default(), "loop", "s");
            e.run_pbx(ch).await;
            e.run_until(Duration::from_secs(3600)).await;
        })
        .expect("runtime");
    engine.steps()
}

fn pbx_loop(c: &mut Criterion) {
    let iterations = 100_000;
    let priorities = run_loop(iterations);
    assert_eq!(priorities, 2 * iterations + 2);
    let mut g = c.benchmark_group("pbx_loop");
    g.sample_size(10);
    g.throughput(Throughput::Elements(priorities));
    g.bench_function("set_gotoif_expr_100k_iterations", |b| {
        b.iter(|| run_loop(iterations))
    });
    g.finish();
}

criterion_group!(benches, pbx_loop);
criterion_main!(benches);

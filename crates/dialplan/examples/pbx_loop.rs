//! Runs the `Set`/`GotoIf`/`$[...]` loop of the performance target once (1,000,000 iterations,
//! 2,000,002 priorities) and prints the priorities executed. Time it with `perf stat` or `time`.

use dialplan::conf::{load, FileStatus, MemorySource};
use dialplan::engine::{Engine, EngineConfig, PhoneSpec};
use dialplan::model::{load_extensions, Dialplan};
use dialplan::source::SourceMap;
use std::path::Path;
use std::time::Duration;

fn main() {
    let iterations: u64 = std::env::args()
        .nth(1)
        .and_then(|a| a.parse().ok())
        .unwrap_or(1_000_000);
    let text = format!(
        "[loop]\nexten => s,1,Set(I=0)\n same => n(top),Set(I=$[${{I}} + 1])\n same => n,GotoIf($[${{I}} < {iterations}]?top)\n same => n,Hangup()\n"
    );
    let mut sources = SourceMap::new();
    let src = MemorySource::new().with("extensions.conf", &text);
    let l = load(&mut sources, &src, Path::new("extensions.conf"));
    if l.status != FileStatus::Loaded {
        eprintln!("extensions.conf did not load");
        return;
    }
    let Some(conf) = l.file else { return };
    let mut dp = Dialplan::new();
    load_extensions(&mut dp, &conf, &sources);
    let engine = Engine::new(EngineConfig::default(), Box::new(dp));
    let e = engine.clone();
    let started = std::time::Instant::now();
    let r = engine.block_on(async move {
        let ch = e.new_phone_channel("PJSIP", "bench", PhoneSpec::default(), "loop", "s");
        e.run_pbx(ch).await;
        e.run_until(Duration::from_secs(3600)).await;
    });
    if r.is_err() {
        eprintln!("no runtime");
        return;
    }
    let secs = started.elapsed().as_secs_f64();
    println!(
        "{} priorities in {:.3} s wall: {:.0} priorities/s",
        engine.steps(),
        secs,
        engine.steps() as f64 / secs
    );
}

//! The extensions.conf model on the 10 MB workload: extension lookups per second, pbx_config load time, and
//! bytes kept per loaded priority.
//!
//! The workload is `../shared/bench/gen_dialplan.py --size 10M`, written into the target directory when
//! python3 and the script are there (the same file the `conf_load` bench uses); otherwise a built-in
//! generator writes a file of the same shape. Targets: at least 1,000,000 lookups/s on one core, and less
//! than 550 bytes per loaded priority for the loaded dialplan plus the source text it points into (the parsed
//! `ConfFile` is dropped after loading, as the engine does). The memory figures are measured with a counting
//! global allocator and printed; exceeding the target fails the bench.

use criterion::{criterion_group, criterion_main, Criterion, Throughput};
use dialplan::conf::{load, FileStatus, MemorySource};
use dialplan::model::{load_extensions, Dialplan};
use dialplan::source::SourceMap;
use stats_alloc::{Region, StatsAlloc, INSTRUMENTED_SYSTEM};
use std::alloc::System;
use std::hint::black_box;
use std::path::{Path, PathBuf};

#[global_allocator]
static GLOBAL: &StatsAlloc<System> = &INSTRUMENTED_SYSTEM;

#[path = "common/workload.rs"]
mod workload;
use workload::{generated, SIZE};

const MAX_BYTES_PER_PRIORITY: f64 = 550.0;

/// A file of gen_dialplan.py's shape for machines without python3: 20 literal extensions of 3-6
/// priorities and 10 patterns per context, each context including the next.
fn synthetic() -> Vec<u8> {
    let mut s = String::with_capacity(SIZE + 4096);
    s.push_str("[general]\nstatic=yes\nwriteprotect=yes\n\n[globals]\nCOUNT=0\nDEPTH=0\n\n");
    let mut ctx = 0usize;
    let n_ctx = 1700;
    while s.len() < SIZE {
        s.push_str(&format!(
            ";\n; Context {ctx}: synthetic load-test context\n;\n[ctx-{ctx:05}]\ninclude => ctx-{:05} ; fall through\n\n",
            (ctx + 1) % n_ctx
        ));
        for j in 0..20 {
            let e = 2000 + j;
            s.push_str(&format!(
                "exten => {e},1,NoOp(Call to ${{EXTEN}} in ${{CONTEXT}} from ${{CALLERID(num)}})\n"
            ));
            for k in 0..(j % 4 + 1) {
                s.push_str(&format!(" same => n,Set(COUNT=$[${{COUNT}} + {k}])\n"));
            }
            s.push_str(&format!(" same => n(done),Hangup() ; end of {e}\n"));
        }
        for p in ["_X.", "_NXX", "_1XX", "_[2-4]XX!"] {
            s.push_str(&format!(
                "exten => {p},1,NoOp(${{EXTEN}})\n same => n,Goto(ctx-{ctx:05},2000,1)\n same => n,Hangup(16)\n"
            ));
        }
        for k in 0..6 {
            s.push_str(&format!(
                "exten => _8{ctx:05}{k}XX,1,Set(CALLED=${{EXTEN:-4}})\n same => n,Dial(Local/2000@ctx-{ctx:05}/n,30)\n same => n,Hangup(16)\n"
            ));
        }
        ctx += 1;
    }
    s.into_bytes()
}

fn workload() -> MemorySource {
    let bytes = generated().unwrap_or_else(synthetic);
    MemorySource {
        files: [(PathBuf::from("extensions.conf"), bytes)]
            .into_iter()
            .collect(),
    }
}

/// Net bytes allocated (and not freed) since the region started.
fn net(region: &Region<'_, System>) -> isize {
    let c = region.change();
    c.bytes_allocated as isize - c.bytes_deallocated as isize
}

fn load_all(src: &MemorySource) -> (Dialplan, SourceMap) {
    let mut sources = SourceMap::new();
    let l = load(&mut sources, src, Path::new("extensions.conf"));
    assert_eq!(l.status, FileStatus::Loaded);
    let conf = l.file.expect("a loaded file has its ConfFile");
    let mut dp = Dialplan::new();
    let diags = load_extensions(&mut dp, &conf, &sources);
    assert!(diags.is_empty(), "{:?}", diags.first());
    (dp, sources)
}

fn memory(src: &MemorySource) {
    let region = Region::new(GLOBAL);
    let mut sources = SourceMap::new();
    let l = load(&mut sources, src, Path::new("extensions.conf"));
    let conf = l.file.expect("a loaded file has its ConfFile");
    let before_model = net(&region);
    let mut dp = Dialplan::new();
    let diags = load_extensions(&mut dp, &conf, &sources);
    drop(diags);
    let peak_model = net(&region) - before_model;
    drop(conf);
    drop(l.diagnostics);
    let overall = net(&region);
    let prios = dp.priority_count();
    let model_only = overall
        - sources
            .files()
            .map(|(_, f)| f.text.len() as isize)
            .sum::<isize>();
    let per = overall as f64 / prios as f64;
    println!(
        "memory: {prios} priorities in {} contexts; dialplan + source text {overall} bytes = {per:.0} bytes/priority \
         (dialplan alone {:.0} bytes/priority; while the ConfFile was alive the model added {:.0} bytes/priority)",
        dp.contexts().len(),
        model_only as f64 / prios as f64,
        peak_model as f64 / prios as f64,
    );
    assert!(
        per < MAX_BYTES_PER_PRIORITY,
        "{per:.0} bytes per priority exceeds the {MAX_BYTES_PER_PRIORITY} target"
    );
    black_box((dp, sources));
}

/// A deterministic mix of lookups that succeed: literal extensions at various priorities and pattern hits
/// (`_NXX`, `_1XX`, `_X.`). With `misses`, every lookup asks for a priority nobody has, so it walks the
/// include chain until Asterisk's limit of 512 contexts.
fn queries(dp: &Dialplan, misses: bool) -> Vec<(String, String, i32)> {
    let ctxs: Vec<&str> = dp.contexts().map(|c| c.name()).collect();
    let mut state: u64 = 0x2545F4914F6CDD1D;
    let mut next = |n: usize| {
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        (state % n as u64) as usize
    };
    let n = if misses { 100 } else { 10_000 };
    let mut out = Vec::with_capacity(n);
    for i in 0..n {
        let ctx = ctxs[next(ctxs.len())].to_string();
        let (exten, prio) = match (misses, i % 10) {
            (true, _) => (format!("{}", 2000 + next(20)), 9),
            (false, 0..=6) => (format!("{}", 2000 + next(20)), 1 + next(3) as i32),
            (false, 7) => (format!("{}", 200 + next(800)), 1 + next(3) as i32),
            (false, 8) => (format!("55501{:02}", next(100)), 1 + next(2) as i32),
            (false, _) => (format!("{}", 100 + next(100)), 2),
        };
        out.push((ctx, exten, prio));
    }
    out
}

fn bench(c: &mut Criterion) {
    let src = workload();
    memory(&src);
    let (dp, _sources) = load_all(&src);
    let mut group = c.benchmark_group("model");
    for (name, misses) in [
        ("lookup_hits_10k", false),
        ("lookup_misses_512_contexts", true),
    ] {
        let qs = queries(&dp, misses);
        let hits = qs
            .iter()
            .filter(|(c, e, p)| dp.find(c, e, *p, None).is_some())
            .count();
        assert_eq!(hits, if misses { 0 } else { qs.len() }, "{name}");
        group.throughput(Throughput::Elements(qs.len() as u64));
        group.bench_function(name, |b| {
            b.iter(|| {
                let mut hits = 0usize;
                for (ctx, exten, prio) in &qs {
                    if dp.find(ctx, exten, *prio, None).is_some() {
                        hits += 1;
                    }
                }
                black_box(hits)
            })
        });
    }
    group.finish();

    let mut sources = SourceMap::new();
    let l = load(&mut sources, &src, Path::new("extensions.conf"));
    let conf = l.file.expect("a loaded file has its ConfFile");
    let bytes: u64 = sources.files().map(|(_, f)| f.text.len() as u64).sum();
    let mut group = c.benchmark_group("model_load");
    group.throughput(Throughput::Bytes(bytes));
    group.sample_size(10);
    group.bench_function("load_extensions_10M", |b| {
        b.iter(|| {
            let mut dp = Dialplan::new();
            let d = load_extensions(&mut dp, &conf, &sources);
            black_box((dp, d))
        })
    });
    group.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);

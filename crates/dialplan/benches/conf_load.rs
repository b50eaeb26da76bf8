//! Throughput of the `.conf` layer: `conf::load` on a 10 MB extensions.conf.
//!
//! The workload is the one real Asterisk's load speed was measured on, written by
//! `../shared/bench/gen_dialplan.py --size 10M` into the target directory when python3 and the script are
//! there; otherwise a built-in generator writes a file of the same shape (contexts with comments, includes,
//! `exten =>`/`same =>` lines with labels, patterns). Target: well above 300 MB/s on one core.

use criterion::{criterion_group, criterion_main, Criterion, Throughput};
use dialplan::conf::{load, FileStatus, MemorySource};
use dialplan::source::SourceMap;
use std::path::{Path, PathBuf};

#[path = "common/workload.rs"]
mod workload;
use workload::{generated, SIZE};

/// A file of the same shape as gen_dialplan.py's, for machines without python3.
fn synthetic() -> Vec<u8> {
    let mut s = String::with_capacity(SIZE + 4096);
    s.push_str("[general]\nstatic=yes\nwriteprotect=yes\n\n[globals]\nCOUNT=0\n\n");
    let mut ctx = 0;
    while s.len() < SIZE {
        s.push_str(&format!(
            ";\n; Context {ctx}: synthetic load-test context\n;\n[ctx-{ctx:05}]\ninclude => ctx-{:05} ; fall through\n\n",
            ctx + 1
        ));
        for j in 0..20 {
            let e = 2000 + j;
            s.push_str(&format!(
                "exten => {e},1,NoOp(DIALSTATUS=${{DIALSTATUS}} after ${{ANSWEREDTIME}} s)\n \
                 same => n,Set(COUNT=$[${{COUNT}} + 2])\n \
                 same => n,Dial(Local/{e}@ctx-{ctx:05}/n,11,tT)\n \
                 same => n(done),Hangup() ; end of {e}\n"
            ));
        }
        for p in ["_X.", "_NXX", "_1XX", "_[2-4]XX!"] {
            s.push_str(&format!("exten => {p},1,Goto(ctx-{ctx:05},2000,1)\n"));
        }
        ctx += 1;
    }
    s.into_bytes()
}

fn bench(c: &mut Criterion) {
    let bytes = generated().unwrap_or_else(synthetic);
    let src = MemorySource {
        files: [(PathBuf::from("extensions.conf"), bytes.clone())]
            .into_iter()
            .collect(),
    };
    let mut group = c.benchmark_group("conf_load");
    group.throughput(Throughput::Bytes(bytes.len() as u64));
    group.sample_size(20);
    group.bench_function("extensions_10M", |b| {
        b.iter_with_large_drop(|| {
            let mut map = SourceMap::new();
            let l = load(&mut map, &src, Path::new("extensions.conf"));
            assert_eq!(l.status, FileStatus::Loaded);
            l
        })
    });
    group.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);

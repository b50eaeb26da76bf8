//! `dialsim serve` under load (issue 7): AMI events per second delivered to 100 subscribed sessions while
//! 1,000 calls of the page's first example run (`dialplan-examples/ami`, Originate of
//! `Local/5555001@from-outside/n` with `Wait(600)` on the `;1` half, the clock at `--speed 1000`).
//!
//! One iteration: a fresh server, 100 sessions logged in with every event class, one more session sends
//! the 1,000 asynchronous Originates at once; the iteration ends when every subscriber has read the 4,000th
//! `Hangup` (four channels per call; the lot has 9 spaces, so most calls find it full and are not parked, and
//! every call ends when `Wait(600)` does, 0.6 s of wall time later). Throughput is in events delivered
//! (summed over the 100 sessions). Dropped events (a full per-session queue) would show as
//! `DialsimQueueOverflow` and are counted out of the total, not into it; a subscriber that hears nothing for
//! 30 s stops.

use criterion::{criterion_group, criterion_main, Criterion, Throughput};
use dialplan::conf::DirSource;
use dialsim::config::LoadedConfig;
use dialsim::scenario::{Origin, Scenario};
use dialsim::serve::config::ManagerConf;
use dialsim::serve::{ServeSetup, Server};
use std::io::{BufRead, BufReader, Write};
use std::net::TcpStream;
use std::path::PathBuf;
use std::time::{Duration, Instant};

const SESSIONS: usize = 100;
const CALLS: usize = 1_000;

/// Runs one iteration; returns (events delivered, wall time).
fn once() -> (u64, Duration) {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("dialplan-examples/ami");
    let source = DirSource { dir };
    let server = Server::start(ServeSetup {
        config: LoadedConfig::load(&source),
        scenario: Scenario::empty(Origin::new("<bench>", "")),
        manager: ManagerConf::load(&source, "unused"),
        addr: "127.0.0.1:0".parse().expect("addr"),
        speed: 1000.0,
    })
    .expect("server");
    let addr = server.addr();
    let barrier = std::sync::Arc::new(std::sync::Barrier::new(SESSIONS + 1));
    let readers: Vec<_> = (0..SESSIONS)
        .map(|_| {
            let barrier = barrier.clone();
            std::thread::spawn(move || {
                let s = TcpStream::connect(addr).expect("connect");
                let mut w = s.try_clone().expect("clone");
                let mut r = BufReader::with_capacity(64 * 1024, s);
                w.write_all(b"Action: Login\r\nUsername: dialsim\r\nSecret: dialsim\r\n\r\n")
                    .expect("login");
                barrier.wait();
                r.get_ref()
                    .set_read_timeout(Some(Duration::from_secs(30)))
                    .expect("timeout");
                let (mut events, mut hangups) = (0u64, 0usize);
                let mut line = String::new();
                while hangups < 4 * CALLS {
                    line.clear();
                    if r.read_line(&mut line).unwrap_or(0) == 0 {
                        break;
                    }
                    if let Some(name) = line.strip_prefix("Event: ") {
                        if name.starts_with("DialsimQueueOverflow") {
                            continue;
                        }
                        events += 1;
                        if name == "Hangup\r\n" {
                            hangups += 1;
                        }
                    }
                }
                events
            })
        })
        .collect();
    barrier.wait();
    std::thread::sleep(Duration::from_millis(200));
    let start = Instant::now();
    let s = TcpStream::connect(addr).expect("connect");
    let mut w = s.try_clone().expect("clone");
    let mut text = String::from(
        "Action: Login\r\nUsername: dialsim\r\nSecret: dialsim\r\nEvents: off\r\n\r\n",
    );
    for k in 0..CALLS {
        text.push_str(&format!(
            "Action: Originate\r\nChannel: Local/5555001@from-outside/n\r\nApplication: Wait\r\nData: 600\r\nAsync: true\r\nActionID: {k}\r\n\r\n"
        ));
    }
    w.write_all(text.as_bytes()).expect("originate");
    let total: u64 = readers.into_iter().map(|h| h.join().unwrap_or(0)).sum();
    let elapsed = start.elapsed();
    drop(s);
    server.stop();
    (total, elapsed)
}

fn bench(c: &mut Criterion) {
    let (events, _) = once();
    let mut g = c.benchmark_group("serve");
    g.sample_size(10);
    g.measurement_time(Duration::from_secs(20));
    g.throughput(Throughput::Elements(events));
    g.bench_function(format!("{SESSIONS} sessions, {CALLS} calls"), |b| {
        b.iter_custom(|iters| (0..iters).map(|_| once().1).sum())
    });
    g.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);

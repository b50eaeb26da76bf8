//! `dialsim run --audio DIR`: one WAV per channel whose length is the channel's life and whose sounds sit
//! exactly where the trace (the run's JSON events, read independently here) says each was heard.

use crate::common;

use common::dialsim;
use std::path::Path;

const EXAMPLE: &str = "dialplan-examples/01-basic-retrieval";

/// Intervals in milliseconds.
type Spans = Vec<(u64, u64)>;

struct Expected {
    start: u64,
    end: u64,
    heard: Spans,
}

fn ms(v: &serde_json::Value) -> u64 {
    (v["time"].as_f64().unwrap() * 1000.0).round() as u64
}

/// What the trace says `chan` heard, and its life, from the JSON events.
fn expected(json: &str, chan: &str) -> Expected {
    let mut e = Expected {
        start: u64::MAX,
        end: 0,
        heard: Vec::new(),
    };
    let mut open: Vec<u64> = Vec::new();
    for line in json.lines() {
        let v: serde_json::Value = serde_json::from_str(line).unwrap();
        let t = ms(&v);
        let s = |k: &str| v[k].as_str().unwrap_or_default().to_string();
        let on_chan = s("Channel") == chan;
        match s("Event").as_str() {
            "Newchannel" if on_chan => e.start = t,
            "Hangup" if on_chan => e.end = t,
            "DialsimPlayback" if s("HeardBy").split(',').any(|h| h == chan) => {
                let d: u64 = s("DurationMs").parse().unwrap();
                e.heard.push((t, t + d));
            }
            "MusicOnHoldStart" | "DTMFBegin" if on_chan => open.push(t),
            "MusicOnHoldStop" | "DTMFEnd" if on_chan => {
                let from = open.pop().unwrap();
                e.heard.push((from, t));
            }
            _ => {}
        }
    }
    for from in open {
        e.heard.push((from, e.end));
    }
    e.heard = e
        .heard
        .iter()
        .map(|&(a, b)| (a.min(e.end), b.min(e.end)))
        .filter(|(a, b)| b > a)
        .collect();
    e.heard.sort();
    merge(&mut e.heard);
    // Relative to the channel's creation, where its file starts.
    for s in e.heard.iter_mut() {
        s.0 -= e.start;
        s.1 -= e.start;
    }
    e
}

fn merge(spans: &mut Spans) {
    let mut out: Spans = Vec::new();
    for &(a, b) in spans.iter() {
        match out.last_mut() {
            Some(last) if a <= last.1 => last.1 = last.1.max(b),
            _ => out.push((a, b)),
        }
    }
    *spans = out;
}

/// The non-silent stretches of a file, to the millisecond (8 samples).
fn stretches(samples: &[i16]) -> Spans {
    let mut out: Spans = Vec::new();
    for (i, chunk) in samples.chunks(8).enumerate() {
        if chunk.iter().any(|v| v.unsigned_abs() > 100) {
            let i = i as u64;
            match out.last_mut() {
                Some(last) if last.1 == i => last.1 = i + 1,
                _ => out.push((i, i + 1)),
            }
        }
    }
    out
}

fn read(path: &Path) -> (hound::WavSpec, Vec<i16>) {
    let mut r = hound::WavReader::open(path).unwrap();
    let spec = r.spec();
    let samples = r.samples::<i16>().map(Result::unwrap).collect();
    (spec, samples)
}

#[test]
fn each_channel_heard_what_the_trace_says() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path().to_str().unwrap();
    let out = dialsim(&["run", EXAMPLE, "--format", "none", "--audio", d]);
    assert_eq!(out.code, 0, "{}", out.stderr);
    assert!(
        out.stderr.contains(&format!("  audio: 3 files in {d}")),
        "{}",
        out.stderr
    );
    assert!(
        out.stderr.contains("[audio/placeholder-prompt]"),
        "without a sounds folder a note says the prompts are placeholders: {}",
        out.stderr
    );
    let json = dialsim(&["run", EXAMPLE, "--format", "json"]).stdout;
    let names = [
        "PJSIP/outside-00000000",
        "Local/alice@parking-example-00000000;1",
        "Local/alice@parking-example-00000000;2",
    ];
    for name in names {
        let file = dir.path().join(name.replace(['/', ';', '@'], "_") + ".wav");
        assert!(
            out.stderr.contains(file.to_str().unwrap()),
            "the summary names {}",
            file.display()
        );
        let (spec, samples) = read(&file);
        assert_eq!(spec.sample_rate, 8000);
        assert_eq!(spec.bits_per_sample, 16);
        assert_eq!(spec.channels, 1);
        let e = expected(&json, name);
        assert_eq!(
            samples.len() as u64,
            (e.end - e.start) * 8,
            "{name}: length"
        );
        assert_eq!(stretches(&samples), e.heard, "{name}: where the sounds are");
    }
}

#[test]
fn the_caller_hears_hello_world_then_music_on_hold_from_the_moment_it_is_parked() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path().to_str().unwrap();
    let out = dialsim(&["run", EXAMPLE, "--format", "none", "--audio", d]);
    assert_eq!(out.code, 0);
    let (_, samples) = read(&dir.path().join("PJSIP_outside-00000000.wav"));
    let s = stretches(&samples);
    // hello-world from 20 ms for its 1404 ms; parked at 2324 ms, music until the retrieval at 3074 ms.
    assert_eq!(s[0], (20, 1424));
    assert_eq!(s[1], (2324, 3074));
}

#[test]
fn prompts_come_from_the_sounds_folder() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    for f in ["extensions.conf", "features.conf", "res_parking.conf"] {
        std::fs::copy(common::root().join(EXAMPLE).join(f), root.join(f)).unwrap();
    }
    let scenario = std::fs::read_to_string(common::root().join(EXAMPLE).join("scenario.toml"))
        .unwrap()
        .replace("[devices.", "sounds = \"sounds\"\n\n[devices.");
    std::fs::write(root.join("scenario.toml"), scenario).unwrap();
    let sounds = root.join("sounds");
    std::fs::create_dir_all(sounds.join("digits")).unwrap();
    std::fs::create_dir_all(sounds.join("moh")).unwrap();
    let spec = hound::WavSpec {
        channels: 1,
        sample_rate: 8000,
        bits_per_sample: 16,
        sample_format: hound::SampleFormat::Int,
    };
    let write = |path: &Path, value: i16, n: usize| {
        let mut w = hound::WavWriter::create(path, spec).unwrap();
        for _ in 0..n {
            w.write_sample(value).unwrap();
        }
        w.finalize().unwrap();
    };
    // A half-second "hello-world" of constant level, digits, and a hold tune.
    write(&sounds.join("hello-world.wav"), 1234, 4000);
    for d in 0..10 {
        write(&sounds.join(format!("digits/{d}.wav")), 500, 2400);
    }
    write(&sounds.join("moh/tune.wav"), -777, 800);
    let audio = root.join("audio");
    let out = dialsim(&[
        "run",
        root.to_str().unwrap(),
        "--format",
        "none",
        "--audio",
        audio.to_str().unwrap(),
    ]);
    assert_eq!(out.code, 0, "{}", out.stderr);
    assert!(!out.stderr.contains("placeholder"), "{}", out.stderr);
    let (_, samples) = read(&audio.join("PJSIP_outside-00000000.wav"));
    // hello-world starts at 20 ms and lasts 500 ms (its file's length).
    assert_eq!(samples[20 * 8 - 1], 0);
    assert!(samples[20 * 8..520 * 8].iter().all(|v| *v == 1234));
    assert_eq!(samples[520 * 8], 0);
    // The hold music is the folder's file.
    assert!(samples.contains(&-777));
}

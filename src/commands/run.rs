//! `dialsim run [PATH]`: a scenario (a file, a folder with `scenario.toml`, the embedded first example, or
//! a quick run from `--call`) runs on the virtual clock; its event stream is rendered on standard output (or
//! `--output FILE`) and the summary goes to standard error.

use super::EXIT_UNUSABLE;
use crate::audio;
use crate::cli::{RunArgs, RunFormat};
use crate::config::LoadedConfig;
use crate::examples;
use crate::render::{self, Sink};
use crate::scenario::duration::parse_duration;
use crate::scenario::runner::{Finish, RunOutcome};
use crate::scenario::{
    self, split_device, split_target, Call, Device, DeviceKind, Origin, Phone, Scenario,
};
use crate::timeline;
use dialplan::conf::{ConfSource, DirSource};
use dialplan::engine::event::clock_text;
use dialplan::engine::{Party, Subscriber};
use std::io::{BufWriter, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::time::Duration;

/// Runs `dialsim run`.
pub fn run(args: &RunArgs) -> ExitCode {
    let prepared = match prepare(args) {
        Ok(p) => p,
        Err(message) => {
            eprintln!("{message}");
            return ExitCode::from(EXIT_UNUSABLE);
        }
    };
    let picture = match args.timeline.as_deref().map(timeline::PictureKind::of) {
        Some(Ok(kind)) => args.timeline.clone().map(|p| (p, kind)),
        Some(Err(message)) => {
            eprintln!("{message}");
            return ExitCode::from(EXIT_UNUSABLE);
        }
        None => None,
    };
    let config = LoadedConfig::load(prepared.source.as_ref());
    let (sink, out_path) = match &args.output {
        Some(path) => match std::fs::File::create(path) {
            Ok(f) => (render::sink(BufWriter::new(f)), Some(path.clone())),
            Err(e) => {
                eprintln!("dialsim: cannot write '{}': {e}", path.display());
                return ExitCode::from(EXIT_UNUSABLE);
            }
        },
        None => (render::sink(BufWriter::new(std::io::stdout())), None),
    };
    let mut subscribers = renderers(args.format, args.verbose, &sink, prepared.scenario.epoch);
    let wants_events = picture.is_some() || args.audio.is_some();
    let recorded = wants_events.then(|| {
        let (rec, events) = timeline::recorder(args.verbose);
        subscribers.push(Box::new(rec));
        events
    });
    let outcome = match scenario::run(&prepared.scenario, config, subscribers) {
        Ok(o) => o,
        Err(e) => {
            eprintln!("dialsim: the run could not start: {e}");
            return ExitCode::from(EXIT_UNUSABLE);
        }
    };
    if let Ok(mut w) = sink.try_borrow_mut() {
        let _ = w.flush();
    }
    eprint!(
        "{}",
        summary(&prepared.label, &outcome, out_path.as_deref())
    );
    if let (Some((path, kind)), Some(events)) = (&picture, &recorded) {
        // The run consumed its configuration; the page reads it again for the links to its lines.
        let config = LoadedConfig::load(prepared.source.as_ref());
        let title = format!("dialsim timeline: {}", prepared.label);
        let text = timeline::document(*kind, &events.borrow(), &title, &config);
        match std::fs::write(path, text) {
            Ok(()) => eprintln!("  timeline: {}", path.display()),
            Err(e) => {
                eprintln!("dialsim: cannot write '{}': {e}", path.display());
                return ExitCode::from(EXIT_UNUSABLE);
            }
        }
    }
    if let (Some(dir), Some(events)) = (&args.audio, &recorded) {
        match audio::write(dir, &events.borrow(), prepared.scenario.sounds.as_deref()) {
            Ok(report) => {
                eprintln!(
                    "  audio: {} file{} in {}",
                    report.files.len(),
                    if report.files.len() == 1 { "" } else { "s" },
                    dir.display()
                );
                for f in &report.files {
                    eprintln!("    {}", f.display());
                }
                for d in &report.diagnostics {
                    eprintln!("  note: {} [{}]", d.message, d.code.0);
                }
            }
            Err(e) => {
                eprintln!(
                    "dialsim: cannot write the audio into '{}': {e}",
                    dir.display()
                );
                return ExitCode::from(EXIT_UNUSABLE);
            }
        }
    }
    ExitCode::SUCCESS
}

/// The renderers for a format.
pub fn renderers(
    format: RunFormat,
    verbosity: u8,
    sink: &Sink,
    epoch: i64,
) -> Vec<Box<dyn Subscriber>> {
    match format {
        RunFormat::Verbose => vec![Box::new(render::verbose::Verbose::new(
            sink.clone(),
            verbosity,
        ))],
        RunFormat::Json => vec![Box::new(render::json::Json::new(sink.clone()))],
        RunFormat::Ami => vec![Box::new(render::ami::Ami::new(sink.clone(), epoch))],
        RunFormat::None => Vec::new(),
    }
}

/// A scenario ready to run, and where its configuration comes from.
pub struct Prepared {
    pub scenario: Scenario,
    pub source: Box<dyn ConfSource>,
    /// How the summary names the run.
    pub label: String,
}

/// Reads the scenario and finds its configuration; `Err` is the message for a run that cannot happen.
pub fn prepare(args: &RunArgs) -> Result<Prepared, String> {
    let quick = args.call.is_some();
    let (mut scenario, base, embedded) = match &args.path {
        Some(path) => {
            let (scenario, base) = read_scenario(path, quick)?;
            (scenario, base, false)
        }
        None if quick => (
            Scenario::empty(command_line_origin()),
            PathBuf::from("."),
            false,
        ),
        None => {
            let name = format!("{}/scenario.toml (embedded)", examples::FIRST_EXAMPLE);
            let s = scenario::parse(name, examples::FIRST_SCENARIO).map_err(|e| e.to_string())?;
            (s, PathBuf::from(examples::FIRST_EXAMPLE), true)
        }
    };
    if let Some(until) = &args.until {
        scenario.until = parse_duration(until).map_err(|m| format!("dialsim: --until: {m}"))?;
    }
    for d in &args.devices {
        apply_device(&mut scenario, d).map_err(|m| format!("dialsim: --device {d}: {m}"))?;
    }
    if let Some(call) = &args.call {
        add_call(&mut scenario, call, &args.from, args.callerid.as_deref())?;
    }
    if let Some(sounds) = &scenario.sounds {
        let dir = if sounds.is_absolute() || embedded {
            sounds.clone()
        } else {
            base.join(sounds)
        };
        if !dir.is_dir() {
            return Err(format!(
                "dialsim: sounds folder '{}' does not exist",
                dir.display()
            ));
        }
        scenario.sounds = Some(dir);
    }
    let (source, label): (Box<dyn ConfSource>, String) = match (&args.config, embedded) {
        (Some(dir), _) => (
            Box::new(dir_source(dir)?),
            scenario.origin.name.display().to_string(),
        ),
        (None, true) => (
            Box::new(examples::first_example_files()),
            format!("{} (embedded)", examples::FIRST_EXAMPLE),
        ),
        (None, false) => {
            let dir = base.join(&scenario.config);
            (
                Box::new(dir_source(&dir)?),
                scenario.origin.name.display().to_string(),
            )
        }
    };
    Ok(Prepared {
        scenario,
        source,
        label,
    })
}

fn command_line_origin() -> Origin {
    Origin::new("<command line>", "")
}

/// Reads a scenario file (or a folder's `scenario.toml`); returns it and the folder its paths are
/// relative to. A folder without `scenario.toml` is fine for a quick run (`--call`).
fn read_scenario(path: &Path, quick: bool) -> Result<(Scenario, PathBuf), String> {
    if !path.exists() {
        return Err(format!("dialsim: '{}' does not exist", path.display()));
    }
    let (file, base) = if path.is_dir() {
        let file = path.join("scenario.toml");
        if !file.exists() {
            if quick {
                return Ok((Scenario::empty(command_line_origin()), path.to_path_buf()));
            }
            return Err(format!(
                "dialsim: '{}' holds no scenario.toml (give a scenario file, or --call EXTEN@CONTEXT for a quick run)",
                path.display()
            ));
        }
        (file, path.to_path_buf())
    } else {
        let base = path.parent().map(Path::to_path_buf).unwrap_or_default();
        (path.to_path_buf(), base)
    };
    let bytes = std::fs::read(&file)
        .map_err(|e| format!("dialsim: cannot read '{}': {e}", file.display()))?;
    let text = String::from_utf8(bytes)
        .map_err(|_| format!("dialsim: '{}' is not UTF-8 text", file.display()))?;
    let scenario = scenario::parse(file.clone(), &text).map_err(|e| e.to_string())?;
    let base = if base.as_os_str().is_empty() {
        PathBuf::from(".")
    } else {
        base
    };
    Ok((scenario, base))
}

fn dir_source(dir: &Path) -> Result<DirSource, String> {
    if !dir.exists() {
        return Err(format!(
            "dialsim: configuration folder '{}' does not exist",
            dir.display()
        ));
    }
    if !dir.is_dir() {
        return Err(format!("dialsim: '{}' is not a folder", dir.display()));
    }
    Ok(DirSource {
        dir: dir.to_path_buf(),
    })
}

/// `--call EXTEN@CONTEXT [--from DEVICE] [--callerid CID]`: one more call at 0 s.
fn add_call(
    s: &mut Scenario,
    call: &str,
    from: &str,
    callerid: Option<&str>,
) -> Result<(), String> {
    let (exten, context) = split_target(call).ok_or_else(|| {
        format!("dialsim: --call '{call}' must be EXTEN@CONTEXT, e.g. 5555001@from-outside")
    })?;
    if split_device(from).is_none() {
        return Err(format!(
            "dialsim: --from '{from}' must be a device name TECH/name, e.g. PJSIP/outside"
        ));
    }
    s.calls.push(Call {
        at: Duration::ZERO,
        from: from.to_string(),
        callerid: callerid.map(Party::parse),
        exten: exten.to_string(),
        context: context.to_string(),
        variables: Vec::new(),
        span: None,
    });
    Ok(())
}

/// `--device NAME=WHAT`: declares or changes a device.
pub fn apply_device(s: &mut Scenario, spec: &str) -> Result<(), String> {
    let (name, what) = spec.split_once('=').ok_or(
        "write NAME=WHAT, e.g. PJSIP/alice=emulate:alice@parking-example or PJSIP/bob=answer:3s",
    )?;
    let (tech, resource) =
        split_device(name).ok_or_else(|| format!("'{name}' is not a device name TECH/name"))?;
    let index = match s
        .devices
        .iter()
        .position(|d| d.tech.eq_ignore_ascii_case(tech) && d.resource == resource)
    {
        Some(i) => i,
        None => {
            s.devices.push(Device {
                name: name.to_string(),
                tech: tech.to_string(),
                resource: resource.to_string(),
                callerid: None,
                kind: DeviceKind::Phone(Phone::default()),
                span: None,
            });
            s.devices.len() - 1
        }
    };
    let device = &mut s.devices[index];
    let (key, value) = what.split_once(':').unwrap_or((what, ""));
    if key == "emulate" {
        let (exten, context) = split_target(value)
            .ok_or_else(|| format!("emulate:'{value}' must be EXTEN@CONTEXT"))?;
        device.kind = DeviceKind::Emulated {
            exten: exten.to_string(),
            context: context.to_string(),
        };
        return Ok(());
    }
    if key == "callerid" {
        device.callerid = Some(Party::parse(value));
        return Ok(());
    }
    let DeviceKind::Phone(phone) = &mut device.kind else {
        return Err(format!("'{key}' does not apply to an emulated device"));
    };
    match key {
        "answer" => phone.answer_after = Some(parse_duration(value)?),
        "hangup" => phone.hangup_after = Some(parse_duration(value)?),
        "busy" => phone.busy = true,
        "unavailable" => phone.unavailable = true,
        "silent" => phone.media = false,
        _ => {
            return Err(format!(
                "'{key}' is not known: use emulate:EXTEN@CONTEXT, answer:DURATION, hangup:DURATION, busy, \
                 unavailable, silent or callerid:CALLERID"
            ))
        }
    }
    Ok(())
}

/// The summary on standard error.
pub fn summary(label: &str, o: &RunOutcome, output: Option<&Path>) -> String {
    let mut s = String::new();
    let how = match o.finish {
        Finish::AllHungUp => "every channel hung up",
        Finish::Until => "stopped at 'until'",
    };
    s.push_str(&format!(
        "dialsim: {label}: ended at {} ({how}), {} priorit{} executed\n",
        clock_text(o.ended),
        o.steps,
        if o.steps == 1 { "y" } else { "ies" }
    ));
    if o.channels_up.is_empty() {
        s.push_str("  channels still up: none\n");
    } else {
        s.push_str(&format!("  channels still up: {}\n", o.channels_up.len()));
        for c in &o.channels_up {
            s.push_str(&format!("    {} ({}) at {}\n", c.name, c.state, c.location));
        }
    }
    if o.parked.is_empty() {
        s.push_str("  calls parked: none\n");
    } else {
        s.push_str(&format!("  calls parked: {}\n", o.parked.len()));
        for p in &o.parked {
            s.push_str(&format!("    {p}\n"));
        }
    }
    if o.diagnostics.is_empty() {
        s.push_str("  diagnostics: none\n");
    } else {
        s.push_str(&format!("  diagnostics: {}\n", o.diagnostics.len()));
        for d in &o.diagnostics {
            s.push_str(&format!("    {d}\n"));
        }
    }
    if let Some(path) = output {
        s.push_str(&format!("  output: {}\n", path.display()));
    }
    s
}

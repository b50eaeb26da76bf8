//! What each party heard (`dialsim run PATH --audio DIR`): one WAV file per channel, 8 kHz 16-bit mono,
//! built from the run's events through the timeline's model (so it is a view of the event stream like
//! every renderer).
//!
//! A channel's file starts when the channel is created and ends when it hangs up (or when the run ends).
//! It holds, at the virtual times the events give:
//! - every prompt played to it (`DialsimPlayback`'s `HeardBy`): the prompt's file from the sounds folder
//!   when there is one ([`source`]), else a placeholder of the same length that sounds like speech
//!   ([`synth::speech_placeholder`]), which a `audio/placeholder-prompt` diagnostic reports;
//! - DTMF digits on its line as the real dual tones ([`synth::dtmf`]);
//! - music on hold: the first file of `moh/` in the sounds folder, looped, else a generated tune;
//! - silence elsewhere. Overlapping sounds are mixed.
//!
//! A sound never runs past the length the trace gave it: a prompt cut short by a hangup is cut short here.

pub mod source;
pub mod synth;

use crate::timeline::model::{SoundKind, Timeline};
use dialplan::diag::{Code, CodeInfo, Diagnostic, Severity};
use dialplan::engine::Event;
use std::path::{Path, PathBuf};
use std::time::Duration;

/// The sample rate of every file.
pub const RATE: u32 = 8000;

/// Diagnostic codes of the audio writer.
pub mod codes {
    use dialplan::diag::Code;
    pub const PLACEHOLDER_PROMPT: Code = Code("audio/placeholder-prompt");
    pub const PLACEHOLDER_MOH: Code = Code("audio/placeholder-moh");
    pub const UNREADABLE_SOUND: Code = Code("audio/unreadable-sound");
}

/// Every code the audio writer emits.
pub const CODES: &[CodeInfo] = &[
    CodeInfo {
        code: codes::PLACEHOLDER_PROMPT,
        summary: "a prompt has no file in the sounds folder (or no folder was given): its WAV holds a speech-like placeholder tone of the right length",
    },
    CodeInfo {
        code: codes::PLACEHOLDER_MOH,
        summary: "music on hold has no file in the sounds folder's moh/ (or no folder was given): a generated tune stands in",
    },
    CodeInfo {
        code: codes::UNREADABLE_SOUND,
        summary: "a sound file could not be decoded (an unsupported WAV layout or format); a placeholder stands in",
    },
];

/// What `--audio` wrote.
#[derive(Clone, Debug, Default)]
pub struct AudioReport {
    /// The files, in channel order.
    pub files: Vec<PathBuf>,
    /// Notes about placeholders.
    pub diagnostics: Vec<Diagnostic>,
}

/// The file name of a channel's audio: `/`, `;` and `@` become `_`.
pub fn file_name(channel: &str) -> String {
    let mut s: String = channel
        .chars()
        .map(|c| if matches!(c, '/' | ';' | '@') { '_' } else { c })
        .collect();
    s.push_str(".wav");
    s
}

/// The sample index of a time measured from `origin`.
pub fn sample_at(t: Duration, origin: Duration) -> usize {
    let d = t.saturating_sub(origin);
    (d.as_millis() as usize) * (RATE as usize / 1000)
}

/// Every channel's audio, as samples (channel name, samples), in channel order.
pub fn render(
    events: &[Event],
    sounds: Option<&Path>,
) -> (Vec<(String, Vec<i16>)>, Vec<Diagnostic>) {
    let timeline = Timeline::from_events(events);
    let mut lib = source::Library::new(sounds);
    let mut out = Vec::with_capacity(timeline.channels.len());
    for lane in &timeline.channels {
        let end = lane.end.unwrap_or(timeline.end);
        let len = sample_at(end, lane.start);
        let mut buf = vec![0i32; len];
        for s in &lane.sounds {
            let from = sample_at(s.start, lane.start).min(len);
            let to = sample_at(s.end, lane.start).min(len);
            if to <= from {
                continue;
            }
            let n = to - from;
            let samples = match &s.kind {
                SoundKind::Prompt { name, .. } => lib.prompt(name, n),
                SoundKind::Moh { class } => lib.moh(class, n),
                SoundKind::Dtmf { digit } => synth::dtmf(*digit, n),
            };
            for (slot, v) in buf[from..to].iter_mut().zip(samples) {
                *slot += i32::from(v);
            }
        }
        let samples = buf
            .into_iter()
            .map(|v| v.clamp(i32::from(i16::MIN), i32::from(i16::MAX)) as i16)
            .collect();
        out.push((lane.name.clone(), samples));
    }
    (out, lib.into_diagnostics())
}

/// Writes one WAV per channel into `dir` (created if needed).
pub fn write(dir: &Path, events: &[Event], sounds: Option<&Path>) -> std::io::Result<AudioReport> {
    std::fs::create_dir_all(dir)?;
    let (channels, diagnostics) = render(events, sounds);
    let mut report = AudioReport {
        files: Vec::with_capacity(channels.len()),
        diagnostics,
    };
    let spec = hound::WavSpec {
        channels: 1,
        sample_rate: RATE,
        bits_per_sample: 16,
        sample_format: hound::SampleFormat::Int,
    };
    for (name, samples) in channels {
        let path = dir.join(file_name(&name));
        let mut w = hound::WavWriter::create(&path, spec).map_err(io_error)?;
        for s in samples {
            w.write_sample(s).map_err(io_error)?;
        }
        w.finalize().map_err(io_error)?;
        report.files.push(path);
    }
    Ok(report)
}

fn io_error(e: hound::Error) -> std::io::Error {
    match e {
        hound::Error::IoError(e) => e,
        other => std::io::Error::other(other.to_string()),
    }
}

/// A note-level diagnostic without a span.
pub(crate) fn note(code: Code, message: String, help: &str) -> Diagnostic {
    Diagnostic {
        code,
        severity: Severity::Note,
        message,
        span: None,
        label: None,
        help: Some(help.to_string()),
        asterisk: Vec::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn file_names_replace_separators() {
        assert_eq!(
            file_name("Local/alice@parking-example-00000000;2"),
            "Local_alice_parking-example-00000000_2.wav"
        );
        assert_eq!(
            file_name("PJSIP/outside-00000000"),
            "PJSIP_outside-00000000.wav"
        );
    }

    #[test]
    fn samples_are_milliseconds_times_eight() {
        assert_eq!(
            sample_at(Duration::from_millis(2324), Duration::from_millis(24)),
            18_400
        );
        assert_eq!(sample_at(Duration::ZERO, Duration::from_millis(5)), 0);
    }
}

//! Prompts and music on hold read from a sounds folder: `<folder>/<prompt>.<ext>` in the order of
//! [`dialplan::engine::sounds::FORMAT_ORDER`] among the formats decoded here (8 kHz `sln`/`raw`, `wav`
//! through hound, µ-law and A-law), and the first file of `<folder>/moh/` (sorted by name) for music on
//! hold. What is missing or undecodable becomes a placeholder, noted once per prompt.

use super::{codes, note, synth, RATE};
use dialplan::diag::Diagnostic;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

/// The sounds of one run, decoded once each.
pub struct Library {
    dir: Option<PathBuf>,
    prompts: BTreeMap<String, Option<Vec<i16>>>,
    moh: Option<Option<Vec<i16>>>,
    diagnostics: Vec<Diagnostic>,
}

impl Library {
    pub fn new(dir: Option<&Path>) -> Library {
        Library {
            dir: dir.map(Path::to_path_buf),
            prompts: BTreeMap::new(),
            moh: None,
            diagnostics: Vec::new(),
        }
    }

    /// `n` samples of a prompt: its file cut (or padded with silence) to the length the trace gave it,
    /// or the placeholder.
    pub fn prompt(&mut self, name: &str, n: usize) -> Vec<i16> {
        if !self.prompts.contains_key(name) {
            let dir = self.dir.clone();
            let decoded = dir.as_deref().and_then(|d| self.read_prompt(d, name));
            if decoded.is_none() {
                let message = match &self.dir {
                    Some(d) => format!(
                        "prompt '{name}' has no file dialsim can decode in '{}': its audio is a placeholder tone of the same length",
                        d.display()
                    ),
                    None => format!(
                        "no sounds folder: prompt '{name}' is a placeholder tone of the length Asterisk's file has"
                    ),
                };
                self.diagnostics.push(note(
                    codes::PLACEHOLDER_PROMPT,
                    message,
                    "give the scenario a sounds folder (`sounds = \"/usr/share/asterisk/sounds/en\"`, Debian's asterisk-core-sounds-en-wav) to hear the real prompts",
                ));
            }
            self.prompts.insert(name.to_string(), decoded);
        }
        match self.prompts.get(name).and_then(Option::as_ref) {
            Some(samples) => fit(samples, n),
            None => synth::speech_placeholder(n),
        }
    }

    /// `n` samples of music on hold (class names are not told apart: Asterisk's default class plays the
    /// files of one folder).
    pub fn moh(&mut self, _class: &str, n: usize) -> Vec<i16> {
        if self.moh.is_none() {
            let decoded = self.dir.as_deref().and_then(read_moh);
            if decoded.is_none() {
                self.diagnostics.push(note(
                    codes::PLACEHOLDER_MOH,
                    "no music on hold file: a generated tune stands in for it".to_string(),
                    "put a WAV file (8 kHz, 16-bit mono) in the sounds folder's moh/ to hear it",
                ));
            }
            self.moh = Some(decoded);
        }
        match self.moh.as_ref().and_then(Option::as_ref) {
            Some(samples) if !samples.is_empty() => {
                samples.iter().copied().cycle().take(n).collect()
            }
            _ => synth::moh_placeholder(n),
        }
    }

    pub fn into_diagnostics(self) -> Vec<Diagnostic> {
        self.diagnostics
    }

    fn read_prompt(&mut self, dir: &Path, name: &str) -> Option<Vec<i16>> {
        for (ext, _) in dialplan::engine::sounds::FORMAT_ORDER {
            let path = dir.join(format!("{name}.{ext}"));
            if !path.is_file() {
                continue;
            }
            match decode(&path) {
                Ok(Some(samples)) => return Some(samples),
                Ok(None) => continue,
                Err(reason) => {
                    self.diagnostics.push(note(
                        codes::UNREADABLE_SOUND,
                        format!("'{}' could not be decoded: {reason}", path.display()),
                        "use 8 kHz 16-bit mono WAV or signed-linear files",
                    ));
                }
            }
        }
        None
    }
}

/// The first decodable file of `<dir>/moh/`, by name.
fn read_moh(dir: &Path) -> Option<Vec<i16>> {
    let mut files: Vec<PathBuf> = std::fs::read_dir(dir.join("moh"))
        .ok()?
        .flatten()
        .map(|e| e.path())
        .filter(|p| p.is_file())
        .collect();
    files.sort();
    files.iter().find_map(|p| decode(p).ok().flatten())
}

/// Decodes a sound file to 8 kHz samples: `Ok(None)` for a format not decoded here (gsm).
pub fn decode(path: &Path) -> Result<Option<Vec<i16>>, String> {
    let ext = path
        .extension()
        .and_then(|e| e.to_str())
        .map(str::to_ascii_lowercase)
        .unwrap_or_default();
    match ext.as_str() {
        "wav" => read_wav(path).map(Some),
        "sln" | "raw" => {
            let bytes = std::fs::read(path).map_err(|e| e.to_string())?;
            Ok(Some(
                bytes
                    .chunks_exact(2)
                    .map(|b| i16::from_le_bytes([b[0], b[1]]))
                    .collect(),
            ))
        }
        "ulaw" | "pcm" | "ul" | "mu" | "ulw" => {
            let bytes = std::fs::read(path).map_err(|e| e.to_string())?;
            Ok(Some(bytes.into_iter().map(ulaw_to_linear).collect()))
        }
        "alaw" | "al" | "alw" => {
            let bytes = std::fs::read(path).map_err(|e| e.to_string())?;
            Ok(Some(bytes.into_iter().map(alaw_to_linear).collect()))
        }
        _ => Ok(None),
    }
}

/// A WAV file as 8 kHz mono 16-bit samples (other rates are resampled by nearest sample, stereo mixed
/// down, 8-bit and 24/32-bit scaled).
fn read_wav(path: &Path) -> Result<Vec<i16>, String> {
    let mut r = hound::WavReader::open(path).map_err(|e| e.to_string())?;
    let spec = r.spec();
    let raw: Vec<i32> = match spec.sample_format {
        hound::SampleFormat::Int => r
            .samples::<i32>()
            .collect::<Result<_, _>>()
            .map_err(|e| e.to_string())?,
        hound::SampleFormat::Float => r
            .samples::<f32>()
            .map(|s| s.map(|v| (v * 32767.0) as i32))
            .collect::<Result<_, _>>()
            .map_err(|e| e.to_string())?,
    };
    let shift = i32::from(spec.bits_per_sample).saturating_sub(16);
    let scale = |v: i32| -> i32 {
        match spec.sample_format {
            hound::SampleFormat::Float => v,
            hound::SampleFormat::Int if shift >= 0 => v >> shift,
            hound::SampleFormat::Int => v << (-shift),
        }
    };
    let chans = usize::from(spec.channels.max(1));
    let mono: Vec<i32> = raw
        .chunks(chans)
        .map(|frame| frame.iter().map(|v| scale(*v)).sum::<i32>() / frame.len() as i32)
        .collect();
    if spec.sample_rate == RATE {
        return Ok(mono.into_iter().map(clamp16).collect());
    }
    let out_len = mono.len() as u64 * u64::from(RATE) / u64::from(spec.sample_rate.max(1));
    Ok((0..out_len)
        .map(|i| {
            let src = (i * u64::from(spec.sample_rate) / u64::from(RATE)) as usize;
            clamp16(mono.get(src).copied().unwrap_or(0))
        })
        .collect())
}

fn clamp16(v: i32) -> i16 {
    v.clamp(i32::from(i16::MIN), i32::from(i16::MAX)) as i16
}

/// `samples` cut or padded with silence to `n`.
fn fit(samples: &[i16], n: usize) -> Vec<i16> {
    let mut out: Vec<i16> = samples.iter().copied().take(n).collect();
    out.resize(n, 0);
    out
}

/// G.711 µ-law to 16-bit linear.
pub fn ulaw_to_linear(b: u8) -> i16 {
    let u = !b;
    let exponent = (u >> 4) & 0x07;
    let mantissa = i32::from(u & 0x0f);
    let magnitude = (((mantissa << 3) + 0x84) << exponent) - 0x84;
    let v = if u & 0x80 != 0 { -magnitude } else { magnitude };
    clamp16(v)
}

/// G.711 A-law to 16-bit linear.
pub fn alaw_to_linear(b: u8) -> i16 {
    let a = b ^ 0x55;
    let exponent = (a >> 4) & 0x07;
    let mantissa = i32::from(a & 0x0f);
    let magnitude = if exponent == 0 {
        (mantissa << 4) + 8
    } else {
        ((mantissa << 4) + 0x108) << (exponent - 1)
    };
    let v = if a & 0x80 != 0 { magnitude } else { -magnitude };
    clamp16(v)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn g711_silence_and_extremes() {
        assert_eq!(ulaw_to_linear(0xff), 0);
        assert_eq!(ulaw_to_linear(0x00), -32124);
        assert_eq!(ulaw_to_linear(0x80), 32124);
        assert_eq!(alaw_to_linear(0xd5), 8);
        assert_eq!(alaw_to_linear(0x2a), -32256);
    }

    #[test]
    fn fit_cuts_and_pads() {
        assert_eq!(fit(&[1, 2, 3], 2), vec![1, 2]);
        assert_eq!(fit(&[1], 3), vec![1, 0, 0]);
    }

    #[test]
    fn a_missing_prompt_is_a_placeholder_with_a_note() {
        let mut lib = Library::new(None);
        let s = lib.prompt("hello-world", 800);
        assert_eq!(s.len(), 800);
        let _ = lib.prompt("hello-world", 10);
        let d = lib.into_diagnostics();
        assert_eq!(d.len(), 1, "one note per prompt");
        assert_eq!(d[0].code, codes::PLACEHOLDER_PROMPT);
    }

    #[test]
    fn a_wav_prompt_is_read() {
        let dir = tempfile::tempdir().unwrap();
        let spec = hound::WavSpec {
            channels: 1,
            sample_rate: 8000,
            bits_per_sample: 16,
            sample_format: hound::SampleFormat::Int,
        };
        let mut w = hound::WavWriter::create(dir.path().join("beep.wav"), spec).unwrap();
        for i in 0..100 {
            w.write_sample(i as i16).unwrap();
        }
        w.finalize().unwrap();
        let mut lib = Library::new(Some(dir.path()));
        let s = lib.prompt("beep", 120);
        assert_eq!(s[99], 99);
        assert_eq!(s[110], 0);
        assert!(lib.into_diagnostics().is_empty());
    }
}

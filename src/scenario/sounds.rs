//! A scenario's `sounds` folder: prompt durations read from real sound files, as Asterisk would play them.
//!
//! Every file under the folder whose format Asterisk can play at 8 kHz becomes a prompt named by its path
//! without extension (`digits/7.gsm` → `digits/7`). With a folder given, a prompt that has no file is missing,
//! as it is in Asterisk (its `File … does not exist in any format` warnings, `PLAYBACKSTATUS=FAILED`).
//! Formats: `sln`/`slin`/`raw` (16-bit, 8 kHz), `sln16` (16-bit, 16 kHz), `ulaw`/`ul`/`pcm`, `alaw`/`al`
//! (8-bit, 8 kHz), `gsm` (33-byte frames of 20 ms), `wav` (RIFF, the data chunk over the byte rate). When one
//! prompt exists in several formats, the first in that order gives its length.

use dialplan::engine::media::{Prompts, UnknownPrompt};
use std::collections::BTreeMap;
use std::path::Path;

/// Formats in order of preference, with how to turn a file into milliseconds.
const FORMATS: [&str; 10] = [
    "sln", "slin", "raw", "sln16", "wav", "ulaw", "ul", "pcm", "alaw", "al",
];

/// Reads every sound file under `dir`.
pub fn load(dir: &Path) -> std::io::Result<Prompts> {
    let mut found: BTreeMap<String, (usize, u32)> = BTreeMap::new();
    walk(dir, dir, &mut found, 0)?;
    let mut prompts = Prompts::empty(UnknownPrompt::Missing);
    for (name, (_, ms)) in found {
        prompts.insert(&name, ms);
    }
    Ok(prompts)
}

fn walk(
    root: &Path,
    dir: &Path,
    found: &mut BTreeMap<String, (usize, u32)>,
    depth: usize,
) -> std::io::Result<()> {
    // Sound folders are shallow; a link loop must not make this endless.
    if depth > 16 {
        return Ok(());
    }
    let mut entries: Vec<_> = std::fs::read_dir(dir)?
        .flatten()
        .map(|e| e.path())
        .collect();
    entries.sort();
    for path in entries {
        if path.is_dir() {
            walk(root, &path, found, depth + 1)?;
            continue;
        }
        let Some(ext) = path.extension().and_then(|e| e.to_str()) else {
            continue;
        };
        let rank = match ext {
            "gsm" => FORMATS.len(),
            e => match FORMATS.iter().position(|f| *f == e) {
                Some(r) => r,
                None => continue,
            },
        };
        let Ok(rel) = path
            .with_extension("")
            .strip_prefix(root)
            .map(Path::to_path_buf)
        else {
            continue;
        };
        let name = rel.to_string_lossy().replace('\\', "/");
        if found.get(&name).is_some_and(|(r, _)| *r <= rank) {
            continue;
        }
        let bytes = std::fs::read(&path)?;
        if let Some(ms) = duration_ms(ext, &bytes) {
            found.insert(name, (rank, ms));
        }
    }
    Ok(())
}

/// The playing time of a file's bytes in a format, in whole milliseconds.
pub fn duration_ms(ext: &str, bytes: &[u8]) -> Option<u32> {
    let len = bytes.len() as u64;
    let ms = match ext {
        "sln" | "slin" | "raw" => len / 16,
        "sln16" => len / 32,
        "ulaw" | "ul" | "pcm" | "alaw" | "al" => len / 8,
        "gsm" => len / 33 * 20,
        "wav" => wav_ms(bytes)?,
        _ => return None,
    };
    u32::try_from(ms).ok()
}

/// A RIFF/WAVE file's data length over its byte rate.
fn wav_ms(bytes: &[u8]) -> Option<u64> {
    if bytes.len() < 12 || &bytes[0..4] != b"RIFF" || &bytes[8..12] != b"WAVE" {
        return None;
    }
    let u32_at = |i: usize| -> Option<u32> {
        let b = bytes.get(i..i + 4)?;
        Some(u32::from_le_bytes([b[0], b[1], b[2], b[3]]))
    };
    let mut pos = 12;
    let mut byte_rate = None;
    while pos + 8 <= bytes.len() {
        let id = &bytes[pos..pos + 4];
        let size = u32_at(pos + 4)? as usize;
        let body = pos + 8;
        if id == b"fmt " {
            byte_rate = u32_at(body + 8);
        } else if id == b"data" {
            let rate = u64::from(byte_rate?);
            if rate == 0 {
                return None;
            }
            let data = size.min(bytes.len().saturating_sub(body)) as u64;
            return Some(data * 1000 / rate);
        }
        pos = body + size + (size & 1);
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    fn wav(data_len: usize, byte_rate: u32) -> Vec<u8> {
        let mut v = Vec::new();
        v.extend_from_slice(b"RIFF");
        v.extend_from_slice(&((36 + data_len) as u32).to_le_bytes());
        v.extend_from_slice(b"WAVEfmt ");
        v.extend_from_slice(&16u32.to_le_bytes());
        v.extend_from_slice(&1u16.to_le_bytes());
        v.extend_from_slice(&1u16.to_le_bytes());
        v.extend_from_slice(&8000u32.to_le_bytes());
        v.extend_from_slice(&byte_rate.to_le_bytes());
        v.extend_from_slice(&2u16.to_le_bytes());
        v.extend_from_slice(&16u16.to_le_bytes());
        v.extend_from_slice(b"data");
        v.extend_from_slice(&(data_len as u32).to_le_bytes());
        v.extend(std::iter::repeat_n(0u8, data_len));
        v
    }

    #[test]
    fn durations_per_format() {
        assert_eq!(duration_ms("sln", &[0; 22_464]), Some(1404));
        assert_eq!(duration_ms("ulaw", &[0; 8000]), Some(1000));
        assert_eq!(duration_ms("gsm", &[0; 33 * 50]), Some(1000));
        assert_eq!(duration_ms("wav", &wav(16_000, 16_000)), Some(1000));
        assert_eq!(duration_ms("wav", b"RIFF....WAVEjunk"), None);
        assert_eq!(duration_ms("mp3", &[0; 10]), None);
    }

    #[test]
    fn a_folder_becomes_a_catalogue() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::create_dir(dir.path().join("digits")).unwrap();
        std::fs::write(dir.path().join("digits/7.gsm"), vec![0u8; 33 * 30]).unwrap();
        std::fs::write(dir.path().join("hello-world.sln"), vec![0u8; 22_464]).unwrap();
        std::fs::write(dir.path().join("hello-world.gsm"), vec![0u8; 33]).unwrap();
        std::fs::write(dir.path().join("notes.txt"), "x").unwrap();
        let p = load(dir.path()).unwrap();
        assert_eq!(
            p.get("digits/7"),
            Some(std::time::Duration::from_millis(600))
        );
        assert_eq!(
            p.get("hello-world"),
            Some(std::time::Duration::from_millis(1404))
        );
        assert_eq!(p.get("notes"), None);
        assert_eq!(p.unknown, UnknownPrompt::Missing);
    }
}

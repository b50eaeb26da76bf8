//! Prompt durations read from a real sounds folder (`sounds = "…"` in a scenario): every file whose
//! format Asterisk can play as a prompt gives its name (path below the folder, without extension) and its
//! length, computed from the file as Asterisk's format modules see it: `wav` from its RIFF header (data
//! size over byte rate), `gsm` as 33-byte frames of 20 ms, `ulaw`/`alaw` at 8000 bytes/s, `sln` (8 kHz
//! signed linear) at 16000 bytes/s. When one prompt exists in several formats, the first format of
//! [`FORMAT_ORDER`] wins (the cheapest to translate to the signed-linear a Local channel writes; all
//! give the same length for Asterisk's own sound packages). Prompts the folder lacks keep the embedded
//! table's length, then the default with its diagnostic.

use super::media::Prompts;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

/// File extensions Asterisk's format modules register, in the order a prompt's files are preferred.
pub const FORMAT_ORDER: &[(&str, SoundFormat)] = &[
    ("sln", SoundFormat::Slin),
    ("raw", SoundFormat::Slin),
    ("wav", SoundFormat::Wav),
    ("ulaw", SoundFormat::Ulaw),
    ("pcm", SoundFormat::Ulaw),
    ("ul", SoundFormat::Ulaw),
    ("mu", SoundFormat::Ulaw),
    ("ulw", SoundFormat::Ulaw),
    ("alaw", SoundFormat::Alaw),
    ("al", SoundFormat::Alaw),
    ("alw", SoundFormat::Alaw),
    ("gsm", SoundFormat::Gsm),
];

/// The audio formats whose length dialsim reads.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SoundFormat {
    /// 8 kHz 16-bit signed linear, headerless: 16000 bytes/s.
    Slin,
    /// RIFF WAVE: length from the `fmt ` chunk's byte rate and the `data` chunk's size.
    Wav,
    /// G.711 µ-law, headerless: 8000 bytes/s.
    Ulaw,
    /// G.711 A-law, headerless: 8000 bytes/s.
    Alaw,
    /// GSM 06.10: 33-byte frames of 20 ms.
    Gsm,
}

/// A file of the folder dialsim could not use, and why.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SkippedSound {
    pub path: PathBuf,
    pub reason: String,
}

/// What reading a sounds folder found.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct SoundsReport {
    /// Prompts whose length came from a file.
    pub read: usize,
    /// Files of a known format whose length could not be read (a broken WAV header, an unreadable file).
    pub skipped: Vec<SkippedSound>,
}

impl SoundFormat {
    /// The length in milliseconds of a file of this format, from its bytes (only a WAV's header is
    /// looked at, the others need only the size).
    pub fn duration_ms(self, size: u64, head: &[u8]) -> Result<u64, String> {
        match self {
            SoundFormat::Slin => Ok(size * 1000 / 16000),
            SoundFormat::Ulaw | SoundFormat::Alaw => Ok(size * 1000 / 8000),
            SoundFormat::Gsm => Ok(size / 33 * 20),
            SoundFormat::Wav => wav_duration_ms(head, size),
        }
    }
}

impl Prompts {
    /// The embedded catalogue with every prompt found in `dir` (searched recursively) taking its length
    /// from the file. An unreadable folder is an error; a file that cannot be measured is reported and
    /// left out.
    pub fn from_dir(dir: &Path) -> std::io::Result<(Prompts, SoundsReport)> {
        let mut prompts = Prompts::builtin();
        let report = prompts.read_dir(dir)?;
        Ok((prompts, report))
    }

    /// Adds (or replaces) the lengths of the prompts found in `dir`.
    pub fn read_dir(&mut self, dir: &Path) -> std::io::Result<SoundsReport> {
        // name → (preference rank, length)
        let mut found: BTreeMap<String, (usize, u64)> = BTreeMap::new();
        let mut report = SoundsReport::default();
        let mut stack = vec![dir.to_path_buf()];
        let mut first = true;
        while let Some(d) = stack.pop() {
            let entries = match std::fs::read_dir(&d) {
                Ok(e) => e,
                // The folder itself must be readable; a subfolder that is not is skipped.
                Err(e) if first => return Err(e),
                Err(e) => {
                    report.skipped.push(SkippedSound {
                        path: d,
                        reason: e.to_string(),
                    });
                    continue;
                }
            };
            first = false;
            let mut paths: Vec<PathBuf> =
                entries.filter_map(|e| e.ok().map(|e| e.path())).collect();
            paths.sort();
            for path in paths {
                if path.is_dir() {
                    stack.push(path);
                    continue;
                }
                let Some(ext) = path.extension().and_then(|e| e.to_str()) else {
                    continue;
                };
                let Some(rank) = FORMAT_ORDER.iter().position(|(x, _)| *x == ext) else {
                    continue;
                };
                let Some(name) = prompt_name(dir, &path) else {
                    continue;
                };
                if found.get(&name).is_some_and(|&(r, _)| r <= rank) {
                    continue;
                }
                match measure(&path, FORMAT_ORDER[rank].1) {
                    Ok(ms) => {
                        found.insert(name, (rank, ms));
                    }
                    Err(reason) => report.skipped.push(SkippedSound { path, reason }),
                }
            }
        }
        report.read = found.len();
        for (name, (_, ms)) in found {
            self.insert(&name, u32::try_from(ms).unwrap_or(u32::MAX));
        }
        Ok(report)
    }
}

/// `digits/7` for `<dir>/digits/7.gsm`, with `/` separators on every platform.
fn prompt_name(dir: &Path, path: &Path) -> Option<String> {
    let rel = path.strip_prefix(dir).ok()?.with_extension("");
    let parts: Vec<&str> = rel
        .components()
        .map(|c| c.as_os_str().to_str())
        .collect::<Option<_>>()?;
    Some(parts.join("/"))
}

fn measure(path: &Path, format: SoundFormat) -> Result<u64, String> {
    let size = std::fs::metadata(path).map_err(|e| e.to_string())?.len();
    let head = if format == SoundFormat::Wav {
        let mut buf = Vec::new();
        use std::io::Read;
        std::fs::File::open(path)
            .and_then(|f| f.take(4096).read_to_end(&mut buf))
            .map_err(|e| e.to_string())?;
        buf
    } else {
        Vec::new()
    };
    format.duration_ms(size, &head)
}

fn le32(b: &[u8], at: usize) -> Option<u32> {
    let s = b.get(at..at + 4)?;
    Some(u32::from_le_bytes([s[0], s[1], s[2], s[3]]))
}

/// A WAV's length: the `data` chunk's size (bounded by what the file holds) over the `fmt ` chunk's
/// byte rate.
fn wav_duration_ms(head: &[u8], size: u64) -> Result<u64, String> {
    if head.get(0..4) != Some(b"RIFF") || head.get(8..12) != Some(b"WAVE") {
        return Err("not a RIFF WAVE file".to_string());
    }
    let mut at = 12usize;
    let mut byte_rate = None;
    while at + 8 <= head.len() {
        let id = &head[at..at + 4];
        let len = le32(head, at + 4).ok_or("truncated chunk header")? as usize;
        let body = at + 8;
        if id == b"fmt " {
            byte_rate = le32(head, body + 8);
        } else if id == b"data" {
            let rate = byte_rate
                .filter(|&r| r > 0)
                .ok_or("no usable 'fmt ' chunk before 'data'")?;
            let available = size.saturating_sub(body as u64);
            let data = (len as u64).min(available);
            return Ok(data * 1000 / u64::from(rate));
        }
        // Chunks are padded to an even length.
        at = body.saturating_add(len).saturating_add(len & 1);
    }
    Err("no 'data' chunk in the header".to_string())
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::time::Duration;

    fn wav(byte_rate: u32, data: usize) -> Vec<u8> {
        let mut v = Vec::new();
        v.extend_from_slice(b"RIFF");
        v.extend_from_slice(&((36 + data) as u32).to_le_bytes());
        v.extend_from_slice(b"WAVE");
        v.extend_from_slice(b"fmt ");
        v.extend_from_slice(&16u32.to_le_bytes());
        v.extend_from_slice(&1u16.to_le_bytes()); // PCM
        v.extend_from_slice(&1u16.to_le_bytes()); // mono
        v.extend_from_slice(&(byte_rate / 2).to_le_bytes()); // sample rate
        v.extend_from_slice(&byte_rate.to_le_bytes());
        v.extend_from_slice(&2u16.to_le_bytes());
        v.extend_from_slice(&16u16.to_le_bytes());
        v.extend_from_slice(b"data");
        v.extend_from_slice(&(data as u32).to_le_bytes());
        v.resize(v.len() + data, 0);
        v
    }

    struct TempDir(PathBuf);
    impl TempDir {
        fn new(tag: &str) -> TempDir {
            let p =
                std::env::temp_dir().join(format!("dialsim-sounds-{tag}-{}", std::process::id()));
            let _ = std::fs::remove_dir_all(&p);
            std::fs::create_dir_all(p.join("digits")).unwrap();
            TempDir(p)
        }
        fn write(&self, rel: &str, bytes: &[u8]) {
            std::fs::write(self.0.join(rel), bytes).unwrap();
        }
    }
    impl Drop for TempDir {
        fn drop(&mut self) {
            let _ = std::fs::remove_dir_all(&self.0);
        }
    }

    #[test]
    fn each_format_gives_its_length() {
        let d = TempDir::new("formats");
        d.write("a.wav", &wav(16000, 16000 * 3 / 2)); // 1.5 s
        d.write("b.gsm", &vec![0u8; 33 * 50]); // 50 frames = 1 s
        d.write("c.ulaw", &vec![0u8; 4000]); // 0.5 s
        d.write("e.alaw", &vec![0u8; 8000 * 2]); // 2 s
        d.write("f.sln", &vec![0u8; 16000 / 4]); // 0.25 s
        d.write("digits/7.gsm", &vec![0u8; 33 * 37]); // 740 ms
        d.write("notes.txt", b"not a sound");
        let (p, report) = Prompts::from_dir(&d.0).unwrap();
        let ms = Duration::from_millis;
        assert_eq!(p.get("a"), Some(ms(1500)));
        assert_eq!(p.get("b"), Some(ms(1000)));
        assert_eq!(p.get("c"), Some(ms(500)));
        assert_eq!(p.get("e"), Some(ms(2000)));
        assert_eq!(p.get("f"), Some(ms(250)));
        assert_eq!(p.get("digits/7"), Some(ms(740)));
        assert_eq!(p.get("notes"), None);
        assert_eq!(report.read, 6);
        assert!(report.skipped.is_empty());
        // The embedded table still answers for what the folder lacks.
        assert_eq!(p.get("hello-world"), Prompts::builtin().get("hello-world"));
    }

    #[test]
    fn the_preferred_format_wins_and_files_override_the_table() {
        let d = TempDir::new("prefer");
        d.write("hello-world.gsm", &vec![0u8; 33 * 10]); // 200 ms
        d.write("hello-world.sln", &vec![0u8; 16000]); // 1000 ms, preferred
        d.write("x.gsm", &vec![0u8; 33 * 10]); // 200 ms
        d.write("x.wav", &wav(16000, 8000)); // 500 ms, preferred over gsm
        let (p, _) = Prompts::from_dir(&d.0).unwrap();
        assert_eq!(p.get("hello-world"), Some(Duration::from_millis(1000)));
        assert_eq!(p.get("x"), Some(Duration::from_millis(500)));
    }

    #[test]
    fn broken_wavs_are_reported_and_a_missing_folder_is_an_error() {
        let d = TempDir::new("broken");
        d.write("bad.wav", b"RIFX0000");
        d.write("short.wav", &wav(16000, 32000)[..60]); // header says 2 s, file holds 16 bytes
        let (p, report) = Prompts::from_dir(&d.0).unwrap();
        assert_eq!(p.get("bad"), None);
        assert_eq!(report.skipped.len(), 1);
        assert_eq!(report.skipped[0].reason, "not a RIFF WAVE file");
        assert_eq!(p.get("short"), Some(Duration::from_millis(1)));
        assert!(Prompts::from_dir(&d.0.join("nowhere")).is_err());
    }
}

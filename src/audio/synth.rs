//! Generated sounds: DTMF dual tones, the speech-like placeholder for a prompt without a file, and the
//! placeholder tune for music on hold. Deterministic (pure functions of their arguments).

use super::RATE;
use std::f64::consts::TAU;

/// The two frequencies (Hz) of a DTMF digit, as Asterisk's channel core plays them (`ast_senddigit_begin`:
/// the standard row and column tones); `None` for a character that is not a digit.
pub fn dtmf_frequencies(digit: char) -> Option<(f64, f64)> {
    let row = |c: char| match c {
        '1' | '2' | '3' | 'A' => Some(697.0),
        '4' | '5' | '6' | 'B' => Some(770.0),
        '7' | '8' | '9' | 'C' => Some(852.0),
        '*' | '0' | '#' | 'D' => Some(941.0),
        _ => None,
    };
    let col = |c: char| match c {
        '1' | '4' | '7' | '*' => Some(1209.0),
        '2' | '5' | '8' | '0' => Some(1336.0),
        '3' | '6' | '9' | '#' => Some(1477.0),
        'A' | 'B' | 'C' | 'D' => Some(1633.0),
        _ => None,
    };
    let d = digit.to_ascii_uppercase();
    Some((row(d)?, col(d)?))
}

/// `n` samples of a DTMF digit (silence for an unknown character).
pub fn dtmf(digit: char, n: usize) -> Vec<i16> {
    let Some((lo, hi)) = dtmf_frequencies(digit) else {
        return vec![0; n];
    };
    (0..n)
        .map(|i| {
            let t = i as f64 / f64::from(RATE);
            let v = 6000.0 * (TAU * lo * t).sin() + 6000.0 * (TAU * hi * t).sin();
            v as i16
        })
        .collect()
}

/// `n` samples standing for a spoken prompt: a voice-like 180 Hz tone with two formants, its loudness
/// rising and falling about four times a second like syllables. Never silent for a whole millisecond, so
/// a listener (and a test) finds it exactly where the prompt played.
pub fn speech_placeholder(n: usize) -> Vec<i16> {
    (0..n)
        .map(|i| {
            let t = i as f64 / f64::from(RATE);
            let syllable = 0.55 + 0.45 * (TAU * 4.0 * t).sin().abs();
            let voice = (TAU * 180.0 * t).sin()
                + 0.5 * (TAU * 540.0 * t).sin()
                + 0.3 * (TAU * 1260.0 * t).sin();
            // Shift the phase a little so a zero crossing never lines up on whole milliseconds.
            let v = 5000.0 * syllable * voice + 900.0 * (TAU * 97.0 * t + 0.5).sin();
            v as i16
        })
        .collect()
}

/// `n` samples of the placeholder tune for music on hold: a slow arpeggio (C, E, G, E; 400 ms a note),
/// soft, looped.
pub fn moh_placeholder(n: usize) -> Vec<i16> {
    const NOTES: [f64; 4] = [261.63, 329.63, 392.0, 329.63];
    let note_len = (RATE as usize) * 2 / 5;
    (0..n)
        .map(|i| {
            let f = NOTES[(i / note_len) % NOTES.len()];
            let t = i as f64 / f64::from(RATE);
            let v = 3500.0 * (TAU * f * t).sin() + 1200.0 * (TAU * 2.0 * f * t).sin();
            v as i16
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dtmf_uses_the_standard_pairs() {
        assert_eq!(dtmf_frequencies('#'), Some((941.0, 1477.0)));
        assert_eq!(dtmf_frequencies('7'), Some((852.0, 1209.0)));
        assert_eq!(dtmf_frequencies('d'), Some((941.0, 1633.0)));
        assert_eq!(dtmf_frequencies('x'), None);
        assert!(dtmf('x', 10).iter().all(|s| *s == 0));
    }

    #[test]
    fn dtmf_has_energy_at_both_frequencies() {
        let s = dtmf('5', 800);
        let power = |f: f64| {
            let (mut re, mut im) = (0.0, 0.0);
            for (i, v) in s.iter().enumerate() {
                let a = TAU * f * i as f64 / f64::from(RATE);
                re += f64::from(*v) * a.cos();
                im += f64::from(*v) * a.sin();
            }
            (re * re + im * im).sqrt()
        };
        assert!(power(770.0) > 10.0 * power(1000.0));
        assert!(power(1336.0) > 10.0 * power(1000.0));
    }

    #[test]
    fn placeholders_are_never_silent_for_a_millisecond() {
        for s in [speech_placeholder(16_000), moh_placeholder(16_000)] {
            for ms in s.chunks(8) {
                assert!(ms.iter().any(|v| v.unsigned_abs() > 200));
            }
        }
    }
}

//! How a transferer dials the transfer target: Asterisk's `grab_transfer` around `ast_app_dtget`
//! [main/bridge_basic.c · grab_transfer; main/app.c · ast_app_dtget].
//!
//! - The announcement (`transferannouncesound`, default `pbx-transfer`) plays first; any digit stops it and
//!   becomes the first digit of the target.
//! - Then, per attempt, digits are collected with `transferdigittimeout` between them: `#` ends the number
//!   (and is not part of it); a digit after which no longer extension of the transfer context could match
//!   ends it at once (so the transfer completes on the last digit of an unambiguous extension); running out
//!   of time ends it too. The number is good when it exists at priority 1 in the context.
//! - A bad number (or none) is reported (`Channel %s: Dialed '%s@%s' does not exist.` or `Channel %s: Dialed
//!   no digits.`), then `transferretrysound` plays and the next attempt starts, up to
//!   `transferdialattempts`; after the last one `transferinvalidsound` plays and the transfer is given up.
//!
//! [`TargetDigits`] is one attempt's digit collection; [`DialAttempts`] counts attempts and says which
//! sound follows a failure.

/// At most this many digits are collected (`AST_MAX_EXTENSION` − 1).
pub const MAX_TARGET_DIGITS: usize = 79;

/// What to do after a digit.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Collect {
    /// Wait for another digit (with the digit timeout).
    More,
    /// The number is complete; look it up.
    Done,
}

/// One attempt's digits.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct TargetDigits {
    digits: String,
}

impl TargetDigits {
    /// Starts with `first` (the digit that interrupted the announcement), if any.
    pub fn new(first: Option<char>) -> TargetDigits {
        TargetDigits {
            digits: first.map(String::from).unwrap_or_default(),
        }
    }

    /// The digits so far.
    pub fn as_str(&self) -> &str {
        &self.digits
    }

    /// Whether another digit may be collected at all.
    pub fn has_room(&self) -> bool {
        self.digits.len() < MAX_TARGET_DIGITS
    }

    /// A digit arrived; `match_more` says whether some longer extension of the context could still match
    /// the digits given (`ast_matchmore_extension`). `#` ends the number without being kept.
    pub fn push(&mut self, digit: char, match_more: impl FnOnce(&str) -> bool) -> Collect {
        if digit == '#' {
            return Collect::Done;
        }
        self.digits.push(digit);
        if !self.has_room() || !match_more(&self.digits) {
            return Collect::Done;
        }
        Collect::More
    }
}

/// The outcome of a failed attempt.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Attempt {
    /// Play this sound (`transferretrysound`) and collect again.
    Retry(String),
    /// Play this sound (`transferinvalidsound`) and give the transfer up.
    GiveUp(String),
}

/// The attempts of one transfer.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DialAttempts {
    made: u32,
    max: u32,
    retry_sound: String,
    invalid_sound: String,
}

impl DialAttempts {
    /// `transferdialattempts` (a value below 1 still gives one attempt, as Asterisk's do-while does),
    /// `transferretrysound`, `transferinvalidsound`.
    pub fn new(max: u32, retry_sound: &str, invalid_sound: &str) -> DialAttempts {
        DialAttempts {
            made: 0,
            max,
            retry_sound: retry_sound.to_string(),
            invalid_sound: invalid_sound.to_string(),
        }
    }

    /// An attempt starts; returns its number (1-based).
    pub fn start(&mut self) -> u32 {
        self.made += 1;
        self.made
    }

    /// The attempt just made failed: retry or give up.
    pub fn failed(&self) -> Attempt {
        if self.made < self.max {
            Attempt::Retry(self.retry_sound.clone())
        } else {
            Attempt::GiveUp(self.invalid_sound.clone())
        }
    }
}

/// Asterisk's verbose line for a failed attempt.
pub fn failed_line(channel: &str, digits: &str, context: &str) -> String {
    if digits.is_empty() {
        format!("Channel {channel}: Dialed no digits.")
    } else {
        format!("Channel {channel}: Dialed '{digits}@{context}' does not exist.")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Extensions 700, 701, 7011 and 12.
    fn more(d: &str) -> bool {
        ["700", "701", "7011", "12"]
            .iter()
            .any(|e| e.len() > d.len() && e.starts_with(d))
    }

    #[test]
    fn an_unambiguous_extension_completes_on_its_last_digit() {
        let mut t = TargetDigits::new(None);
        assert_eq!(t.push('7', more), Collect::More);
        assert_eq!(t.push('0', more), Collect::More);
        assert_eq!(t.push('0', more), Collect::Done);
        assert_eq!(t.as_str(), "700");
    }

    #[test]
    fn an_ambiguous_extension_waits_for_the_timeout_or_hash() {
        let mut t = TargetDigits::new(None);
        t.push('7', more);
        t.push('0', more);
        assert_eq!(t.push('1', more), Collect::More, "7011 could still follow");
        assert_eq!(t.push('#', more), Collect::Done);
        assert_eq!(t.as_str(), "701", "# is not part of the number");
    }

    #[test]
    fn a_digit_that_matches_nothing_ends_the_number() {
        let mut t = TargetDigits::new(None);
        assert_eq!(t.push('9', more), Collect::Done);
        assert_eq!(t.as_str(), "9");
    }

    #[test]
    fn the_digit_that_stopped_the_announcement_is_the_first() {
        let mut t = TargetDigits::new(Some('7'));
        assert_eq!(t.as_str(), "7");
        t.push('0', more);
        assert_eq!(t.push('0', more), Collect::Done);
        assert_eq!(t.as_str(), "700");
    }

    #[test]
    fn the_number_is_at_most_79_digits() {
        let mut t = TargetDigits::new(None);
        let mut last = Collect::More;
        for _ in 0..MAX_TARGET_DIGITS {
            last = t.push('1', |_| true);
        }
        assert_eq!(last, Collect::Done);
        assert_eq!(t.as_str().len(), MAX_TARGET_DIGITS);
    }

    #[test]
    fn attempts_retry_then_give_up() {
        let mut a = DialAttempts::new(3, "pbx-invalid", "privacy-incorrect");
        assert_eq!(a.start(), 1);
        assert_eq!(a.failed(), Attempt::Retry("pbx-invalid".into()));
        a.start();
        assert_eq!(a.failed(), Attempt::Retry("pbx-invalid".into()));
        assert_eq!(a.start(), 3);
        assert_eq!(a.failed(), Attempt::GiveUp("privacy-incorrect".into()));
    }

    #[test]
    fn zero_attempts_still_make_one() {
        let mut a = DialAttempts::new(0, "r", "i");
        a.start();
        assert_eq!(a.failed(), Attempt::GiveUp("i".into()));
    }

    #[test]
    fn failure_lines_are_asterisks() {
        assert_eq!(
            failed_line("PJSIP/alice-00000001", "", "from-internal"),
            "Channel PJSIP/alice-00000001: Dialed no digits."
        );
        assert_eq!(
            failed_line("PJSIP/alice-00000001", "99", "from-internal"),
            "Channel PJSIP/alice-00000001: Dialed '99@from-internal' does not exist."
        );
    }
}

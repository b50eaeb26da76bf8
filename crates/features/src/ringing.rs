//! Dial's `H` while the call is still ringing: the caller's DTMF is checked against the disconnect code and
//! a complete code cancels the Dial (`User requested call disconnect.`, `DIALSTATUS=CANCEL`).
//! [apps/app_dial.c · wait_for_answer, detect_disconnect]
//!
//! This is not the bridge matcher: there is no timeout, the comparison is case-sensitive, and a digit that
//! breaks the code empties the buffer without starting over from that digit (with disconnect `*0`, the
//! caller pressing `**0` does not hang up). The digits still reach the ringing callee as usual.

use crate::config::{BuiltinFeature, FeatureMap};

/// The verbose-3 line Dial prints when the code completes.
pub const DISCONNECT_VERBOSE: &str = "User requested call disconnect.";

/// What a caller's digit did while Dial was waiting for an answer.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum RingingDtmf {
    /// Nothing (yet).
    Continue,
    /// The disconnect code is complete: Dial gives up with `CANCEL`.
    Disconnect,
}

/// The digits a caller with `H` has typed towards the disconnect code during one Dial.
#[derive(Clone, Debug, Default)]
pub struct RingingDisconnect {
    collected: String,
}

impl RingingDisconnect {
    pub fn new() -> Self {
        Self::default()
    }

    /// A DTMF END frame from the caller; `featuremap` is the caller's.
    pub fn on_dtmf_end(&mut self, featuremap: &FeatureMap, digit: char) -> RingingDtmf {
        self.collected.push(digit);
        let code = featuremap.hook_code(BuiltinFeature::Disconnect);
        if code.len() > self.collected.len() {
            if !code.starts_with(&self.collected) {
                self.collected.clear();
            }
            return RingingDtmf::Continue;
        }
        if code != self.collected {
            self.collected.clear();
            return RingingDtmf::Continue;
        }
        RingingDtmf::Disconnect
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn map(code: &str) -> FeatureMap {
        let mut m = FeatureMap::default();
        m.set(BuiltinFeature::Disconnect, code, None);
        m
    }

    fn feed(code: &str, digits: &str) -> Vec<RingingDtmf> {
        let m = map(code);
        let mut d = RingingDisconnect::new();
        digits.chars().map(|c| d.on_dtmf_end(&m, c)).collect()
    }

    #[test]
    fn default_star_disconnects_at_once() {
        assert_eq!(feed("*", "*"), vec![RingingDtmf::Disconnect]);
    }

    #[test]
    fn multi_digit_code() {
        assert_eq!(
            feed("*0", "1*0"),
            vec![
                RingingDtmf::Continue,
                RingingDtmf::Continue,
                RingingDtmf::Disconnect
            ]
        );
    }

    #[test]
    fn a_breaking_digit_does_not_restart_the_code() {
        assert_eq!(
            feed("*0", "**0"),
            vec![
                RingingDtmf::Continue,
                RingingDtmf::Continue,
                RingingDtmf::Continue
            ]
        );
    }

    #[test]
    fn empty_code_never_disconnects() {
        assert_eq!(
            feed("", "**"),
            vec![RingingDtmf::Continue, RingingDtmf::Continue]
        );
    }

    #[test]
    fn comparison_is_case_sensitive() {
        assert_eq!(feed("a", "A"), vec![RingingDtmf::Continue]);
    }
}

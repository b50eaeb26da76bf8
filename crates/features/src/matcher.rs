//! The bridge DTMF feature matcher: what a channel in a bridge does with the DTMF it sends, as a pure state
//! machine on a virtual clock.
//!
//! One [`FeatureMatcher`] per channel in a bridge (Asterisk keeps this state per bridge channel, fresh on
//! every join), holding that channel's [`HookSet`]. Asterisk's rules
//! [main/bridge_channel.c · bridge_handle_dtmf, ast_bridge_channel_feature_digit,
//! bridge_channel_handle_feature_timeout, bridge_channel_internal_join]:
//!
//! - A DTMF frame is *intercepted* when the channel is already collecting digits, or its digit is a prefix
//!   of one of the channel's codes; otherwise it passes to the bridge untouched.
//! - An intercepted BEGIN is dropped. An intercepted END appends the digit to the collected string (at most
//!   11 digits; a digit beyond that is dropped) and looks the string up: the first hook in code order whose
//!   code starts with it is taken. None ⇒ the collected digits go to the other parties as a DTMF *stream*
//!   and collection ends. A longer code ⇒ keep collecting until now + `featuredigittimeout`; at that deadline
//!   the digits are streamed to the others. An exact code ⇒ collection ends and the hook runs (the channel's
//!   media is suspended meanwhile).
//! - A channel leaving the bridge streams whatever it had collected.
//!
//! Consequences worth knowing: the first prefix match wins, so `#` (blindxfer) shadows `#72` (parkcall) on
//! the same channel; digits that turn out not to be a code reach the peer late and re-timed (see
//! [`stream_timeline`]); while a channel collects, bridge actions queued *to* it (a peer's stream, a
//! transfer, a park) wait until collection ends ([`FeatureMatcher::is_collecting`]).

use crate::hooks::{Hook, HookSet, MAX_HOOK_CODE_LEN};
use std::time::Duration;

/// What the engine must do after an input. Frame inputs always yield their frame's fate first
/// (`PassThrough*` or `Swallow`), then timer changes, then at most one of `Feature`/`FlushToPeers`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum DtmfAction {
    /// Not intercepted: pass the DTMF BEGIN frame to the bridge as usual.
    PassThroughBegin(char),
    /// Not intercepted: pass the DTMF END frame to the bridge as usual.
    PassThroughEnd(char),
    /// The frame is consumed by feature collection; nobody hears it now.
    Swallow(char),
    /// (Re)arm this channel's single feature timer for this deadline; call [`FeatureMatcher::on_timer`]
    /// when it is reached. Replaces any earlier deadline.
    ArmTimer(Duration),
    /// Disarm the feature timer.
    CancelTimer,
    /// The collected digits are a hook's code: run it on this channel.
    Feature(Hook),
    /// Send these digits to the other channels of the bridge as a DTMF stream (each plays it out as
    /// [`stream_timeline`] describes).
    FlushToPeers(String),
}

/// One channel's feature-code collection state.
#[derive(Clone, Debug)]
pub struct FeatureMatcher {
    hooks: HookSet,
    digit_timeout: Duration,
    collected: String,
    deadline: Option<Duration>,
}

impl FeatureMatcher {
    /// A matcher for a channel armed with `hooks`, using `featuredigittimeout` (the channel's, which
    /// `FEATURE(featuredigittimeout)` may have changed).
    pub fn new(hooks: HookSet, digit_timeout: Duration) -> Self {
        FeatureMatcher {
            hooks,
            digit_timeout,
            collected: String::new(),
            deadline: None,
        }
    }

    pub fn hooks(&self) -> &HookSet {
        &self.hooks
    }

    /// The hooks, to remove one that asked to be removed after running.
    pub fn hooks_mut(&mut self) -> &mut HookSet {
        &mut self.hooks
    }

    /// Asterisk reads the timeout at each digit, so a change applies from the next digit on.
    pub fn set_digit_timeout(&mut self, timeout: Duration) {
        self.digit_timeout = timeout;
    }

    /// The digits collected so far (empty when not collecting).
    pub fn collected(&self) -> &str {
        &self.collected
    }

    /// Whether the channel is in the middle of a possible code (bridge actions to it are deferred).
    pub fn is_collecting(&self) -> bool {
        !self.collected.is_empty()
    }

    /// The pending timer deadline, if any.
    pub fn deadline(&self) -> Option<Duration> {
        self.deadline
    }

    /// A DTMF BEGIN frame from this channel.
    pub fn on_dtmf_begin(&self, digit: char) -> Vec<DtmfAction> {
        if self.intercepts(digit) {
            vec![DtmfAction::Swallow(digit)]
        } else {
            vec![DtmfAction::PassThroughBegin(digit)]
        }
    }

    /// A DTMF END frame from this channel at virtual time `now`.
    pub fn on_dtmf_end(&mut self, digit: char, now: Duration) -> Vec<DtmfAction> {
        if !self.intercepts(digit) {
            return vec![DtmfAction::PassThroughEnd(digit)];
        }
        let mut actions = vec![DtmfAction::Swallow(digit)];
        if self.collected.chars().count() < MAX_HOOK_CODE_LEN {
            self.collected.push(digit);
        }
        match self.hooks.find_prefix(&self.collected) {
            Some(hook) if hook.code.len() != self.collected.len() => {
                let deadline = now + self.digit_timeout;
                self.deadline = Some(deadline);
                actions.push(DtmfAction::ArmTimer(deadline));
            }
            Some(hook) => {
                let hook = hook.clone();
                self.end_collection(&mut actions);
                actions.push(DtmfAction::Feature(hook));
            }
            None => {
                let digits = self.end_collection(&mut actions);
                actions.push(DtmfAction::FlushToPeers(digits));
            }
        }
        actions
    }

    /// The feature timer fired at `now`. A stale timer (not collecting, or deadline not reached) does
    /// nothing; otherwise the collected digits are streamed to the peers.
    pub fn on_timer(&mut self, now: Duration) -> Vec<DtmfAction> {
        let Some(deadline) = self.deadline else {
            return Vec::new();
        };
        // Asterisk compares whole milliseconds: less than 1 ms left counts as expired.
        if self.collected.is_empty() || deadline.saturating_sub(now) >= Duration::from_millis(1) {
            return Vec::new();
        }
        self.deadline = None;
        let digits = std::mem::take(&mut self.collected);
        vec![DtmfAction::FlushToPeers(digits)]
    }

    /// The channel leaves the bridge: digits still collected are streamed to the others.
    pub fn on_leave(&mut self) -> Vec<DtmfAction> {
        if self.collected.is_empty() {
            return Vec::new();
        }
        let mut actions = Vec::new();
        let digits = self.end_collection(&mut actions);
        actions.push(DtmfAction::FlushToPeers(digits));
        actions
    }

    fn intercepts(&self, digit: char) -> bool {
        if self.is_collecting() {
            return true;
        }
        let mut buf = [0u8; 4];
        self.hooks
            .find_prefix(digit.encode_utf8(&mut buf))
            .is_some()
    }

    /// Clears the collection, cancelling a pending timer; returns the digits.
    fn end_collection(&mut self, actions: &mut Vec<DtmfAction>) -> String {
        if self.deadline.take().is_some() {
            actions.push(DtmfAction::CancelTimer);
        }
        std::mem::take(&mut self.collected)
    }
}

/// How long a channel is silent before a DTMF stream, and how long each tone and each gap last
/// (`ast_dtmf_stream` with no explicit timing: 100 ms each).
pub const STREAM_STEP: Duration = Duration::from_millis(100);

/// One edge of a DTMF stream, at an offset from the moment the peer starts playing it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum StreamEdge {
    Begin(char),
    End(char),
    /// The stream is over; the peer rejoins the bridge's media.
    Done,
}

/// What a peer does with [`DtmfAction::FlushToPeers`]: 100 ms of silence, then per digit BEGIN, END 100 ms
/// later, and a 100 ms gap; the peer is suspended from the bridge meanwhile. Characters that are not DTMF
/// digits are skipped (Asterisk warns; collected digits never contain any). Offsets are from the start.
pub fn stream_timeline(digits: &str) -> Vec<(Duration, StreamEdge)> {
    let mut out = Vec::new();
    let mut t = STREAM_STEP;
    for d in digits.chars().filter(|c| is_dtmf_digit(*c)) {
        out.push((t, StreamEdge::Begin(d)));
        t += STREAM_STEP;
        out.push((t, StreamEdge::End(d)));
        t += STREAM_STEP;
    }
    out.push((t, StreamEdge::Done));
    out
}

fn is_dtmf_digit(c: char) -> bool {
    c.is_ascii_digit() || matches!(c, '*' | '#' | 'a'..='d' | 'A'..='D')
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::BuiltinFeature;
    use crate::hooks::Feature;
    use DtmfAction::*;

    const SECOND: Duration = Duration::from_secs(1);

    fn ms(n: u64) -> Duration {
        Duration::from_millis(n)
    }

    fn hooks(codes: &[(&str, BuiltinFeature)]) -> HookSet {
        let mut set = HookSet::new();
        for (code, f) in codes {
            set.insert(code, Feature::Builtin(*f));
        }
        set
    }

    fn park() -> HookSet {
        hooks(&[("#72", BuiltinFeature::ParkCall)])
    }

    fn hook(code: &str, f: BuiltinFeature) -> Hook {
        Hook {
            code: code.into(),
            feature: Feature::Builtin(f),
        }
    }

    /// Presses `digit` (BEGIN at `t`, END at `t`+100 ms) and returns both steps' actions.
    fn press(m: &mut FeatureMatcher, digit: char, t: Duration) -> Vec<DtmfAction> {
        let mut a = m.on_dtmf_begin(digit);
        a.extend(m.on_dtmf_end(digit, t + ms(100)));
        a
    }

    #[test]
    fn full_code_within_timeout_runs_the_feature() {
        let mut m = FeatureMatcher::new(park(), SECOND);
        assert_eq!(
            press(&mut m, '#', ms(200)),
            vec![Swallow('#'), Swallow('#'), ArmTimer(ms(1300))]
        );
        assert!(m.is_collecting());
        assert_eq!(
            press(&mut m, '7', ms(550)),
            vec![Swallow('7'), Swallow('7'), ArmTimer(ms(1650))]
        );
        assert_eq!(
            press(&mut m, '2', ms(900)),
            vec![
                Swallow('2'),
                Swallow('2'),
                CancelTimer,
                Feature(hook("#72", BuiltinFeature::ParkCall))
            ]
        );
        assert!(!m.is_collecting());
        assert_eq!(m.deadline(), None);
    }

    #[test]
    fn digits_that_start_no_code_pass_straight_through() {
        let mut m = FeatureMatcher::new(park(), SECOND);
        assert_eq!(
            press(&mut m, '5', ms(0)),
            vec![PassThroughBegin('5'), PassThroughEnd('5')]
        );
        assert!(!m.is_collecting());
    }

    #[test]
    fn a_dead_end_streams_the_collected_digits_to_the_peer() {
        let mut m = FeatureMatcher::new(park(), SECOND);
        press(&mut m, '#', ms(0));
        assert_eq!(
            press(&mut m, '5', ms(300)),
            vec![
                Swallow('5'),
                Swallow('5'),
                CancelTimer,
                FlushToPeers("#5".into())
            ]
        );
        // The next digit starts afresh.
        assert_eq!(
            press(&mut m, '1', ms(600)),
            vec![PassThroughBegin('1'), PassThroughEnd('1')]
        );
    }

    #[test]
    fn timeout_streams_the_partial_code() {
        let mut m = FeatureMatcher::new(park(), SECOND);
        press(&mut m, '#', ms(0));
        press(&mut m, '7', ms(500));
        assert_eq!(m.deadline(), Some(ms(1600)));
        // A timer armed for the first digit is stale now.
        assert_eq!(m.on_timer(ms(1100)), vec![]);
        assert_eq!(m.on_timer(ms(1600)), vec![FlushToPeers("#7".into())]);
        assert!(!m.is_collecting());
        assert_eq!(m.on_timer(ms(1700)), vec![]);
    }

    #[test]
    fn gap_longer_than_timeout_breaks_the_code() {
        let mut m = FeatureMatcher::new(park(), SECOND);
        press(&mut m, '#', ms(0));
        // The timer fires before '7' arrives at 1.5 s.
        assert_eq!(m.on_timer(ms(1100)), vec![FlushToPeers("#".into())]);
        assert_eq!(
            press(&mut m, '7', ms(1500)),
            vec![PassThroughBegin('7'), PassThroughEnd('7')]
        );
        assert_eq!(
            press(&mut m, '2', ms(1800)),
            vec![PassThroughBegin('2'), PassThroughEnd('2')]
        );
    }

    #[test]
    fn the_timeout_is_per_digit_and_configurable() {
        let mut m = FeatureMatcher::new(park(), ms(3000));
        press(&mut m, '#', ms(0));
        m.set_digit_timeout(ms(200));
        assert_eq!(
            press(&mut m, '7', ms(2000)),
            vec![Swallow('7'), Swallow('7'), ArmTimer(ms(2300))]
        );
    }

    #[test]
    fn blindxfer_shadows_parkcall() {
        let set = hooks(&[
            ("#", BuiltinFeature::BlindTransfer),
            ("#72", BuiltinFeature::ParkCall),
        ]);
        let mut m = FeatureMatcher::new(set, SECOND);
        assert_eq!(
            press(&mut m, '#', ms(0)),
            vec![
                Swallow('#'),
                Swallow('#'),
                Feature(hook("#", BuiltinFeature::BlindTransfer))
            ]
        );
        // 7 and 2 are then ordinary digits.
        assert_eq!(
            press(&mut m, '7', ms(300)),
            vec![PassThroughBegin('7'), PassThroughEnd('7')]
        );
    }

    #[test]
    fn hooks_are_per_channel_the_other_side_passes_through() {
        // alice (the callee, `k`) has the hook; the caller has none.
        let mut alice = FeatureMatcher::new(park(), SECOND);
        let mut caller = FeatureMatcher::new(HookSet::new(), SECOND);
        for (i, d) in "#72".chars().enumerate() {
            let t = ms(300 * i as u64);
            assert_eq!(
                press(&mut caller, d, t),
                vec![PassThroughBegin(d), PassThroughEnd(d)]
            );
        }
        let mut last = Vec::new();
        for (i, d) in "#72".chars().enumerate() {
            last = press(&mut alice, d, ms(300 * i as u64));
        }
        assert!(matches!(last.last(), Some(Feature(_))));
    }

    #[test]
    fn exact_code_beats_longer_codes_sharing_the_prefix() {
        let set = hooks(&[
            ("*1", BuiltinFeature::AutoMixMon),
            ("*", BuiltinFeature::Disconnect),
            ("*12", BuiltinFeature::ParkCall),
        ]);
        let mut m = FeatureMatcher::new(set, SECOND);
        assert_eq!(
            m.on_dtmf_end('*', ms(0)),
            vec![Swallow('*'), Feature(hook("*", BuiltinFeature::Disconnect))]
        );
    }

    #[test]
    fn longer_codes_wait_and_the_shorter_exact_one_fires() {
        let set = hooks(&[
            ("*12", BuiltinFeature::ParkCall),
            ("*1", BuiltinFeature::AutoMixMon),
        ]);
        let mut m = FeatureMatcher::new(set, SECOND);
        assert_eq!(
            m.on_dtmf_end('*', ms(0)),
            vec![Swallow('*'), ArmTimer(SECOND)]
        );
        assert_eq!(
            m.on_dtmf_end('1', ms(100)),
            vec![
                Swallow('1'),
                CancelTimer,
                Feature(hook("*1", BuiltinFeature::AutoMixMon))
            ]
        );
    }

    #[test]
    fn codes_match_ignoring_case() {
        let set = hooks(&[("a1", BuiltinFeature::ParkCall)]);
        let mut m = FeatureMatcher::new(set, SECOND);
        assert_eq!(
            m.on_dtmf_end('A', ms(0)),
            vec![Swallow('A'), ArmTimer(SECOND)]
        );
        assert!(matches!(
            m.on_dtmf_end('1', ms(10)).last(),
            Some(Feature(_))
        ));
    }

    #[test]
    fn begin_of_a_non_prefix_digit_while_collecting_is_swallowed() {
        let mut m = FeatureMatcher::new(park(), SECOND);
        press(&mut m, '#', ms(0));
        assert_eq!(m.on_dtmf_begin('9'), vec![Swallow('9')]);
    }

    #[test]
    fn timer_between_begin_and_end_lets_the_end_through_alone() {
        let mut m = FeatureMatcher::new(park(), SECOND);
        press(&mut m, '#', ms(0));
        assert_eq!(m.on_dtmf_begin('9'), vec![Swallow('9')]);
        assert_eq!(m.on_timer(ms(1100)), vec![FlushToPeers("#".into())]);
        assert_eq!(m.on_dtmf_end('9', ms(1150)), vec![PassThroughEnd('9')]);
    }

    #[test]
    fn leaving_the_bridge_flushes() {
        let mut m = FeatureMatcher::new(park(), SECOND);
        press(&mut m, '#', ms(0));
        press(&mut m, '7', ms(300));
        assert_eq!(m.on_leave(), vec![CancelTimer, FlushToPeers("#7".into())]);
        assert_eq!(m.on_leave(), vec![]);
    }

    #[test]
    fn no_hooks_means_everything_passes() {
        let mut m = FeatureMatcher::new(HookSet::new(), SECOND);
        for d in "#72*".chars() {
            assert_eq!(
                press(&mut m, d, ms(0)),
                vec![PassThroughBegin(d), PassThroughEnd(d)]
            );
        }
    }

    #[test]
    fn collection_stops_growing_at_eleven_digits() {
        let set = hooks(&[("12345678901", BuiltinFeature::ParkCall)]);
        let mut m = FeatureMatcher::new(set, SECOND);
        let mut last = Vec::new();
        for (i, d) in "12345678901".chars().enumerate() {
            last = m.on_dtmf_end(d, ms(10 * i as u64));
        }
        assert!(matches!(last.last(), Some(Feature(_))));
    }

    #[test]
    fn stream_timeline_is_100ms_steps() {
        assert_eq!(
            stream_timeline("#7"),
            vec![
                (ms(100), StreamEdge::Begin('#')),
                (ms(200), StreamEdge::End('#')),
                (ms(300), StreamEdge::Begin('7')),
                (ms(400), StreamEdge::End('7')),
                (ms(500), StreamEdge::Done),
            ]
        );
        assert_eq!(stream_timeline(""), vec![(ms(100), StreamEdge::Done)]);
    }

    #[test]
    fn oracle_example_timing() {
        // Real Asterisk 22: SendDTMF(#72w) on the Local ;2 half; ;1 (callee with `k`) received # 29.735-29.835,
        // 7 30.086-30.186, 2 30.437-30.537 and the park started at 30.537/30.538. Times from 29.735.
        let mut m = FeatureMatcher::new(park(), SECOND);
        let mut out = Vec::new();
        for (d, begin) in [('#', 0), ('7', 351), ('2', 702)] {
            out.extend(m.on_dtmf_begin(d));
            out.extend(m.on_dtmf_end(d, ms(begin + 100)));
        }
        assert_eq!(
            out,
            vec![
                Swallow('#'),
                Swallow('#'),
                ArmTimer(ms(1100)),
                Swallow('7'),
                Swallow('7'),
                ArmTimer(ms(1451)),
                Swallow('2'),
                Swallow('2'),
                CancelTimer,
                Feature(hook("#72", BuiltinFeature::ParkCall)),
            ]
        );
    }
}

//! The attended transfer monitor as a pure state machine [main/bridge_basic.c · state_properties, the
//! `*_enter`/`*_exit` functions, wait_for_stimulus].
//!
//! An attended transfer has two bridges: the **transferee bridge** (the original call, the transferee on
//! hold) and the **target bridge** (the transferer with the transfer target). Each state has an *enter*
//! step ([`AtxferState::enter`]) and, unless terminal, an *exit* step that maps a [`Stimulus`] to the next
//! state ([`AtxferState::exit`]); both give [`Effect`]s for the engine to carry out, in order. Timed states
//! wait at most `atxfernoanswertimeout` (or `atxferloopdelay`) from the moment their timer was last reset
//! ([`AtxferState::timer`]).
//!
//! The recall states (the transferer called back after a blond transfer nobody answered) are part of the
//! table; the engine side (dialling the transferer back, the retransfer's Local channel) is
//! `module::transfer::attended::recall`.

use std::time::Duration;

/// The states (`enum attended_transfer_state`), with Asterisk's names.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum AtxferState {
    CallingTarget,
    Hesitant,
    Rebridge,
    Resume,
    Threeway,
    Consulting,
    DoubleChecking,
    Complete,
    Blond,
    BlondNonFinal,
    Recalling,
    WaitToRetransfer,
    Retransfer,
    WaitToRecall,
    Fail,
}

/// What can happen (`enum attended_transfer_stimulus`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Stimulus {
    TransfereeHangup,
    TransfererHangup,
    TransferTargetHangup,
    TransferTargetAnswer,
    RecallTargetHangup,
    RecallTargetAnswer,
    Timeout,
    DtmfAbort,
    DtmfComplete,
    DtmfThreeway,
    DtmfSwap,
}

impl Stimulus {
    /// Asterisk's name (`stimulus_strs`).
    pub fn name(self) -> &'static str {
        match self {
            Stimulus::TransfereeHangup => "Transferee Hangup",
            Stimulus::TransfererHangup => "Transferer Hangup",
            Stimulus::TransferTargetHangup => "Transfer Target Hangup",
            Stimulus::TransferTargetAnswer => "Transfer Target Answer",
            Stimulus::RecallTargetHangup => "Recall Target Hangup",
            Stimulus::RecallTargetAnswer => "Recall Target Answer",
            Stimulus::Timeout => "Timeout",
            Stimulus::DtmfAbort => "DTMF Abort",
            Stimulus::DtmfComplete => "DTMF Complete",
            Stimulus::DtmfThreeway => "DTMF Threeway",
            Stimulus::DtmfSwap => "DTMF Swap",
        }
    }
}

/// Which bridge an effect is about.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Side {
    Transferee,
    Target,
}

/// What the engine does for a state change, in order.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Effect {
    /// The transferer moves into that side's bridge.
    MoveTransferer(Side),
    /// The transferer is put on hold / taken off hold (its peers hear music / stop).
    HoldTransferer,
    UnholdTransferer,
    /// Every channel of that side's bridge is taken off hold / put on hold.
    UnholdBridge(Side),
    HoldBridge(Side),
    /// The transferer hears `xferfailsound`.
    FailSound,
    /// The two bridges become one: the target side's channels join the transferee bridge; with
    /// `kick_transferer` the transferer leaves. `xfersound` to the target (and to the transferer in a
    /// three-way call).
    Merge {
        kick_transferer: bool,
    },
    /// The transfer target hears ringing (a blond transfer: completed before the target answered).
    RingTarget,
    /// The target bridge becomes a normal bridge again (the transferer keeps talking to the target).
    TargetBridgeNormal,
    /// The transfer target is hung up (no answer in time during a recall).
    HangupRecallTarget,
    /// The transferee bridge is destroyed (the transfer failed).
    DestroyTransfereeBridge,
    /// `AttendedTransfer` with `Result: Success` (merge), `DestType: Threeway`, or `Result: Fail`.
    PublishSuccess,
    PublishThreeway,
    PublishFail,
    /// Asterisk's WARNING `Unexpected stimulus '%s' received in attended transfer state '%s'`.
    Unexpected,
}

/// The options of features.conf `[general]` the monitor reads.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct AtxferConfig {
    /// `atxferdropcall`: completing before the target answered drops the transferer (blond, final).
    pub drop_call: DropCall,
    pub no_answer_timeout: Duration,
    pub loop_delay: Duration,
    pub callback_retries: u32,
}

/// `atxferdropcall`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum DropCall {
    /// `no` (default): a blond transfer nobody answers calls the transferer back.
    Recall,
    /// `yes`: the transferer is gone for good.
    Drop,
}

/// The next state and what to do on the way.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Transition {
    pub next: AtxferState,
    pub effects: Vec<Effect>,
}

/// Which timer a timed state waits on.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Timer {
    /// `atxfernoanswertimeout`.
    NoAnswer,
    /// `atxferloopdelay`.
    LoopDelay,
}

impl AtxferState {
    /// Asterisk's name of the state.
    pub fn name(self) -> &'static str {
        match self {
            AtxferState::CallingTarget => "Calling Target",
            AtxferState::Hesitant => "Hesitant",
            AtxferState::Rebridge => "Rebridge",
            AtxferState::Resume => "Resume",
            AtxferState::Threeway => "Threeway",
            AtxferState::Consulting => "Consulting",
            AtxferState::DoubleChecking => "Double Checking",
            AtxferState::Complete => "Complete",
            AtxferState::Blond => "Blond",
            AtxferState::BlondNonFinal => "Blond Non-Final",
            AtxferState::Recalling => "Recalling",
            AtxferState::WaitToRetransfer => "Wait to Retransfer",
            AtxferState::Retransfer => "Retransfer",
            AtxferState::WaitToRecall => "Wait to Recall",
            AtxferState::Fail => "Fail",
        }
    }

    /// A terminal state ends the monitor after its enter step.
    pub fn is_terminal(self) -> bool {
        matches!(
            self,
            AtxferState::Rebridge
                | AtxferState::Resume
                | AtxferState::Threeway
                | AtxferState::Complete
                | AtxferState::Blond
                | AtxferState::Fail
        )
    }

    /// The state's timer, if timed, and whether entering it restarts the timer (`TIMER_RESET`).
    pub fn timer(self) -> Option<(Timer, TimerStart)> {
        use AtxferState::*;
        match self {
            CallingTarget | Recalling | Retransfer => Some((Timer::NoAnswer, TimerStart::Reset)),
            Hesitant | BlondNonFinal => Some((Timer::NoAnswer, TimerStart::Keep)),
            WaitToRetransfer | WaitToRecall => Some((Timer::LoopDelay, TimerStart::Reset)),
            _ => None,
        }
    }

    /// The enter step's effects.
    pub fn enter(self) -> Vec<Effect> {
        use Effect::*;
        match self {
            AtxferState::CallingTarget => vec![MoveTransferer(Side::Target)],
            AtxferState::Hesitant | AtxferState::Rebridge => {
                vec![MoveTransferer(Side::Transferee), UnholdTransferer]
            }
            AtxferState::Threeway => vec![
                Merge {
                    kick_transferer: false,
                },
                PublishThreeway,
            ],
            AtxferState::Complete => vec![
                Merge {
                    kick_transferer: true,
                },
                PublishSuccess,
            ],
            AtxferState::Blond | AtxferState::BlondNonFinal => vec![
                Merge {
                    kick_transferer: true,
                },
                RingTarget,
                PublishSuccess,
            ],
            AtxferState::WaitToRetransfer | AtxferState::WaitToRecall => {
                vec![HoldBridge(Side::Transferee)]
            }
            AtxferState::Fail => vec![DestroyTransfereeBridge],
            AtxferState::Resume
            | AtxferState::Consulting
            | AtxferState::DoubleChecking
            | AtxferState::Recalling
            | AtxferState::Retransfer => Vec::new(),
        }
    }

    /// The exit step: the next state for `stimulus` (`retries` = recall attempts made so far, counted by
    /// the caller when leaving `Recalling` on a timeout or hangup).
    pub fn exit(self, stimulus: Stimulus, cfg: &AtxferConfig, retries: u32) -> Transition {
        use AtxferState::*;
        use Effect::*;
        use Stimulus::*;
        let blond = match cfg.drop_call {
            DropCall::Drop => Blond,
            DropCall::Recall => BlondNonFinal,
        };
        let t = |next: AtxferState, effects: Vec<Effect>| Transition { next, effects };
        let unexpected = || Transition {
            next: self,
            effects: vec![Unexpected],
        };
        match self {
            CallingTarget => match stimulus {
                TransfereeHangup => t(Fail, vec![FailSound, PublishFail]),
                DtmfComplete | TransfererHangup => t(blond, vec![UnholdBridge(Side::Transferee)]),
                TransferTargetAnswer => t(Consulting, vec![]),
                TransferTargetHangup | Timeout | DtmfAbort => t(Rebridge, vec![FailSound]),
                DtmfThreeway => t(Threeway, vec![UnholdBridge(Side::Transferee)]),
                DtmfSwap => t(Hesitant, vec![]),
                _ => unexpected(),
            },
            Hesitant => match stimulus {
                TransfereeHangup => t(Fail, vec![FailSound, PublishFail]),
                DtmfComplete | TransfererHangup => t(blond, vec![]),
                TransferTargetAnswer => t(DoubleChecking, vec![]),
                TransferTargetHangup | Timeout | DtmfAbort => t(Resume, vec![FailSound]),
                DtmfThreeway => t(Threeway, vec![]),
                DtmfSwap => t(CallingTarget, vec![HoldTransferer]),
                _ => unexpected(),
            },
            Consulting => match stimulus {
                TransfereeHangup => t(Fail, vec![TargetBridgeNormal, FailSound]),
                TransfererHangup | DtmfComplete => {
                    t(Complete, vec![UnholdBridge(Side::Transferee)])
                }
                TransferTargetHangup => t(Rebridge, vec![]),
                DtmfAbort => t(Rebridge, vec![FailSound]),
                DtmfThreeway => t(Threeway, vec![UnholdBridge(Side::Transferee)]),
                DtmfSwap => t(
                    DoubleChecking,
                    vec![
                        HoldTransferer,
                        MoveTransferer(Side::Transferee),
                        UnholdTransferer,
                    ],
                ),
                _ => unexpected(),
            },
            DoubleChecking => match stimulus {
                TransfereeHangup => t(Fail, vec![FailSound, PublishFail]),
                TransfererHangup | DtmfComplete => t(Complete, vec![UnholdBridge(Side::Target)]),
                TransferTargetHangup | DtmfAbort => t(Resume, vec![FailSound]),
                DtmfThreeway => t(Threeway, vec![UnholdBridge(Side::Target)]),
                DtmfSwap => t(
                    Consulting,
                    vec![
                        HoldTransferer,
                        MoveTransferer(Side::Target),
                        UnholdTransferer,
                    ],
                ),
                _ => unexpected(),
            },
            BlondNonFinal => match stimulus {
                TransfereeHangup => t(Fail, vec![]),
                RecallTargetAnswer => t(Resume, vec![]),
                Timeout => t(Recalling, vec![HangupRecallTarget]),
                RecallTargetHangup => t(Recalling, vec![]),
                _ => unexpected(),
            },
            Recalling => match stimulus {
                TransfereeHangup => t(Fail, vec![]),
                Timeout | RecallTargetHangup => {
                    if retries + 1 >= cfg.callback_retries {
                        t(Fail, vec![])
                    } else if !cfg.loop_delay.is_zero() {
                        t(WaitToRetransfer, vec![])
                    } else {
                        t(Retransfer, vec![])
                    }
                }
                RecallTargetAnswer => t(Resume, vec![]),
                _ => unexpected(),
            },
            WaitToRetransfer | WaitToRecall => {
                let unhold = vec![UnholdBridge(Side::Transferee)];
                match stimulus {
                    TransfereeHangup => t(Fail, unhold),
                    Timeout if self == WaitToRetransfer => t(Retransfer, unhold),
                    Timeout => t(Recalling, unhold),
                    _ => Transition {
                        next: self,
                        effects: vec![UnholdBridge(Side::Transferee), Unexpected],
                    },
                }
            }
            Retransfer => match stimulus {
                TransfereeHangup => t(Fail, vec![]),
                Timeout | RecallTargetHangup => {
                    let mut effects = Vec::new();
                    if stimulus == Timeout {
                        effects.push(HangupRecallTarget);
                    }
                    if cfg.loop_delay.is_zero() {
                        t(Recalling, effects)
                    } else {
                        t(WaitToRecall, effects)
                    }
                }
                RecallTargetAnswer => t(Resume, vec![]),
                _ => unexpected(),
            },
            Rebridge | Resume | Threeway | Complete | Blond | Fail => unexpected(),
        }
    }
}

/// Whether entering a timed state restarts its timer.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum TimerStart {
    Reset,
    Keep,
}

/// Asterisk's WARNING for a stimulus a state does not expect.
pub fn unexpected_line(stimulus: Stimulus, state: AtxferState) -> String {
    format!(
        "Unexpected stimulus '{}' received in attended transfer state '{}'",
        stimulus.name(),
        state.name()
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use AtxferState::*;
    use Effect::*;
    use Stimulus::*;

    fn cfg(drop_call: DropCall) -> AtxferConfig {
        AtxferConfig {
            drop_call,
            no_answer_timeout: Duration::from_secs(15),
            loop_delay: Duration::from_secs(10),
            callback_retries: 2,
        }
    }

    fn next(s: AtxferState, st: Stimulus) -> AtxferState {
        s.exit(st, &cfg(DropCall::Recall), 0).next
    }

    #[test]
    fn the_usual_path_answers_then_completes_on_transferer_hangup() {
        assert_eq!(CallingTarget.enter(), vec![MoveTransferer(Side::Target)]);
        assert_eq!(next(CallingTarget, TransferTargetAnswer), Consulting);
        let t = Consulting.exit(TransfererHangup, &cfg(DropCall::Recall), 0);
        assert_eq!(t.next, Complete);
        assert_eq!(t.effects, vec![UnholdBridge(Side::Transferee)]);
        assert_eq!(
            Complete.enter(),
            vec![
                Merge {
                    kick_transferer: true
                },
                PublishSuccess
            ]
        );
        assert!(Complete.is_terminal());
        assert_eq!(next(Consulting, DtmfComplete), Complete);
    }

    #[test]
    fn abort_and_timeout_go_back_to_the_transferee_with_the_fail_sound() {
        for st in [DtmfAbort, Timeout, TransferTargetHangup] {
            let t = CallingTarget.exit(st, &cfg(DropCall::Recall), 0);
            assert_eq!(t.next, Rebridge, "{st:?}");
            assert_eq!(t.effects, vec![FailSound]);
        }
        assert_eq!(
            Rebridge.enter(),
            vec![MoveTransferer(Side::Transferee), UnholdTransferer]
        );
        let t = Consulting.exit(DtmfAbort, &cfg(DropCall::Recall), 0);
        assert_eq!((t.next, t.effects), (Rebridge, vec![FailSound]));
        let t = Consulting.exit(TransferTargetHangup, &cfg(DropCall::Recall), 0);
        assert_eq!((t.next, t.effects), (Rebridge, vec![]));
    }

    #[test]
    fn completing_before_the_answer_is_blond() {
        assert_eq!(next(CallingTarget, TransfererHangup), BlondNonFinal);
        let dropped = CallingTarget.exit(DtmfComplete, &cfg(DropCall::Drop), 0);
        assert_eq!(dropped.next, Blond);
        assert!(Blond.enter().contains(&RingTarget));
        assert!(!BlondNonFinal.is_terminal());
    }

    #[test]
    fn transferee_hangup_fails() {
        let t = CallingTarget.exit(TransfereeHangup, &cfg(DropCall::Recall), 0);
        assert_eq!((t.next, t.effects), (Fail, vec![FailSound, PublishFail]));
        assert_eq!(Fail.enter(), vec![DestroyTransfereeBridge]);
        let t = Consulting.exit(TransfereeHangup, &cfg(DropCall::Recall), 0);
        assert_eq!(t.next, Fail);
        assert_eq!(t.effects, vec![TargetBridgeNormal, FailSound]);
    }

    #[test]
    fn swap_toggles_between_the_parties() {
        assert_eq!(next(CallingTarget, DtmfSwap), Hesitant);
        assert_eq!(next(Hesitant, DtmfSwap), CallingTarget);
        assert_eq!(next(Consulting, DtmfSwap), DoubleChecking);
        assert_eq!(next(DoubleChecking, DtmfSwap), Consulting);
        assert_eq!(next(Hesitant, TransferTargetAnswer), DoubleChecking);
        assert_eq!(next(Hesitant, DtmfAbort), Resume);
        assert_eq!(next(DoubleChecking, DtmfComplete), Complete);
    }

    #[test]
    fn threeway_merges_without_kicking() {
        assert_eq!(next(Consulting, DtmfThreeway), Threeway);
        assert_eq!(
            Threeway.enter(),
            vec![
                Merge {
                    kick_transferer: false
                },
                PublishThreeway
            ]
        );
    }

    #[test]
    fn unexpected_stimuli_keep_the_state_and_warn() {
        let t = CallingTarget.exit(RecallTargetAnswer, &cfg(DropCall::Recall), 0);
        assert_eq!((t.next, t.effects), (CallingTarget, vec![Unexpected]));
        assert_eq!(
            unexpected_line(RecallTargetAnswer, CallingTarget),
            "Unexpected stimulus 'Recall Target Answer' received in attended transfer state 'Calling Target'"
        );
        assert_eq!(next(Consulting, Timeout), Consulting);
    }

    #[test]
    fn recall_retries_are_bounded() {
        let c = cfg(DropCall::Recall);
        assert_eq!(Recalling.exit(Timeout, &c, 0).next, WaitToRetransfer);
        assert_eq!(Recalling.exit(Timeout, &c, 1).next, Fail);
        assert_eq!(WaitToRetransfer.exit(Timeout, &c, 0).next, Retransfer);
        assert_eq!(Retransfer.exit(Timeout, &c, 0).next, WaitToRecall);
        assert_eq!(WaitToRecall.exit(Timeout, &c, 0).next, Recalling);
        let no_delay = AtxferConfig {
            loop_delay: Duration::ZERO,
            ..c
        };
        assert_eq!(Recalling.exit(Timeout, &no_delay, 0).next, Retransfer);
        assert_eq!(Retransfer.exit(Timeout, &no_delay, 0).next, Recalling);
    }

    #[test]
    fn blond_non_final_waits_for_the_target_then_recalls() {
        let c = cfg(DropCall::Recall);
        assert_eq!(
            BlondNonFinal.timer(),
            Some((Timer::NoAnswer, TimerStart::Keep))
        );
        let t = BlondNonFinal.exit(Timeout, &c, 0);
        assert_eq!((t.next, t.effects), (Recalling, vec![HangupRecallTarget]));
        let t = BlondNonFinal.exit(RecallTargetHangup, &c, 0);
        assert_eq!((t.next, t.effects), (Recalling, vec![]));
        assert_eq!(BlondNonFinal.exit(RecallTargetAnswer, &c, 0).next, Resume);
        assert_eq!(BlondNonFinal.exit(TransfereeHangup, &c, 0).next, Fail);
        let t = BlondNonFinal.exit(DtmfComplete, &c, 0);
        assert_eq!((t.next, t.effects), (BlondNonFinal, vec![Unexpected]));
    }

    #[test]
    fn recalling_and_retransfer_answers_resume_and_transferee_hangups_fail() {
        let c = cfg(DropCall::Recall);
        for s in [Recalling, Retransfer] {
            assert_eq!(s.exit(RecallTargetAnswer, &c, 0).next, Resume, "{s:?}");
            assert_eq!(s.exit(TransfereeHangup, &c, 0).next, Fail, "{s:?}");
            assert_eq!(s.exit(DtmfSwap, &c, 0).effects, vec![Unexpected], "{s:?}");
            assert_eq!(s.timer(), Some((Timer::NoAnswer, TimerStart::Reset)));
            assert!(s.enter().is_empty());
        }
        assert_eq!(
            Recalling.exit(RecallTargetHangup, &c, 0).next,
            WaitToRetransfer
        );
        let t = Retransfer.exit(Timeout, &c, 0);
        assert_eq!(
            (t.next, t.effects),
            (WaitToRecall, vec![HangupRecallTarget])
        );
        let t = Retransfer.exit(RecallTargetHangup, &c, 0);
        assert_eq!((t.next, t.effects), (WaitToRecall, vec![]));
    }

    #[test]
    fn the_waits_hold_the_transferee_and_unhold_on_any_exit() {
        let c = cfg(DropCall::Recall);
        for s in [WaitToRetransfer, WaitToRecall] {
            assert_eq!(s.enter(), vec![HoldBridge(Side::Transferee)]);
            let t = s.exit(TransfereeHangup, &c, 0);
            assert_eq!(
                (t.next, t.effects),
                (Fail, vec![UnholdBridge(Side::Transferee)])
            );
            let t = s.exit(RecallTargetAnswer, &c, 0);
            assert_eq!(
                (t.next, t.effects),
                (s, vec![UnholdBridge(Side::Transferee), Unexpected])
            );
        }
        assert_eq!(WaitToRetransfer.exit(Timeout, &c, 0).next, Retransfer);
        assert_eq!(WaitToRecall.exit(Timeout, &c, 0).next, Recalling);
    }

    #[test]
    fn timers_follow_the_state_flags() {
        assert_eq!(
            CallingTarget.timer(),
            Some((Timer::NoAnswer, TimerStart::Reset))
        );
        assert_eq!(Hesitant.timer(), Some((Timer::NoAnswer, TimerStart::Keep)));
        assert_eq!(Consulting.timer(), None);
        assert_eq!(
            WaitToRecall.timer(),
            Some((Timer::LoopDelay, TimerStart::Reset))
        );
    }
}

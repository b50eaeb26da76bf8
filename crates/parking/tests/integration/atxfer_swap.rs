//! An attended transfer to the parking extension, completed by the transferer hanging up: the Local
//! channel's `;2` is parked, and when the transfer completes the Local channel optimization swaps the
//! transferee into the lot in `;2`'s place.
//!
//! [main/bridge.c · try_swap_optimize_out, bridge_do_move]: `Move-swap optimizing <;2> <-- <transferee>.`
//! (verbose 4) and `LocalOptimizationBegin` (main/core_local.c · local_optimization_started_cb); the
//! transferee is pulled from its basic bridge (`left`, `BridgeLeave`), then pushed into the lot's bridge
//! with `;2` as the swap channel [main/bridge_channel.c · bridge_channel_internal_push_full]: the parking
//! class's push publishes `ParkedCallSwap` [res/parking/parking_bridge.c · bridge_parking_push], then `;2`
//! is pulled (`left`, the holding technology's leave stops its music, `BridgeLeave`), and only then the
//! transferee's `Channel … swapped with … into …` line and its `BridgeEnter` with `SwapUniqueid`
//! [main/manager_bridges.c · channel_enter_cb]. `LocalOptimizationEnd` follows, with `Success: No`: the
//! callback is given `res == 1`, which is false when the move worked.
//!
//! One exception to the source's order: `ParkedCallSwap` is published ahead of the transferee's
//! `BridgeLeave`. The source publishes it just after (the push follows the pull), but the real run of
//! oracle-example-1 shows the same push's `ParkedCall` ahead of the one-touch parkee's `BridgeLeave`
//! (res_parking's AMI subscription is the shorter path), and the swap goes through the same
//! `bridge_do_move`.

use crate::common;
use common::*;
use dialplan::engine::{PhoneAction, PhoneActionKind, PhoneSpec};
use std::time::Duration;

const EXTENSIONS: &str = "\
[internal]
include => parkedcalls
exten => 300,1,Dial(PJSIP/frank,30,T)
";

const FEATURES: &str = "[general]\n\n[featuremap]\natxfer => *2\n";

const RES_PARKING: &str = "\
[default]
parkext => 700
parkpos => 701-709
context => parkedcalls
";

/// erin calls frank (up at 1 s), presses *2 then 700 (the Local channel's `;2` is parked), hangs up at 10 s.
fn run() -> Vec<dialplan::engine::Event> {
    let sim = build(EXTENSIONS, FEATURES, Some(RES_PARKING));
    let frank = PhoneSpec {
        answer_after: Some(Duration::from_secs(1)),
        media: true,
        ..phone("frank")
    };
    sim.devices(Devices::default().phone("PJSIP/frank", vec![frank]));
    let erin = PhoneSpec {
        hangup_after: Some(Duration::from_secs(10)),
        media: true,
        actions: vec![
            PhoneAction {
                after: Duration::from_secs(2),
                kind: PhoneActionKind::Dtmf("*2".into()),
            },
            PhoneAction {
                after: Duration::from_secs(4),
                kind: PhoneActionKind::Dtmf("700".into()),
            },
        ],
        ..phone("erin")
    };
    let call = Call::new(0, "erin", erin, "300", "internal");
    sim.run(vec![call], vec![], Duration::from_secs(30)).events
}

#[test]
fn the_swap_publishes_in_the_order_of_bridge_do_move() {
    let ev = run();
    let names = ami_names(&ev);
    let begin = names
        .iter()
        .position(|n| n == "LocalOptimizationBegin")
        .expect("LocalOptimizationBegin");
    let end = names
        .iter()
        .position(|n| n == "LocalOptimizationEnd")
        .expect("LocalOptimizationEnd");
    let frank = "PJSIP/frank-00000001";
    let two = "Local/700@internal-00000000;2";
    let expect: Vec<String> = vec![
        "LocalOptimizationBegin".into(),
        format!("ParkedCallSwap {frank}"),
        format!("BridgeLeave {frank}"),
        format!("MusicOnHoldStop {two}"),
        format!("BridgeLeave {two}"),
        format!("BridgeEnter {frank}"),
        format!("VarSet {frank}"),
        format!("MusicOnHoldStart {frank}"),
        "LocalOptimizationEnd".into(),
    ];
    assert_eq!(names[begin..=end].to_vec(), expect);
    let field = |name: &str, key: &str| {
        find_ami(&ev, name, None)
            .and_then(|e| e.fields())
            .and_then(|f| f.get(key).map(|v| v.to_string()))
            .unwrap_or_default()
    };
    let two_uid = ev
        .iter()
        .filter_map(|e| e.fields())
        .find(|f| f.name == "Newchannel" && f.get("Channel") == Some(two))
        .and_then(|f| f.get("Uniqueid").map(|v| v.to_string()))
        .expect(";2's Newchannel");
    assert_eq!(field("LocalOptimizationBegin", "SourceChannel"), frank);
    assert_eq!(field("LocalOptimizationBegin", "DestUniqueId"), two_uid);
    assert_eq!(field("LocalOptimizationBegin", "Id"), "0");
    assert_eq!(field("LocalOptimizationEnd", "Success"), "No");
    let enter = ev
        .iter()
        .filter_map(|e| e.fields())
        .find(|f| {
            f.name == "BridgeEnter"
                && f.get("Channel") == Some(frank)
                && f.get("BridgeType") == Some("parking")
        })
        .expect("frank enters the lot");
    assert_eq!(enter.get("SwapUniqueid"), Some(two_uid.as_str()));
}

#[test]
fn the_swap_prints_the_swapped_with_line_after_the_swapped_out_channel_left() {
    let ev = run();
    let text = console(&ev);
    let lines: Vec<&str> = text
        .lines()
        .skip_while(|l| !l.contains("Move-swap optimizing"))
        .take(5)
        .map(|l| l.split_once("] ").map_or(l, |(_, rest)| rest))
        .collect();
    let bridge_id = |l: &str| l.rsplit_once('<').map(|(_, id)| id.to_string());
    assert_eq!(lines.len(), 5, "{text}");
    assert_eq!(
        lines[0],
        "       > Move-swap optimizing Local/700@internal-00000000;2 <-- PJSIP/frank-00000001."
    );
    assert!(lines[1]
        .starts_with("    -- Channel PJSIP/frank-00000001 left 'simple_bridge' basic-bridge <"));
    assert!(lines[2].starts_with(
        "    -- Channel Local/700@internal-00000000;2 left 'holding_bridge' parking-bridge <"
    ));
    assert_eq!(
        lines[3],
        "    -- Stopped music on hold on Local/700@internal-00000000;2"
    );
    assert!(lines[4].starts_with(
        "    -- Channel PJSIP/frank-00000001 swapped with Local/700@internal-00000000;2 into 'holding_bridge' parking-bridge <"
    ));
    assert_eq!(bridge_id(lines[2]), bridge_id(lines[4]));
    assert!(
        !text.contains("PJSIP/frank-00000001 joined 'holding_bridge'"),
        "{text}"
    );
}

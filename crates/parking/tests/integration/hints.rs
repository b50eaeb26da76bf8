//! `parkinghints` and device state: `park:<space>@<context>` goes InUse when a call is parked there and
//! NotInUse when it leaves; every hint made of such devices sends `ExtensionStatus` when its state changes.

use crate::common;
use common::*;
use dialplan::engine::PhoneSpec;
use std::time::Duration;

const EXTENSIONS: &str = "\
[internal]
include => parkedcalls
exten => 100,1,Park()
exten => 200,1,ParkedCall(default,701)
exten => both,hint,park:701@parkedcalls&park:702@parkedcalls

[gone]
exten => s,1,Hangup()
";

fn status(ev: &[dialplan::engine::Event]) -> Vec<String> {
    ev.iter()
        .filter_map(|e| e.fields())
        .filter(|f| f.name == "ExtensionStatus")
        .map(|f| {
            ["Exten", "Context", "Hint", "Status", "StatusText"]
                .iter()
                .map(|k| f.get(k).unwrap_or_default())
                .collect::<Vec<_>>()
                .join(" ")
        })
        .collect()
}

/// The default lot: spaces 701-702, a 20 s limit, comeback to `gone`, `parkinghints` as given.
fn lot(hints: &str) -> String {
    format!("[default]\nparkext => 700\nparkpos => 701-702\ncontext => parkedcalls\nparkingtime => 20\ncomebacktoorigin => no\ncomebackcontext => gone\nparkinghints => {hints}\n")
}

/// A phone that sends no media (Answer and Park wait the full 500 ms, as a Local half does).
fn silent() -> PhoneSpec {
    PhoneSpec {
        media: false,
        ..PhoneSpec::default()
    }
}

/// A silent phone that hangs up 1 s after its call is answered (a retrieval).
fn retriever() -> PhoneSpec {
    PhoneSpec {
        hangup_after: Some(Duration::from_secs(1)),
        ..silent()
    }
}

fn run(hints: &str) -> Vec<String> {
    let res = lot(hints);
    let sim = build(EXTENSIONS, ORACLE_FEATURES, Some(&res));
    let r = sim.run(
        vec![
            Call::new(0, "a", silent(), "100", "internal"),
            Call::new(1000, "b", silent(), "100", "internal"),
            Call::new(5000, "c", retriever(), "200", "internal"),
        ],
        vec![],
        Duration::from_secs(60),
    );
    status(&r.events)
}

#[test]
fn generated_and_written_hints_follow_the_spaces() {
    assert_eq!(
        run("yes"),
        [
            "701 parkedcalls park:701@parkedcalls 1 InUse",
            "both internal park:701@parkedcalls&park:702@parkedcalls 1 InUse",
            "702 parkedcalls park:702@parkedcalls 1 InUse",
            "701 parkedcalls park:701@parkedcalls 0 Idle",
            "702 parkedcalls park:702@parkedcalls 0 Idle",
            "both internal park:701@parkedcalls&park:702@parkedcalls 0 Idle",
        ]
    );
}

#[test]
fn without_parkinghints_only_written_hints_report() {
    assert_eq!(
        run("no"),
        [
            "both internal park:701@parkedcalls&park:702@parkedcalls 1 InUse",
            "both internal park:701@parkedcalls&park:702@parkedcalls 0 Idle",
        ]
    );
}

/// The hints res_parking adds while loading its configuration exist before it registers the `park`
/// device-state provider [res/res_parking.c · load_module: aco_process_config, then load_parking_devstate];
/// since 22.9 a hint reads its devices once when created [main/extension_state.c ·
/// extension_state_update_sources, extension_state_device_source_alloc] and a device without provider is
/// invalid [main/devicestate.c · _ast_device_state, getproviderstate], so such a hint is Unavailable until its
/// space is first used. The extensions.conf hint, made after res_parking loaded, asked the provider: Idle.
/// The first park still sends InUse, the leaving Idle.
#[test]
fn startup_parking_hints_are_unavailable_until_their_space_is_used() {
    use parking::runtime::devstate::{engine_hints, ExtensionState};
    let res = "[default]\nparkext => 700\nparkpos => 701-702\ncontext => parkedcalls\nparkinghints => yes\n";
    let sim = build(EXTENSIONS, ORACLE_FEATURES, Some(res));
    let parking = sim.parking.clone().expect("res_parking loaded");
    let states = |sim: &Sim| -> Vec<(String, ExtensionState)> {
        engine_hints(&sim.engine)
            .iter()
            .map(|h| (h.exten.clone(), parking.hint_state(h)))
            .collect()
    };
    let mut before = states(&sim);
    before.sort_by(|a, b| a.0.cmp(&b.0));
    assert_eq!(
        before,
        [
            ("701".to_string(), ExtensionState::Unavailable),
            ("702".to_string(), ExtensionState::Unavailable),
            ("both".to_string(), ExtensionState::Idle),
        ]
    );
    let r = sim.run(
        vec![
            Call::new(0, "a", silent(), "100", "internal"),
            Call::new(5000, "c", retriever(), "200", "internal"),
        ],
        vec![],
        Duration::from_secs(10),
    );
    assert_eq!(
        status(&r.events),
        [
            "701 parkedcalls park:701@parkedcalls 1 InUse",
            "both internal park:701@parkedcalls&park:702@parkedcalls 1 InUse",
            "701 parkedcalls park:701@parkedcalls 0 Idle",
            "both internal park:701@parkedcalls&park:702@parkedcalls 0 Idle",
        ]
    );
    let mut after = states(&sim);
    after.sort_by(|a, b| a.0.cmp(&b.0));
    assert_eq!(
        after,
        [
            ("701".to_string(), ExtensionState::Idle),
            ("702".to_string(), ExtensionState::Unavailable),
            ("both".to_string(), ExtensionState::Idle),
        ]
    );
}

/// A dynamic lot cloned from a lot with `parkinghints` gets hints when a channel creates it
/// [res/res_parking.c · create_dynamic_lot_full, parking_lot_cfg_create_extensions]; each new hint starts
/// Unavailable and reads its device from the `park` provider at once (not in use), so the manager sends
/// ExtensionStatus Idle for every space before the park makes its own space InUse
/// [main/extension_state.c · extension_state_alloc, extension_state_update_sources; main/manager.c ·
/// manager_state_cb].
#[test]
fn a_dynamic_lots_hints_report_idle_when_created() {
    let extensions = "\
[internal]
include => parkedcalls
exten => 100,1,Set(PARKINGDYNPOS=751-752)
 same => n,Park(vip)
";
    let res = "[general]\nparkeddynamic => yes\n[default]\nparkext => 700\nparkpos => 701-702\ncontext => parkedcalls\nparkinghints => yes\n";
    let sim = build(extensions, ORACLE_FEATURES, Some(res));
    let r = sim.run(
        vec![Call::new(0, "a", silent(), "100", "internal")],
        vec![],
        Duration::from_secs(5),
    );
    assert_eq!(
        status(&r.events),
        [
            "751 parkedcalls park:751@parkedcalls 0 Idle",
            "752 parkedcalls park:752@parkedcalls 0 Idle",
            "751 parkedcalls park:751@parkedcalls 1 InUse",
        ]
    );
}

/// DEVICE_STATE and EXTENSION_STATE (funcs/func_devstate.c, funcs/func_extstate.c) over parking's
/// devices: main/devicestate.c _ast_device_state answers a `park:` device from the state
/// parking_notify_metermaids published (ast_devstate_changed, cachable, keyed by the exact name); a
/// device never published asks res_parking's provider (parking_devicestate.c metermaidstate), which
/// rejects what `%d@context` does not read (INVALID) and otherwise answers NOT_INUSE. A hint's state is
/// the aggregate of its devices (main/extension_state.c); no hint is UNKNOWN.
#[test]
fn device_and_extension_state_functions_see_the_spaces() {
    const PROBE: &str = "\
exten => 300,1,NoOp(${DEVICE_STATE(park:701@parkedcalls)}|${EXTENSION_STATE(701@parkedcalls)}|${EXTENSION_STATE(both@internal)}|${DEVICE_STATE(park:0701@parkedcalls)}|${DEVICE_STATE(park:x@parkedcalls)}|${DEVICE_STATE(Park:701)}|${EXTENSION_STATE(100@internal)})
";
    let extensions = EXTENSIONS.replace("\n[gone]", &format!("{PROBE}\n[gone]"));
    let sim = build(&extensions, ORACLE_FEATURES, Some(&lot("yes")));
    let r = sim.run(
        vec![
            Call::new(0, "p", silent(), "300", "internal"),
            Call::new(100, "a", silent(), "100", "internal"),
            Call::new(3000, "q", silent(), "300", "internal"),
            Call::new(5000, "c", retriever(), "200", "internal"),
            Call::new(8000, "r", silent(), "300", "internal"),
        ],
        vec![],
        Duration::from_secs(60),
    );
    let probes: Vec<String> = console(&r.events)
        .lines()
        .filter_map(|l| l.split_once("NoOp(\"").map(|(_, rest)| rest.to_string()))
        .filter(|l| l.contains('|'))
        .collect();
    assert_eq!(
        probes,
        [
            "PJSIP/p-00000000\", \"NOT_INUSE|NOT_INUSE|NOT_INUSE|NOT_INUSE|INVALID|INVALID|UNKNOWN\") in new stack",
            "PJSIP/q-00000002\", \"INUSE|INUSE|INUSE|NOT_INUSE|INVALID|INVALID|UNKNOWN\") in new stack",
            "PJSIP/r-00000004\", \"NOT_INUSE|NOT_INUSE|NOT_INUSE|NOT_INUSE|INVALID|INVALID|UNKNOWN\") in new stack",
        ]
    );
}

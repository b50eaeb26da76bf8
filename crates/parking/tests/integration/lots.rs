//! Several lots, the lot a channel uses (`PARKINGLOT`, the Park/ParkedCall argument), dynamic lots
//! (`parkeddynamic`, `PARKINGDYNAMIC`, `PARKINGDYNCONTEXT`, `PARKINGDYNEXTEN`, `PARKINGDYNPOS`) and
//! `PARK_GET_CHANNEL`.

use crate::common;
use common::*;
use dialplan::engine::Event;
use std::time::Duration;

const EXTENSIONS: &str = "\
[internal]
include => parkedcalls
include => salesparking
exten => 600,1,Park()
exten => 601,1,NoOp(701=${PARK_GET_CHANNEL(701,default)} 801=${PARK_GET_CHANNEL(801,sales)})
 same => n,NoOp(empty=${PARK_GET_CHANNEL(702,default)})
 same => n,NoOp(${PARK_GET_CHANNEL(701)}${PARK_GET_CHANNEL(701,nolot)}${PARK_GET_CHANNEL(x,default)})
 same => n,NoOp(dyn=${PARK_GET_CHANNEL(901,vip)})
exten => 602,1,ParkedCall(vip)

[gone]
exten => s,1,Hangup()
";

const TWO_LOTS: &str = "\
[general]
parkeddynamic => yes

[default]
parkext => 700
parkpos => 701-709
context => parkedcalls
parkingtime => 30
comebacktoorigin => no
comebackcontext => gone

[sales]
parkext => 800
parkext_exclusive => yes
parkpos => 801-809
context => salesparking
parkingtime => 10
comebacktoorigin => no
comebackcontext => gone
";

fn call(at_ms: u64, who: &str, exten: &str) -> Call {
    Call::new(at_ms, who, phone(who), exten, "internal")
}

fn logs(ev: &[Event]) -> Vec<String> {
    ev.iter()
        .filter_map(Event::log)
        .map(|l| l.console())
        .collect()
}

fn has(ev: &[Event], text: &str) -> bool {
    logs(ev).iter().any(|l| l.contains(text))
}

#[test]
fn each_lot_has_its_own_spaces_and_timers_and_park_get_channel_finds_them() {
    let sim = build(EXTENSIONS, ORACLE_FEATURES, Some(TWO_LOTS));
    let r = sim.run(
        vec![
            call(0, "a", "600"),
            call(0, "b", "600").var("PARKINGLOT", "sales"),
            // 800 is sales' exclusive Park(sales); a non-exclusive parkext would park into the caller's lot.
            call(0, "c", "800"),
            call(2000, "q", "601"),
        ],
        vec![(3000, "parking show")],
        Duration::from_secs(60),
    );
    let ev = &r.events;
    let parked: Vec<(String, String)> = ev
        .iter()
        .filter_map(|e| e.fields())
        .filter(|f| f.name == "ParkedCall")
        .map(|f| {
            (
                f.get("ParkeeChannel").unwrap_or_default().to_string(),
                format!(
                    "{}/{}",
                    f.get("Parkinglot").unwrap_or_default(),
                    f.get("ParkingSpace").unwrap_or_default()
                ),
            )
        })
        .collect();
    assert!(parked
        .iter()
        .any(|(c, s)| c == "PJSIP/a-00000000" && s.starts_with("default/70")));
    assert!(parked
        .iter()
        .any(|(c, s)| c == "PJSIP/b-00000001" && s.starts_with("sales/80")));
    assert!(parked
        .iter()
        .any(|(c, s)| c == "PJSIP/c-00000002" && s.starts_with("sales/80")));
    // Timers per lot: sales after 10 s, default after 30 s.
    let timeouts: Vec<(u64, String)> = ev
        .iter()
        .filter(|e| e.name() == "ParkedCallTimeOut")
        .filter_map(|e| {
            e.fields()
                .and_then(|f| f.get("Parkinglot"))
                .map(|l| (ms(e.time) / 1000, l.to_string()))
        })
        .collect();
    assert_eq!(
        timeouts,
        [
            (10, "sales".to_string()),
            (10, "sales".to_string()),
            (30, "default".to_string())
        ]
    );
    // PARK_GET_CHANNEL.
    let name701 = parked
        .iter()
        .find(|(_, s)| s == "default/701")
        .map(|(c, _)| c.clone())
        .unwrap_or_default();
    let name801 = parked
        .iter()
        .find(|(_, s)| s == "sales/801")
        .map(|(c, _)| c.clone())
        .unwrap_or_default();
    assert!(has(ev, &format!("\"701={name701} 801={name801}\"")));
    assert!(has(ev, "NoOp(\"PJSIP/q-00000003\", \"empty=\")"));
    let errors: Vec<String> = logs(ev)
        .into_iter()
        .filter(|l| l.starts_with("ERROR"))
        .collect();
    assert_eq!(
        errors,
        [
            "ERROR: parking_bridge_features.c: Usage: PARK_GET_CHANNEL(<parking_space>,<parking_lot>)",
            "ERROR: parking_bridge_features.c: Could not find parking lot: 'nolot'",
            "ERROR: parking_bridge_features.c: value 'x' for parking_space argument is invalid. Must be an integer greater than 0.",
            "ERROR: parking_bridge_features.c: Could not find parking lot: 'vip'",
        ]
    );
    insta::assert_snapshot!(r.cli[0].2);
}

#[test]
fn a_dynamic_lot_is_made_from_the_channel_variables() {
    let sim = build(EXTENSIONS, ORACLE_FEATURES, Some(TWO_LOTS));
    let r = sim.run(
        vec![
            call(0, "a", "600")
                .var("PARKINGLOT", "vip")
                .var("PARKINGDYNAMIC", "sales")
                .var("PARKINGDYNCONTEXT", "vipparking")
                .var("PARKINGDYNEXTEN", "900")
                .var("PARKINGDYNPOS", "901-905"),
            call(1000, "q", "601"),
            call(3000, "r", "602"),
        ],
        vec![
            (2000, "parking show vip"),
            (2000, "dialplan show vipparking"),
        ],
        Duration::from_secs(60),
    );
    let ev = &r.events;
    let p = find_ami(ev, "ParkedCall", Some("PJSIP/a-00000000"))
        .and_then(|e| e.fields())
        .expect("parked in vip");
    assert_eq!(p.get("Parkinglot"), Some("vip"));
    assert_eq!(p.get("ParkingSpace"), Some("901"));
    // The clone keeps the template's limit (sales: 10 s).
    assert_eq!(p.get("ParkingTimeout"), Some("10"));
    assert!(has(ev, "\"dyn=PJSIP/a-00000000\""));
    // ParkedCall(vip) finds it.
    assert!(find_ami(ev, "UnParkedCall", Some("PJSIP/a-00000000")).is_some());
    insta::assert_snapshot!("dynamic_parking_show_vip", r.cli[0].2);
}

#[test]
fn dynamic_lot_errors() {
    let sim = build(EXTENSIONS, ORACLE_FEATURES, Some(TWO_LOTS));
    let r = sim.run(
        vec![
            call(0, "a", "600")
                .var("PARKINGLOT", "x1")
                .var("PARKINGDYNAMIC", "nosuch"),
            call(0, "b", "600")
                .var("PARKINGLOT", "x2")
                .var("PARKINGDYNPOS", "901 - 905"),
            call(0, "c", "600")
                .var("PARKINGLOT", "x3")
                .var("PARKINGDYNPOS", "905-901"),
            // The default lot's extensions are already in parkedcalls: the clone's 700 Park() is shared, but
            // its spaces 701… are taken.
            call(0, "d", "600").var("PARKINGLOT", "x4"),
        ],
        vec![],
        Duration::from_secs(20),
    );
    let errors: Vec<String> = logs(&r.events)
        .into_iter()
        .filter(|l| l.starts_with("ERROR"))
        .collect();
    for expected in [
        "ERROR: res_parking.c: Lot nosuch does not exist. Can not use it as a dynamic parking lot template.",
        "ERROR: parking_applications.c: Could not find parking lot: 'x1'",
        "ERROR: res_parking.c: Invalid parking range 901 - 905 specified in PARKINGDYNPOS: could not parse minimum/maximum parking space range",
        "ERROR: res_parking.c: Invalid parking range 905-901 specified for PARKINGDYNPOS: end parking space must be greater than starting parking space.",
        "ERROR: res_parking.c: Extensions for dynamic parking lot 'x4' could not be registered. Dynamic lot creation failed.",
    ] {
        assert!(errors.iter().any(|e| e == expected), "{expected}\n{errors:#?}");
    }
    assert!(find_ami(&r.events, "ParkedCall", None).is_none());
}

#[test]
fn without_parkeddynamic_an_unknown_lot_fails() {
    let res = TWO_LOTS.replace("parkeddynamic => yes", "");
    let sim = build(EXTENSIONS, ORACLE_FEATURES, Some(&res));
    let r = sim.run(
        vec![call(0, "a", "600").var("PARKINGLOT", "vip")],
        vec![],
        Duration::from_secs(20),
    );
    assert!(has(
        &r.events,
        "ERROR: parking_applications.c: Could not find parking lot: 'vip'"
    ));
    assert!(has(&r.events, "Playing 'pbx-parkingfailed.slin'"));
}

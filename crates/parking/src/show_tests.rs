use super::*;
use crate::load::load;
use crate::testconf::parse;
use dialplan::source::SourceMap;

/// The oracle run's res_parking.conf (real Asterisk 22.10.1, `oracle-example-1`).
const ORACLE_CONF: &str = "[general]

[default]
parkext => 700
parkpos => 701-709
context => parkedcalls
parkingtime => 300
findslot => next
";

/// `parking show`, `parking show default` and the same with the caller parked, as the oracle's CLI printed
/// them (the snapshot harness's own trailing newline removed).
const ORACLE_SHOW: &str = include_str!("../testdata/oracle-parking-show.txt");
const ORACLE_SHOW_DEFAULT: &str = include_str!("../testdata/oracle-parking-show-default.txt");
const ORACLE_SHOW_DEFAULT_PARKED: &str =
    include_str!("../testdata/oracle-parking-show-default-parked.txt");

fn config(text: &str) -> ParkingConfig {
    let mut sources = SourceMap::new();
    let conf = parse(&mut sources, "res_parking.conf", text);
    load(&conf, &sources).config.expect("loads")
}

#[test]
fn parking_show_matches_the_oracle() {
    assert_eq!(config(ORACLE_CONF).show(), ORACLE_SHOW);
}

#[test]
fn parking_show_lot_matches_the_oracle() {
    assert_eq!(
        config(ORACLE_CONF).show_lot("default", &[]),
        ORACLE_SHOW_DEFAULT
    );
}

#[test]
fn parking_show_lot_with_a_parked_call_matches_the_oracle() {
    let calls = [ParkedCallView {
        space: 701,
        channel: "Local/5555001@from-outside-00000000;2",
        parker_dial_string: "Local/alice@parking-example",
    }];
    assert_eq!(
        config(ORACLE_CONF).show_lot("default", &calls),
        ORACLE_SHOW_DEFAULT_PARKED
    );
}

#[test]
fn unknown_lot() {
    assert_eq!(
        config(ORACLE_CONF).show_lot("sales", &[]),
        "\nCould not find parking lot 'sales'\n\n"
    );
}

#[test]
fn several_lots_in_name_order_with_calls_sorted() {
    let cfg = config(
        "[general]
parkeddynamic = yes
[sales]
parkext => 800
parkpos => 801-820
context => sales-park
comebacktoorigin = no
comebackcontext = sales-timeout
comebackdialtime = 20
parkedmusicclass = jazz
parkingtime = 0
[default]
parkext => 700
[Annex]
",
    );
    insta::assert_snapshot!("several_lots", cfg.show());
    let calls = [
        ParkedCallView {
            space: 803,
            channel: "PJSIP/bob-00000003",
            parker_dial_string: "PJSIP/carol",
        },
        ParkedCallView {
            space: 801,
            channel: "PJSIP/outside-00000000",
            parker_dial_string: "PJSIP/alice",
        },
    ];
    insta::assert_snapshot!("sales_with_calls", cfg.show_lot("sales", &calls));
}

#[test]
fn disabled_and_dynamic_lots() {
    let cfg = config(ORACLE_CONF);
    let lot = cfg.lot("default").expect("default");
    let text = show_all(
        true,
        [LotView {
            config: lot,
            mode: LotMode::Disabled,
        }],
    );
    assert!(text.contains("Dynamic Parking     :  yes\n"));
    assert!(text.contains("Enabled             :  no\nDynamic             :  no\n"));
    let text = show_lot(
        Some(LotView {
            config: lot,
            mode: LotMode::Dynamic,
        }),
        "default",
        &[],
    );
    assert!(text.contains("Enabled             :  yes\nDynamic             :  yes\n"));
}

#[test]
fn without_res_parking_the_command_does_not_exist() {
    assert_eq!(
        PARKING_SHOW_UNAVAILABLE,
        "No such command 'parking show' (type 'core show help parking show' for other possible commands)\n"
    );
    assert_eq!(
        parking_show_unavailable("parking show default"),
        "No such command 'parking show default' (type 'core show help parking show' for other possible commands)\n"
    );
}

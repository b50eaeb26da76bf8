//! A second client nobody here wrote: the Rust crate `asterisk-rs-ami` (it logs in with an MD5 challenge)
//! pings, runs a CLI command, originates the page's first example, sees `ParkedCall` at space 701 and
//! disconnects.

use asterisk_rs_ami::action::{CoreSettingsAction, OriginateAction};
use asterisk_rs_ami::{AmiClient, AmiEvent};
use dialplan::conf::DirSource;
use dialsim::config::LoadedConfig;
use dialsim::scenario::{Origin, Scenario};
use dialsim::serve::config::ManagerConf;
use dialsim::serve::{ServeSetup, Server};
use std::path::PathBuf;
use std::time::Duration;

#[test]
fn asterisk_rs_ami_drives_dialsim() {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("dialplan-examples/ami");
    let source = DirSource { dir };
    let server = Server::start(ServeSetup {
        config: LoadedConfig::load(&source),
        scenario: Scenario::empty(Origin::new("<test>", "")),
        manager: ManagerConf::load(&source, "unused"),
        addr: "127.0.0.1:0".parse().unwrap(),
        speed: 5.0,
    })
    .unwrap();
    let port = server.addr().port();
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    rt.block_on(async move {
        let client = AmiClient::builder()
            .host("127.0.0.1")
            .port(port)
            .credentials("dialsim", "dialsim")
            .build()
            .await
            .unwrap();
        let pong = client.ping().await.unwrap();
        assert!(pong.success);
        let settings = client.send_action(&CoreSettingsAction).await.unwrap();
        assert_eq!(
            settings.headers.get("AsteriskVersion").map(String::as_str),
            Some("22.10.1")
        );
        let out = client
            .command("dialplan show 701@parkedcalls")
            .await
            .unwrap();
        assert!(out.success, "{out:?}");
        let mut parked = client.subscribe_filtered(|e| e.event_name() == "ParkedCall");
        let reply = client
            .originate(
                OriginateAction::new("Local/5555001@from-outside/n")
                    .application("Wait")
                    .data("600")
                    .caller_id("\"Outside Caller\" <5550100>")
                    .async_originate(true),
            )
            .await
            .unwrap();
        assert!(reply.success, "{reply:?}");
        let event = tokio::time::timeout(Duration::from_secs(30), parked.recv())
            .await
            .expect("no ParkedCall within 30 s")
            .expect("event stream closed");
        match event {
            // The crate reads `channel` from a `Channel:` header; Asterisk 22's ParkedCall has none (the
            // parked channel is `ParkeeChannel:`), so that field stays empty against real Asterisk too.
            AmiEvent::ParkedCall {
                parking_space,
                parking_lot,
                ..
            } => {
                assert_eq!(parking_space, 701);
                assert_eq!(parking_lot, "default");
            }
            other => panic!("unexpected event {other:?}"),
        }
        client.disconnect().await.unwrap();
    });
    server.stop();
}

//! A client nobody here wrote: the Python library panoramisk drives `dialsim serve` on the ami example —
//! log in, originate the page's first example, receive `ParkedCall` at space 701, `Redirect` the parked call
//! out of the lot (the lot answers `ParkedCallGiveUp`), log off.
//!
//! Python comes from `DIALSIM_PYTHON` (`.ci/run` points it at a virtual environment with panoramisk), else
//! a virtual environment is made in the target folder with `python3 -m venv` and panoramisk installed with
//! pip. Skipped, with a message saying so, only when no Python is found.

use dialplan::conf::DirSource;
use dialsim::config::LoadedConfig;
use dialsim::scenario::{Origin, Scenario};
use dialsim::serve::config::ManagerConf;
use dialsim::serve::{ServeSetup, Server};
use std::path::PathBuf;
use std::process::Command;

const SCRIPT: &str = r#"
import asyncio, sys
from panoramisk import Manager

async def main(port):
    manager = Manager(host='127.0.0.1', port=port, username='dialsim', secret='dialsim', ping_delay=0)
    parked = asyncio.get_running_loop().create_future()
    gave_up = asyncio.get_running_loop().create_future()

    def on_parked(mgr, msg):
        if not parked.done():
            parked.set_result(msg)

    def on_gave_up(mgr, msg):
        if not gave_up.done():
            gave_up.set_result(msg)

    manager.register_event('ParkedCall', on_parked)
    manager.register_event('ParkedCallGiveUp', on_gave_up)
    await manager.connect()
    reply = await manager.send_action({
        'Action': 'Originate',
        'Channel': 'Local/5555001@from-outside/n',
        'Application': 'Wait',
        'Data': '600',
        'CallerID': '"Outside Caller" <5550100>',
        'Async': 'true',
    })
    print('originate', [dict(m).get('Response') for m in (reply if isinstance(reply, list) else [reply])])
    msg = await asyncio.wait_for(parked, 30)
    print('parked', msg.ParkingSpace, msg.ParkeeChannel)
    moved = await manager.send_action({
        'Action': 'Redirect',
        'Channel': msg.ParkeeChannel,
        'Context': 'operator',
        'Exten': '600',
        'Priority': '1',
    })
    print('redirect', moved.Response, moved.Message)
    left = await asyncio.wait_for(gave_up, 30)
    print('left the lot', left.ParkingSpace, left.ParkeeChannel)
    pong = await manager.send_action({'Action': 'Ping'})
    print('ping', pong.Ping)
    bye = await manager.send_action({'Action': 'Logoff'})
    print('logoff', bye.Response)
    manager.close()

asyncio.run(main(int(sys.argv[1])))
"#;

fn python() -> Option<PathBuf> {
    if let Ok(p) = std::env::var("DIALSIM_PYTHON") {
        return Some(PathBuf::from(p));
    }
    let found = Command::new("python3").arg("--version").output().is_ok();
    if !found {
        return None;
    }
    let venv = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("panoramisk-venv");
    let py = venv.join("bin/python");
    if !py.exists() {
        let ok = Command::new("python3")
            .args(["-m", "venv"])
            .arg(&venv)
            .status()
            .is_ok_and(|s| s.success());
        assert!(ok, "python3 -m venv failed");
    }
    let has = Command::new(&py)
        .args(["-c", "import panoramisk"])
        .status()
        .is_ok_and(|s| s.success());
    if !has {
        let ok = Command::new(&py)
            .args(["-m", "pip", "install", "-q", "panoramisk"])
            .status()
            .is_ok_and(|s| s.success());
        assert!(ok, "pip install panoramisk failed");
    }
    Some(py)
}

#[test]
fn panoramisk_logs_in_originates_sees_the_call_parked_at_701_redirects_it_and_logs_off() {
    let Some(py) = python() else {
        eprintln!("SKIPPED: no python3 on this machine, so the panoramisk client test cannot run");
        return;
    };
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("dialplan-examples/ami");
    let source = DirSource { dir };
    let manager = ManagerConf::load(&source, "unused");
    let server = Server::start(ServeSetup {
        config: LoadedConfig::load(&source),
        scenario: Scenario::empty(Origin::new("<test>", "")),
        manager,
        addr: "127.0.0.1:0".parse().unwrap(),
        speed: 5.0,
    })
    .unwrap();
    let out = Command::new(py)
        .args(["-c", SCRIPT, &server.addr().port().to_string()])
        .output()
        .unwrap();
    server.stop();
    let stdout = String::from_utf8_lossy(&out.stdout);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "{stdout}\n{stderr}");
    assert!(
        stdout.contains("parked 701 Local/5555001@from-outside-00000000;2"),
        "{stdout}"
    );
    assert!(
        stdout.contains("redirect Success Redirect successful"),
        "{stdout}"
    );
    assert!(
        stdout.contains("left the lot 701 Local/5555001@from-outside-00000000;2"),
        "{stdout}"
    );
    assert!(stdout.contains("ping Pong"), "{stdout}");
    assert!(stdout.contains("logoff Goodbye"), "{stdout}");
}

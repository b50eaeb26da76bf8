//! `dialsim serve` over real sockets: the greeting, login rules, every session-level action and error,
//! the AMI actions through the server, the frame limits, malformed input (proptest), and a load test.

use dialplan::conf::DirSource;
use dialsim::config::LoadedConfig;
use dialsim::scenario::{Origin, Scenario};
use dialsim::serve::config::ManagerConf;
use dialsim::serve::session::md5_hex;
use dialsim::serve::{ServeSetup, Server};
use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::path::PathBuf;
use std::time::{Duration, Instant};

const MANAGER: &str = "[general]\nenabled = yes\nauthlimit = 2000\n\n\
[admin]\nsecret = s3cret\nread = all\nwrite = all\n\n\
[watcher]\nsecret = w\nread = call\nwrite = none\n\n\
[nobody]\nsecret = n\nread = all\nwrite = all\ndeny = 0.0.0.0/0.0.0.0\n";

fn example_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("dialplan-examples/ami")
}

fn start(speed: f64) -> Server {
    start_in(example_dir(), speed)
}

fn start_in(dir: PathBuf, speed: f64) -> Server {
    let source = DirSource { dir };
    let manager = ManagerConf::load(
        &dialplan::conf::MemorySource::new().with("manager.conf", MANAGER),
        "unused",
    );
    Server::start(ServeSetup {
        config: LoadedConfig::load(&source),
        scenario: Scenario::empty(Origin::new("<test>", "")),
        manager,
        addr: "127.0.0.1:0".parse().unwrap(),
        speed,
    })
    .unwrap()
}

struct Client {
    r: BufReader<TcpStream>,
    w: TcpStream,
}

impl Client {
    fn connect(server: &Server) -> Client {
        let s = TcpStream::connect(server.addr()).unwrap();
        s.set_read_timeout(Some(Duration::from_secs(20))).unwrap();
        let w = s.try_clone().unwrap();
        let mut c = Client {
            r: BufReader::new(s),
            w,
        };
        let mut greeting = String::new();
        c.r.read_line(&mut greeting).unwrap();
        assert_eq!(greeting, "Asterisk Call Manager/11.0.0\r\n");
        c
    }

    fn send(&mut self, headers: &[(&str, &str)]) {
        let mut text = String::new();
        for (k, v) in headers {
            text.push_str(&format!("{k}: {v}\r\n"));
        }
        text.push_str("\r\n");
        self.w.write_all(text.as_bytes()).unwrap();
    }

    /// The next block, as text with LF line ends; `None` at end of stream.
    fn block(&mut self) -> Option<String> {
        let mut out = String::new();
        loop {
            let mut line = String::new();
            if self.r.read_line(&mut line).ok()? == 0 {
                return None;
            }
            if line == "\r\n" {
                if out.is_empty() {
                    continue;
                }
                return Some(out);
            }
            out.push_str(line.trim_end_matches("\r\n"));
            out.push('\n');
        }
    }

    /// The next block that is not an event.
    fn response(&mut self) -> String {
        loop {
            let b = self.block().expect("connection closed");
            if !b.starts_with("Event:") {
                return b;
            }
        }
    }

    /// Waits for an event named `name`.
    fn event(&mut self, name: &str) -> String {
        let want = format!("Event: {name}\n");
        loop {
            let b = self.block().expect("connection closed");
            if b.starts_with(&want) {
                return b;
            }
        }
    }

    fn login(&mut self, user: &str, secret: &str) -> String {
        self.send(&[("Action", "Login"), ("Username", user), ("Secret", secret)]);
        self.response()
    }

    /// Logs in as `admin`, asking for the event classes `events` (`off` for none).
    fn login_admin(&mut self, events: &str) -> String {
        self.send(&[
            ("Action", "Login"),
            ("Username", "admin"),
            ("Secret", "s3cret"),
            ("Events", events),
        ]);
        self.response()
    }

    fn closed(&mut self) -> bool {
        let mut rest = Vec::new();
        self.r.read_to_end(&mut rest).is_ok()
    }
}

#[test]
fn nothing_runs_before_login_and_errors_are_asterisks() {
    let server = start(1.0);
    let mut c = Client::connect(&server);
    c.send(&[("Action", "Ping"), ("ActionID", "p1")]);
    assert_eq!(
        c.response(),
        "Response: Error\nActionID: p1\nMessage: Permission denied\n"
    );
    c.send(&[("ActionID", "x")]);
    assert_eq!(
        c.response(),
        "Response: Error\nActionID: x\nMessage: Missing action in request\n"
    );
    c.send(&[("Action", "Challenge"), ("AuthType", "plain")]);
    assert_eq!(
        c.response(),
        "Response: Error\nMessage: Must specify AuthType\n"
    );
    assert_eq!(
        c.login("admin", "s3cret"),
        "Response: Success\nMessage: Authentication accepted\n"
    );
    assert_eq!(
        c.block().unwrap(),
        "Event: FullyBooted\nPrivilege: system,all\nUptime: 0\nLastReload: 0\nStatus: Fully Booted\n"
    );
    c.send(&[
        ("Action", "Login"),
        ("Username", "admin"),
        ("Secret", "s3cret"),
        ("ActionID", "again"),
    ]);
    assert_eq!(
        c.response(),
        "Response: Success\nActionID: again\nMessage: Already authenticated\n"
    );
    c.send(&[("Action", "Frobnicate")]);
    assert_eq!(
        c.response(),
        "Response: Error\nMessage: Invalid/unknown command: Frobnicate. Use Action: ListCommands to show available commands.\n"
    );
    c.send(&[("Action", "Ping"), ("ActionID", "42")]);
    let pong = c.response();
    assert!(
        pong.starts_with("Response: Success\nActionID: 42\nPing: Pong\nTimestamp: "),
        "{pong}"
    );
    c.send(&[("Action", "Events"), ("EventMask", "off")]);
    assert_eq!(c.response(), "Response: Success\nEvents: Off\n");
    c.send(&[("Action", "Events"), ("EventMask", "call,dtmf")]);
    assert_eq!(c.response(), "Response: Success\nEvents: On\n");
    c.send(&[("Action", "Events"), ("EventMask", "")]);
    assert_eq!(
        c.response(),
        "Response: Error\nMessage: Invalid event mask\n"
    );
    c.send(&[("Action", "Logoff"), ("ActionID", "bye")]);
    assert_eq!(
        c.response(),
        "Response: Goodbye\nActionID: bye\nMessage: Thanks for all the fish.\n"
    );
    assert!(c.closed());
    server.stop();
}

#[test]
fn failed_logins_are_delayed_and_close_the_session() {
    let server = start(1.0);
    for (user, secret) in [
        ("admin", "wrong"),
        ("ghost", "x"),
        ("nobody", "n"),
        ("", ""),
    ] {
        let mut c = Client::connect(&server);
        let t = Instant::now();
        assert_eq!(
            c.login(user, secret),
            "Response: Error\nMessage: Authentication failed\n"
        );
        assert!(
            t.elapsed() >= Duration::from_millis(900),
            "{user}: answered too soon"
        );
        assert!(c.closed());
    }
    server.stop();
}

#[test]
fn md5_challenge_login() {
    let server = start(1.0);
    let mut c = Client::connect(&server);
    c.send(&[
        ("Action", "Challenge"),
        ("AuthType", "MD5"),
        ("ActionID", "c"),
    ]);
    let r = c.response();
    let challenge = r
        .lines()
        .find_map(|l| l.strip_prefix("Challenge: "))
        .unwrap()
        .to_string();
    assert!(r.starts_with("Response: Success\nActionID: c\nChallenge: "));
    let key = md5_hex(&challenge, "s3cret");
    c.send(&[
        ("Action", "Login"),
        ("AuthType", "MD5"),
        ("Username", "admin"),
        ("Key", &key),
    ]);
    assert_eq!(
        c.response(),
        "Response: Success\nMessage: Authentication accepted\n"
    );
    server.stop();
}

#[test]
fn write_classes_guard_actions_and_read_classes_filter_events() {
    let server = start(20.0);
    let mut w = Client::connect(&server);
    assert_eq!(
        w.login("watcher", "w"),
        "Response: Success\nMessage: Authentication accepted\n"
    );
    // No `system` read class: no FullyBooted. No `originate` write class: refused.
    w.send(&[
        ("Action", "Originate"),
        ("Channel", "Local/5555001@from-outside/n"),
    ]);
    assert_eq!(
        w.response(),
        "Response: Error\nMessage: Permission denied\n"
    );
    let mut a = Client::connect(&server);
    a.login("admin", "s3cret");
    a.send(&[
        ("Action", "Originate"),
        ("Channel", "Local/5555001@from-outside/n"),
        ("Application", "Wait"),
        ("Data", "600"),
        ("CallerID", "\"Outside Caller\" <5550100>"),
        ("Async", "true"),
        ("ActionID", "o1"),
    ]);
    assert_eq!(
        a.response(),
        "Response: Success\nActionID: o1\nMessage: Originate successfully queued\n"
    );
    let parked = w.event("ParkedCall");
    assert!(parked.contains("\nParkingSpace: 701\n"), "{parked}");
    // The watcher reads `call` only: it never sees a `dialplan` event such as Newexten.
    let mut seen = Vec::new();
    let resp = a.event("OriginateResponse");
    assert!(resp.contains("ActionID: o1\nResponse: Success\n"), "{resp}");
    w.w.set_read_timeout(Some(Duration::from_millis(500)))
        .unwrap();
    while let Some(b) = w.block() {
        seen.push(b);
    }
    assert!(
        seen.iter().all(|b| b.contains("Privilege: call,all")),
        "{seen:?}"
    );
    server.stop();
}

#[test]
fn park_of_a_channel_running_dialplan_yanks_it_into_the_lot() {
    let server = start(20.0);
    let mut c = Client::connect(&server);
    c.login("admin", "s3cret");
    // ;2 runs operator,600 (Answer, Wait(60)), in no bridge; ;1 runs Wait.
    c.send(&[
        ("Action", "Originate"),
        ("Channel", "Local/600@operator/n"),
        ("Application", "Wait"),
        ("Data", "600"),
        ("Async", "true"),
    ]);
    assert!(c.response().starts_with("Response: Success\n"));
    c.event("OriginateResponse");
    c.send(&[
        ("Action", "Park"),
        ("Channel", "Local/600@operator-00000000;2"),
        ("ActionID", "p"),
    ]);
    let mut blocks = Vec::new();
    loop {
        let b = c.block().expect("connection closed");
        let done = b.starts_with("Event: Hangup\n") && b.contains("\nChannel: Surrogate/");
        blocks.push(b);
        if done {
            break;
        }
    }
    let at = |head: &str, chan: &str| {
        blocks
            .iter()
            .position(|b| b.starts_with(head) && b.contains(chan))
            .unwrap_or_else(|| panic!("no {head} {chan} in {blocks:#?}"))
    };
    let surrogate = at(
        "Event: Newchannel\n",
        "\nChannel: Surrogate/Local/600@operator-00000000;2\n",
    );
    let parked = at(
        "Event: ParkedCall\n",
        "\nParkeeChannel: Local/600@operator-00000000;2\n",
    );
    let reply = at(
        "Response: Success\nActionID: p\n",
        "Message: Park successful",
    );
    let gone = at(
        "Event: Hangup\n",
        "\nChannel: Surrogate/Local/600@operator-00000000;2\n",
    );
    assert!(surrogate < parked && parked < gone, "{blocks:#?}");
    // Asterisk's message text ends with its own LF, before the line's CRLF.
    assert!(
        blocks[reply].ends_with("Message: Park successful\n\n"),
        "{}",
        blocks[reply]
    );
    assert!(
        blocks[parked].contains("\nParkingSpace: 701\n"),
        "{}",
        blocks[parked]
    );
    // The Local pair is whole again: ;1 is still up behind the parked ;2.
    c.send(&[("Action", "ParkedCalls"), ("ActionID", "l")]);
    let list = list(&mut c, "ParkedCallsComplete");
    assert!(
        list.iter()
            .any(|b| b.contains("ParkeeChannel: Local/600@operator-00000000;2\n")),
        "{list:#?}"
    );
    server.stop();
}

#[test]
fn originate_errors() {
    let server = start(1.0);
    let mut c = Client::connect(&server);
    c.login("admin", "s3cret");
    c.block();
    for (headers, message) in [
        (vec![("Action", "Originate")], "Channel not specified"),
        (
            vec![("Action", "Originate"), ("Channel", "nonsense")],
            "Invalid channel",
        ),
        (
            vec![
                ("Action", "Originate"),
                ("Channel", "Local/1@x"),
                ("Priority", "one"),
            ],
            "Invalid priority",
        ),
        (
            vec![
                ("Action", "Originate"),
                ("Channel", "Local/1@x"),
                ("Timeout", "soon"),
            ],
            "Invalid timeout",
        ),
        (
            vec![
                ("Action", "Originate"),
                ("Channel", "Local/1@x"),
                ("Exten", "600"),
            ],
            "Originate with 'Exten' requires 'Context' and 'Priority'",
        ),
        (
            vec![
                ("Action", "Originate"),
                ("Channel", "Local/1@x"),
                ("Context", "nowhere"),
                ("Exten", "1"),
                ("Priority", "1"),
            ],
            "Extension does not exist.",
        ),
    ] {
        c.send(&headers);
        assert_eq!(
            c.response(),
            format!("Response: Error\nMessage: {message}\n")
        );
    }
    server.stop();
}

#[test]
fn oversized_frames_close_the_session_with_an_error() {
    let server = start(1.0);
    let mut c = Client::connect(&server);
    let mut big = String::from("Action: Ping\r\nX: ");
    big.push_str(&"a".repeat(70 * 1024));
    big.push_str("\r\n\r\n");
    let _ = c.w.write_all(big.as_bytes());
    let r = c.response();
    assert!(
        r.starts_with("Response: Error\nMessage: Frame too large"),
        "{r}"
    );
    assert!(c.closed());

    let mut c = Client::connect(&server);
    let mut many = String::new();
    for i in 0..600 {
        many.push_str(&format!("H{i}: v\r\n"));
    }
    many.push_str("\r\n");
    let _ = c.w.write_all(many.as_bytes());
    let r = c.response();
    assert!(
        r.starts_with("Response: Error\nMessage: Too many headers"),
        "{r}"
    );
    assert!(c.closed());
    // The server is unharmed.
    let mut c = Client::connect(&server);
    assert!(c.login("admin", "s3cret").contains("accepted"));
    server.stop();
}

#[test]
fn a_client_that_vanishes_mid_action_harms_nobody() {
    let server = start(20.0);
    {
        let mut gone = Client::connect(&server);
        gone.login("admin", "s3cret");
        gone.send(&[
            ("Action", "Originate"),
            ("Channel", "Local/5555001@from-outside/n"),
            ("Application", "Wait"),
            ("Data", "5"),
        ]);
        // Dropped while the synchronous Originate waits for the answer.
    }
    let mut c = Client::connect(&server);
    c.login("admin", "s3cret");
    c.send(&[("Action", "Ping"), ("ActionID", "still")]);
    assert!(c.response().contains("ActionID: still\nPing: Pong"));
    server.stop();
}

mod fuzz {
    use super::*;
    use proptest::prelude::*;

    proptest! {
        #![proptest_config(ProptestConfig { cases: 48, ..ProptestConfig::default() })]

        /// Whatever bytes arrive, the server answers or closes that session, and keeps serving others.
        #[test]
        fn malformed_frames_never_hurt_the_server(
            chunks in proptest::collection::vec(
                prop_oneof![
                    proptest::collection::vec(any::<u8>(), 0..200),
                    Just(b"Action: Login\r\nUsername: admin\r\nSecret: s3cret\r\n\r\n".to_vec()),
                    Just(b"Action: Ping\r\n\r\n".to_vec()),
                    Just(b"\r\n\r\n".to_vec()),
                    Just(b":::\r\nAction:\r\n\r\n".to_vec()),
                    Just(vec![b'x'; 70_000]),
                ],
                1..6,
            )
        ) {
            let server = SERVER.with(|s| s.addr());
            let mut s = TcpStream::connect(server).unwrap();
            s.set_read_timeout(Some(Duration::from_millis(200))).unwrap();
            for c in &chunks {
                if s.write_all(c).is_err() {
                    break;
                }
            }
            drop(s);
            let mut ok = TcpStream::connect(server).unwrap();
            ok.set_read_timeout(Some(Duration::from_secs(10))).unwrap();
            ok.write_all(b"Action: Login\r\nUsername: admin\r\nSecret: s3cret\r\n\r\n").unwrap();
            let mut buf = [0u8; 256];
            let mut got = Vec::new();
            while !String::from_utf8_lossy(&got).contains("Authentication accepted") {
                let n = ok.read(&mut buf).unwrap();
                prop_assert!(n > 0);
                got.extend_from_slice(&buf[..n]);
            }
        }
    }

    thread_local! {
        static SERVER: Server = start(1.0);
    }
}

/// 1,000 sessions at once, 10,000 actions, and every subscribed session gets the same events in order.
#[test]
fn load_1000_sessions_10000_actions_events_in_order() {
    let server = start(50.0);
    let addr = server.addr();
    let mut handles = Vec::new();
    let (ready_tx, ready_rx) = std::sync::mpsc::channel();
    let go = std::sync::Arc::new(std::sync::Barrier::new(1001));
    for i in 0..1000 {
        let ready = ready_tx.clone();
        let go = go.clone();
        handles.push(
            std::thread::Builder::new()
                .stack_size(128 * 1024)
                .spawn(move || {
                    let s = TcpStream::connect(addr).unwrap();
                    s.set_read_timeout(Some(Duration::from_secs(60))).unwrap();
                    let mut w = s.try_clone().unwrap();
                    let mut r = BufReader::new(s);
                    let subscribed = i % 10 == 0;
                    let events = if subscribed { "call" } else { "off" };
                    w.write_all(
                        format!("Action: Login\r\nUsername: admin\r\nSecret: s3cret\r\nEvents: {events}\r\n\r\n").as_bytes(),
                    )
                    .unwrap();
                    // Ready only once the login is answered: a session the server has not logged in yet
                    // when the calls start (1,000 logins on a busy machine) would miss their first events.
                    let mut answer = String::new();
                    while r.read_line(&mut answer).unwrap_or(0) > 0 && !answer.ends_with("\r\n\r\n") {}
                    assert!(answer.contains("Response: Success"), "{answer}");
                    let mut text = String::new();
                    ready.send(()).unwrap();
                    go.wait();
                    for n in 0..10 {
                        w.write_all(format!("Action: Ping\r\nActionID: {i}-{n}\r\n\r\n").as_bytes())
                            .unwrap();
                    }
                    // Read until the 10 pongs are in, then (subscribed sessions) until the calls end.
                    let mut pongs = 0;
                    let mut parked = Vec::new();
                    let mut line = String::new();
                    let mut block = String::new();
                    loop {
                        line.clear();
                        if r.read_line(&mut line).unwrap_or(0) == 0 {
                            break;
                        }
                        if line == "\r\n" {
                            if block.contains("Ping: Pong") {
                                pongs += 1;
                            }
                            if block.starts_with("Event: ") {
                                let name = block.lines().next().unwrap_or("").to_string();
                                let chan = block
                                    .lines()
                                    .find(|l| l.starts_with("Channel: ") || l.starts_with("ParkeeChannel: "))
                                    .unwrap_or("")
                                    .to_string();
                                text.push_str(&format!("{name} {chan}\n"));
                                if name == "Event: ParkedCall" {
                                    parked.push(chan);
                                }
                            }
                            block.clear();
                            if pongs == 10 && (!subscribed || parked.len() == 5) {
                                break;
                            }
                            continue;
                        }
                        block.push_str(&line);
                    }
                    (pongs, subscribed, text)
                })
                .unwrap(),
        );
    }
    for _ in 0..1000 {
        ready_rx.recv().unwrap();
    }
    // Let every login land, then everyone acts at once while 5 calls run.
    std::thread::sleep(Duration::from_millis(500));
    let mut a = Client::connect(&server);
    a.login("admin", "s3cret");
    go.wait();
    for k in 0..5 {
        a.send(&[
            ("Action", "Originate"),
            ("Channel", "Local/5555001@from-outside/n"),
            ("Application", "Wait"),
            ("Data", "600"),
            ("Async", "true"),
            ("ActionID", &format!("load{k}")),
        ]);
    }
    let results: Vec<_> = handles.into_iter().map(|h| h.join().unwrap()).collect();
    assert!(
        results.iter().all(|(p, _, _)| *p == 10),
        "every session got its 10 pongs"
    );
    let subscribed: Vec<&String> = results
        .iter()
        .filter(|(_, s, _)| *s)
        .map(|(_, _, t)| t)
        .collect();
    assert_eq!(subscribed.len(), 100);
    // The same sequence for everyone (a prefix up to the fifth ParkedCall, where each stopped reading).
    let longest = subscribed.iter().max_by_key(|t| t.len()).unwrap();
    for t in &subscribed {
        // Whole event names: on a slow machine the first calls may already time out
        // (`ParkedCallTimeOut`) before a session has read the fifth `ParkedCall`.
        let parked = t
            .lines()
            .filter(|l| l.starts_with("Event: ParkedCall "))
            .count();
        assert_eq!(parked, 5, "{t}");
        assert!(
            longest.starts_with(t.as_str()),
            "events differ between sessions"
        );
    }
    let unsubscribed = results
        .iter()
        .filter(|(_, s, t)| !*s && !t.is_empty())
        .count();
    assert_eq!(unsubscribed, 0, "sessions with Events: off got events");
    server.stop();
}

/// Reads blocks up to and including the event named `last`.
fn list(c: &mut Client, last: &str) -> Vec<String> {
    let mut out = Vec::new();
    loop {
        let b = c.block().expect("connection closed");
        let done = b.starts_with(&format!("Event: {last}\n"));
        out.push(b);
        if done {
            return out;
        }
    }
}

#[test]
fn the_engine_actions_through_the_server() {
    let server = start(1.0);
    let mut c = Client::connect(&server);
    assert_eq!(
        c.login_admin("off"),
        "Response: Success\nMessage: Authentication accepted\n"
    );

    c.send(&[("Action", "CoreSettings"), ("ActionID", "s")]);
    let r = c.response();
    assert!(
        r.starts_with(
            "Response: Success\nActionID: s\nAMIversion: 11.0.0\nAsteriskVersion: 22.10.1\n"
        ),
        "{r}"
    );
    c.send(&[("Action", "CoreStatus")]);
    let r = c.response();
    assert!(r.contains("\nCoreCurrentCalls: 0\n"), "{r}");

    c.send(&[("Action", "ListCommands")]);
    let r = c.response();
    assert!(
        r.contains("\nOriginate: Originate a call. (Priv: originate,all)\n"),
        "{r}"
    );
    assert!(
        r.contains("\nPing: Keepalive command. (Priv: <none>)\n"),
        "{r}"
    );
    assert!(
        r.contains("\nLogin: Login Manager. (Priv: <none>)\n"),
        "{r}"
    );

    c.send(&[
        ("Action", "Setvar"),
        ("Variable", "COLOUR"),
        ("Value", "blue"),
    ]);
    assert_eq!(c.response(), "Response: Success\nMessage: Variable Set\n");
    c.send(&[
        ("Action", "Getvar"),
        ("Variable", "COLOUR"),
        ("ActionID", "g"),
    ]);
    assert_eq!(
        c.response(),
        "Response: Success\nActionID: g\nVariable: COLOUR\nValue: blue\n"
    );
    c.send(&[("Action", "Getvar")]);
    assert_eq!(
        c.response(),
        "Response: Error\nMessage: No variable specified\n"
    );
    c.send(&[
        ("Action", "Getvar"),
        ("Variable", "X"),
        ("Channel", "PJSIP/nobody-00000000"),
    ]);
    assert_eq!(c.response(), "Response: Error\nMessage: No such channel\n");
    c.send(&[
        ("Action", "Setvar"),
        ("Variable", "X"),
        ("Channel", "PJSIP/nobody-00000000"),
    ]);
    assert_eq!(c.response(), "Response: Error\nMessage: No such channel\n");

    c.send(&[
        ("Action", "Command"),
        ("Command", "dialplan show 700@parkedcalls"),
    ]);
    let r = c.response();
    assert!(r.starts_with("Response: Success\nMessage: Command output follows\nOutput: [ Context 'parkedcalls' created by 'res_parking/default' ]\n"), "{r}");
    c.send(&[("Action", "Command")]);
    assert_eq!(
        c.response(),
        "Response: Error\nMessage: No command provided\n"
    );

    c.send(&[("Action", "PlayDTMF"), ("Channel", "Local/none")]);
    assert_eq!(
        c.response(),
        "Response: Error\nMessage: Channel not found\n"
    );

    // A call that waits: Local/600@operator answers and runs Wait(60); ;1 runs Wait(600).
    c.send(&[
        ("Action", "Originate"),
        ("Channel", "Local/600@operator/n"),
        ("Application", "Wait"),
        ("Data", "600"),
        ("Variable", "A=1,B=2"),
        ("ActionID", "sync"),
    ]);
    assert_eq!(
        c.response(),
        "Response: Success\nActionID: sync\nMessage: Originate successfully queued\n"
    );
    c.send(&[("Action", "CoreShowChannels"), ("ActionID", "l")]);
    assert_eq!(
        c.response(),
        "Response: Success\nActionID: l\nEventList: start\nMessage: Channels will follow\n"
    );
    let items = list(&mut c, "CoreShowChannelsComplete");
    assert_eq!(items.len(), 3, "{items:?}");
    assert!(
        items[0].starts_with(
            "Event: CoreShowChannel\nActionID: l\nChannel: Local/600@operator-00000000;1\n"
        ),
        "{}",
        items[0]
    );
    assert!(
        items[0].contains("\nApplication: Wait\nApplicationData: 600\nDuration: 00:00:00\n"),
        "{}",
        items[0]
    );
    assert_eq!(
        items[2],
        "Event: CoreShowChannelsComplete\nActionID: l\nEventList: Complete\nListItems: 2\n"
    );

    c.send(&[
        ("Action", "Status"),
        ("Channel", "Local/600@operator-00000000;1"),
        ("Variables", "A,B"),
    ]);
    assert!(c
        .response()
        .contains("EventList: start\nMessage: Channel status will follow"));
    let items = list(&mut c, "StatusComplete");
    assert_eq!(items.len(), 2);
    assert!(items[0].contains("\nType: Local\n"), "{}", items[0]);
    assert!(
        items[0].contains("\nVariable: A=1\nVariable: B=2\n"),
        "{}",
        items[0]
    );
    assert!(
        items[1].ends_with("ListItems: 1\nItems: 1\n"),
        "{}",
        items[1]
    );

    c.send(&[
        ("Action", "Getvar"),
        ("Channel", "Local/600@operator-00000000;2"),
        ("Variable", "B"),
    ]);
    assert!(c.response().ends_with("Variable: B\nValue: 2\n"));
    c.send(&[
        ("Action", "PlayDTMF"),
        ("Channel", "Local/600@operator-00000000;1"),
        ("Digit", "5"),
    ]);
    assert_eq!(
        c.response(),
        "Response: Success\nMessage: DTMF successfully queued\n"
    );
    c.send(&[
        ("Action", "PlayDTMF"),
        ("Channel", "Local/600@operator-00000000;1"),
    ]);
    assert_eq!(
        c.response(),
        "Response: Error\nMessage: No digit specified\n"
    );
    server.stop();
}

#[test]
fn extension_state_follows_the_hints_devices() {
    let server = start(1.0);
    let mut c = Client::connect(&server);
    c.login_admin("off");
    c.send(&[("Action", "ExtensionState")]);
    assert_eq!(
        c.response(),
        "Response: Error\nMessage: Extension not specified\n"
    );
    c.send(&[
        ("Action", "ExtensionState"),
        ("Exten", "6001"),
        ("Context", "phones"),
        ("ActionID", "h"),
    ]);
    assert_eq!(
        c.response(),
        "Response: Success\nActionID: h\nMessage: Extension Status\nExten: 6001\nContext: phones\nHint: Local/600@operator\nStatus: 0\nStatusText: Idle\n"
    );
    c.send(&[("Action", "ExtensionState"), ("Exten", "9")]);
    assert_eq!(
        c.response(),
        "Response: Success\nMessage: Extension Status\nExten: 9\nContext: default\nHint: \nStatus: -1\nStatusText: Unknown\n"
    );
    c.send(&[
        ("Action", "Originate"),
        ("Channel", "Local/600@operator/n"),
        ("Application", "Wait"),
        ("Data", "600"),
    ]);
    c.response();
    c.send(&[
        ("Action", "ExtensionState"),
        ("Exten", "6001"),
        ("Context", "phones"),
    ]);
    assert!(c.response().ends_with("Status: 1\nStatusText: InUse\n"));
    server.stop();
}

/// The action reads the hint's extension state [main/manager.c · action_extensionstate ·
/// ast_extension_state]: for park: devices that is the parking spaces' state. The hints res_parking made
/// at start-up read Unavailable until first used (they exist before its `park` provider:
/// res/res_parking.c · load_module; main/extension_state.c · extension_state_update_sources); the
/// extensions.conf hint over two spaces reads Idle, then InUse once a call is parked at 701.
#[test]
fn extension_state_of_parking_hints_follows_the_spaces() {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("dialplan-examples/parking/hints");
    let server = start_in(dir, 20.0);
    let mut c = Client::connect(&server);
    c.login_admin("off");
    let mut ask = |exten: &str, context: &str| {
        c.send(&[
            ("Action", "ExtensionState"),
            ("Exten", exten),
            ("Context", context),
        ]);
        c.response()
    };
    assert!(ask("703", "parkedcalls")
        .ends_with("Hint: park:703@parkedcalls\nStatus: 4\nStatusText: Unavailable\n"));
    assert!(ask("lobby", "internal").ends_with("Status: 0\nStatusText: Idle\n"));
    // ExtensionStateList walks the same store, sorted by exten@context [main/extension_state.c ·
    // action_extensionstatelist].
    c.send(&[("Action", "ExtensionStateList"), ("ActionID", "l")]);
    assert_eq!(
        c.response(),
        "Response: Success\nActionID: l\nEventList: start\nMessage: Extension Statuses will follow\n"
    );
    let items = list(&mut c, "ExtensionStateListComplete");
    assert_eq!(
        items,
        [
            "Event: ExtensionStatus\nActionID: l\nExten: 701\nContext: parkedcalls\nHint: park:701@parkedcalls\nStatus: 4\nStatusText: Unavailable\n",
            "Event: ExtensionStatus\nActionID: l\nExten: 702\nContext: parkedcalls\nHint: park:702@parkedcalls\nStatus: 4\nStatusText: Unavailable\n",
            "Event: ExtensionStatus\nActionID: l\nExten: 703\nContext: parkedcalls\nHint: park:703@parkedcalls\nStatus: 4\nStatusText: Unavailable\n",
            "Event: ExtensionStatus\nActionID: l\nExten: lobby\nContext: internal\nHint: park:701@parkedcalls&park:702@parkedcalls\nStatus: 0\nStatusText: Idle\n",
            "Event: ExtensionStateListComplete\nActionID: l\nEventList: Complete\nListItems: 4\n",
        ]
    );
    c.send(&[
        ("Action", "Originate"),
        ("Channel", "Local/100@internal/n"),
        ("Application", "Wait"),
        ("Data", "600"),
    ]);
    c.response();
    let deadline = Instant::now() + Duration::from_secs(10);
    loop {
        c.send(&[
            ("Action", "ExtensionState"),
            ("Exten", "701"),
            ("Context", "parkedcalls"),
        ]);
        let r = c.response();
        if r.ends_with("Status: 1\nStatusText: InUse\n") {
            break;
        }
        assert!(Instant::now() < deadline, "701 never went InUse: {r}");
        std::thread::sleep(Duration::from_millis(50));
    }
    c.send(&[
        ("Action", "ExtensionState"),
        ("Exten", "lobby"),
        ("Context", "internal"),
    ]);
    assert!(c.response().ends_with("Status: 1\nStatusText: InUse\n"));
    server.stop();
}

#[test]
fn show_dialplan_lists_priorities_includes_and_counts() {
    let server = start(1.0);
    let mut c = Client::connect(&server);
    c.login_admin("off");
    c.send(&[
        ("Action", "ShowDialPlan"),
        ("Context", "parking-example"),
        ("ActionID", "d"),
    ]);
    assert_eq!(
        c.response(),
        "Response: Success\nActionID: d\nEventList: start\nMessage: DialPlan list will follow\n"
    );
    let items = list(&mut c, "ShowDialPlanComplete");
    assert_eq!(
        items[0],
        "Event: ListDialplan\nActionID: d\nContext: parking-example\nExtension: alice\nPriority: 1\nApplication: NoOp\nAppData: Handles calls to alice.\nRegistrar: pbx_config\n"
    );
    assert!(
        items
            .iter()
            .any(|i| i.contains("\nIncludeContext: parkedcalls\nRegistrar: pbx_config\n")),
        "{items:?}"
    );
    assert_eq!(
        items.last().unwrap(),
        "Event: ShowDialPlanComplete\nActionID: d\nEventList: Complete\nListItems: 8\nListExtensions: 1\nListPriorities: 7\nListContexts: 1\n"
    );
    c.send(&[("Action", "ShowDialPlan"), ("Context", "nowhere")]);
    assert_eq!(
        c.response(),
        "Response: Error\nMessage: Did not find context nowhere\n"
    );
    // An extension found through an include.
    c.send(&[
        ("Action", "ShowDialPlan"),
        ("Context", "parking-example"),
        ("Extension", "701"),
    ]);
    c.response();
    let items = list(&mut c, "ShowDialPlanComplete");
    assert!(items[0].contains("Context: parkedcalls\nExtension: 701\nPriority: 1\nApplication: ParkedCall\nAppData: default,701\n"), "{items:?}");
    server.stop();
}

#[test]
fn reload_reads_the_config_folder_again() {
    let dir = tempfile::tempdir().unwrap();
    for f in ["extensions.conf", "features.conf", "res_parking.conf"] {
        std::fs::copy(example_dir().join(f), dir.path().join(f)).unwrap();
    }
    let manager = ManagerConf::load(
        &dialplan::conf::MemorySource::new().with("manager.conf", MANAGER),
        "unused",
    );
    let server = Server::start(ServeSetup {
        config: LoadedConfig::load(&DirSource {
            dir: dir.path().to_path_buf(),
        }),
        scenario: Scenario::empty(Origin::new("<test>", "")),
        manager,
        addr: "127.0.0.1:0".parse().unwrap(),
        speed: 1.0,
    })
    .unwrap();
    let mut c = Client::connect(&server);
    assert_eq!(
        c.login_admin("system"),
        "Response: Success\nMessage: Authentication accepted\n"
    );
    c.event("FullyBooted");

    // Nothing changed: res_parking skips its file and succeeds.
    c.send(&[
        ("Action", "Reload"),
        ("Module", "res_parking"),
        ("ActionID", "r1"),
    ]);
    assert_eq!(
        c.response(),
        "Response: Success\nActionID: r1\nMessage: Module Reloaded\n"
    );
    assert_eq!(
        c.event("Reload"),
        "Event: Reload\nPrivilege: system,all\nModule: res_parking\nStatus: 0\n"
    );

    // A new lot in the file appears after the reload.
    let mut conf = std::fs::read_to_string(dir.path().join("res_parking.conf")).unwrap();
    conf.push_str("\n[sales]\nparkext => 800\nparkpos => 801-809\ncontext => salesparking\n");
    std::fs::write(dir.path().join("res_parking.conf"), &conf).unwrap();
    c.send(&[("Action", "Reload"), ("Module", "res_parking.so")]);
    assert_eq!(
        c.response(),
        "Response: Success\nMessage: Module Reloaded\n"
    );
    c.send(&[("Action", "Parkinglots")]);
    let lots = list(&mut c, "ParkinglotsComplete");
    assert!(
        lots.iter().any(|b| b.contains("\nName: sales\n")),
        "{lots:?}"
    );

    // A file res_parking refuses keeps the running configuration; the reload fails.
    std::fs::write(
        dir.path().join("res_parking.conf"),
        "[general]\nparkext => 700\n",
    )
    .unwrap();
    c.send(&[("Action", "Reload"), ("Module", "res_parking")]);
    assert_eq!(
        c.response(),
        "Response: Error\nMessage: An unknown error occurred\n"
    );
    assert_eq!(
        c.event("Reload"),
        "Event: Reload\nPrivilege: system,all\nModule: res_parking\nStatus: 3\n"
    );
    c.send(&[("Action", "Parkinglots")]);
    let lots = list(&mut c, "ParkinglotsComplete");
    assert!(
        lots.iter().any(|b| b.contains("\nName: sales\n")),
        "{lots:?}"
    );

    // Modules dialsim does not simulate are not found; every module reloads without Module.
    c.send(&[("Action", "Reload"), ("Module", "chan_pjsip.so")]);
    assert_eq!(c.response(), "Response: Error\nMessage: No such module\n");
    c.send(&[("Action", "Reload")]);
    assert_eq!(
        c.response(),
        "Response: Success\nMessage: Module Reloaded\n"
    );
    loop {
        let e = c.event("Reload");
        if e.contains("\nModule: All\n") {
            assert_eq!(
                e,
                "Event: Reload\nPrivilege: system,all\nModule: All\nStatus: 0\n"
            );
            break;
        }
    }

    // Hangup with a /regex/ answers as a list, even when nothing matches.
    c.send(&[
        ("Action", "Hangup"),
        ("Channel", "/^PJSIP/nobody-/"),
        ("ActionID", "h"),
    ]);
    let blocks = list(&mut c, "ChannelsHungupListComplete");
    assert_eq!(
        blocks,
        vec![
            "Response: Success\nActionID: h\nEventList: start\nMessage: Channels hung up will follow\n"
                .to_string(),
            "Event: ChannelsHungupListComplete\nActionID: h\nEventList: Complete\nListItems: 0\n"
                .to_string(),
        ]
    );
    c.send(&[("Action", "Hangup"), ("Channel", "/PJSIP")]);
    assert_eq!(
        c.response(),
        "Response: Error\nMessage: Regex format invalid, Channel param should be /regex/\n"
    );
    c.send(&[("Action", "Hangup"), ("Channel", "/x(/")]);
    assert_eq!(
        c.response(),
        "Response: Error\nMessage: Regex compile failed on: /x(/\n"
    );
    server.stop();
}

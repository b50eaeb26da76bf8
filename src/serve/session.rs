//! One AMI connection: the greeting, the frames, the session-level actions Asterisk's manager core answers
//! itself (`Login`, `Challenge`, `Logoff`, `Events`), the rule that nothing else runs before a login, and the
//! writer that drains the session's queue to the socket. Every other action goes to the engine thread.

use super::frame::{read_frame, FrameError};
use super::hub::Request;
use super::perms::{self, Mask};
use super::queue::{Out, SessionShared};
use super::ServerShared;
use crate::ami::{Message, Reply};
use md5::{Digest, Md5};
use std::net::SocketAddr;
use std::sync::atomic::Ordering;
use std::sync::Arc;
use std::time::Duration;
use tokio::io::{AsyncWriteExt, BufReader};
use tokio::net::TcpStream;
use tokio::sync::oneshot;

/// The first line of every session: Asterisk 22's AMI version (22.10.1 prints `11.0.0`).
pub const GREETING: &str = "Asterisk Call Manager/11.0.0\r\n";

/// How long a failed login is held before its answer (Asterisk sleeps 1 s).
pub const FAILED_LOGIN_DELAY: Duration = Duration::from_secs(1);

struct LoggedIn {
    user: String,
    read: Mask,
    write: Mask,
}

/// Serves one connection until it ends.
pub async fn run(stream: TcpStream, peer: SocketAddr, server: Arc<ServerShared>) {
    let id = server.next_id.fetch_add(1, Ordering::Relaxed);
    let me = SessionShared::new(id);
    let _ = stream.set_nodelay(true);
    let (rd, wr) = stream.into_split();
    me.push_reply(GREETING);
    let writer = tokio::spawn(write_loop(wr, me.clone()));
    server.unauth.fetch_add(1, Ordering::Relaxed);
    let mut state = State {
        me: me.clone(),
        server: server.clone(),
        peer,
        login: None,
        challenge: None,
    };
    let mut reader = BufReader::new(rd);
    let authtimeout = Duration::from_secs(server.conf.authtimeout);
    loop {
        let frame = if state.login.is_none() {
            match tokio::time::timeout(authtimeout, read_frame(&mut reader)).await {
                Ok(f) => f,
                // Asterisk drops a session that has not logged in within authtimeout.
                Err(_) => {
                    me.push_close();
                    break;
                }
            }
        } else {
            read_frame(&mut reader).await
        };
        match frame {
            Ok(m) => {
                if state.handle(m).await == Flow::Close {
                    me.push_close();
                    break;
                }
            }
            Err(e @ (FrameError::TooLarge | FrameError::TooManyHeaders)) => {
                let reply = Reply::error(&Message::new(), &e.message());
                me.push_reply(reply.to_wire());
                me.push_close();
                break;
            }
            Err(FrameError::Closed | FrameError::Io(_)) => {
                me.abandon();
                break;
            }
        }
    }
    if let Some(login) = &state.login {
        let _ = server.hub.send(Request::Unregister(id)).await;
        server.logged_out(&login.user);
    } else {
        server.unauth.fetch_sub(1, Ordering::Relaxed);
    }
    let _ = writer.await;
}

#[derive(PartialEq, Eq)]
enum Flow {
    Continue,
    Close,
}

struct State {
    me: Arc<SessionShared>,
    server: Arc<ServerShared>,
    peer: SocketAddr,
    login: Option<LoggedIn>,
    challenge: Option<String>,
}

impl State {
    async fn handle(&mut self, m: Message) -> Flow {
        let Some(action) = m
            .get("Action")
            .filter(|a| !a.is_empty())
            .map(str::to_string)
        else {
            self.reply(Reply::error(&m, "Missing action in request"));
            return Flow::Continue;
        };
        let lower = action.to_ascii_lowercase();
        if self.login.is_none() && !matches!(lower.as_str(), "login" | "logoff" | "challenge") {
            self.reply(Reply::error(&m, "Permission denied"));
            return Flow::Continue;
        }
        match lower.as_str() {
            "login" => self.login(&m).await,
            "logoff" => {
                let mut r = Message::new();
                r.push("Response", "Goodbye");
                if let Some(id) = m.get("ActionID").filter(|i| !i.is_empty()) {
                    r.push("ActionID", id);
                }
                r.push("Message", "Thanks for all the fish.");
                self.me.push_reply(r.to_wire());
                Flow::Close
            }
            "challenge" => {
                if m.get("AuthType")
                    .is_some_and(|t| t.eq_ignore_ascii_case("MD5"))
                {
                    let challenge = self
                        .challenge
                        .get_or_insert_with(|| (super::random_u64() % 2_147_483_647).to_string())
                        .clone();
                    let mut r = Reply::success(&m, None);
                    r.response.push("Challenge", challenge);
                    self.reply(r);
                } else {
                    self.reply(Reply::error(&m, "Must specify AuthType"));
                }
                Flow::Continue
            }
            "events" => {
                let read = self.login.as_ref().map_or(0, |l| l.read);
                let mask = m.get("EventMask").unwrap_or("");
                match perms::strings_to_mask(mask) {
                    Some(mask) => {
                        self.me.send_events.store(read & mask, Ordering::Relaxed);
                        let mut r = Reply::success(&m, None);
                        r.response
                            .push("Events", if mask > 0 { "On" } else { "Off" });
                        self.reply(r);
                    }
                    None => self.reply(Reply::error(&m, "Invalid event mask")),
                }
                Flow::Continue
            }
            _ => {
                let write = self.login.as_ref().map_or(0, |l| l.write);
                let (done, wait) = oneshot::channel();
                let req = Request::Action {
                    session: self.me.clone(),
                    write,
                    message: m,
                    done,
                };
                if self.server.hub.send(req).await.is_err() {
                    return Flow::Close;
                }
                let _ = wait.await;
                Flow::Continue
            }
        }
    }

    fn reply(&self, r: Reply) {
        self.me.push_reply(r.to_wire());
    }

    async fn login(&mut self, m: &Message) -> Flow {
        if self.login.is_some() {
            self.reply(Reply::success(m, Some("Already authenticated")));
            return Flow::Continue;
        }
        let username = m.get("Username").unwrap_or("");
        let conf = &self.server.conf;
        if let Some(user) = conf.user(username) {
            if !user.allowmultiplelogin && self.server.is_logged_in(username) {
                tokio::time::sleep(FAILED_LOGIN_DELAY).await;
                self.reply(Reply::error(m, "Login Already In Use"));
                return Flow::Close;
            }
        }
        let ok = conf
            .user(username)
            .filter(|u| u.permits(self.peer.ip()))
            .filter(|u| {
                let Some(secret) = &u.secret else {
                    return false;
                };
                if m.get("AuthType")
                    .is_some_and(|t| t.eq_ignore_ascii_case("MD5"))
                {
                    let key = m.get("Key").unwrap_or("");
                    match &self.challenge {
                        Some(ch) if !key.is_empty() => md5_hex(ch, secret) == key,
                        _ => false,
                    }
                } else {
                    m.get("Secret").unwrap_or("") == secret
                }
            });
        let Some(user) = ok else {
            tokio::time::sleep(FAILED_LOGIN_DELAY).await;
            self.reply(Reply::error(m, "Authentication failed"));
            return Flow::Close;
        };
        let send_events = match m.get("Events").filter(|e| !e.is_empty()) {
            Some(e) => perms::strings_to_mask(e).map_or(user.read, |mask| user.read & mask),
            None => user.read,
        };
        self.me.send_events.store(send_events, Ordering::Relaxed);
        self.login = Some(LoggedIn {
            user: user.name.clone(),
            read: user.read,
            write: user.write,
        });
        self.server.unauth.fetch_sub(1, Ordering::Relaxed);
        self.server.logged_in(&user.name);
        self.reply(Reply::success(m, Some("Authentication accepted")));
        if send_events & perms::class_flag("system") != 0 {
            let uptime = self.server.started.elapsed().as_secs();
            self.me.push_reply(format!(
                "Event: FullyBooted\r\nPrivilege: system,all\r\nUptime: {uptime}\r\nLastReload: {uptime}\r\nStatus: Fully Booted\r\n\r\n"
            ));
        }
        if self
            .server
            .hub
            .send(Request::Register(self.me.clone()))
            .await
            .is_err()
        {
            return Flow::Close;
        }
        Flow::Continue
    }
}

/// The MD5 key of a challenge login: the lower-case hex digest of challenge then secret.
pub fn md5_hex(challenge: &str, secret: &str) -> String {
    let mut h = Md5::new();
    h.update(challenge.as_bytes());
    h.update(secret.as_bytes());
    h.finalize().iter().map(|b| format!("{b:02x}")).collect()
}

/// Writes the queue to the socket until the session closes. Items that are ready together go out in one
/// write.
async fn write_loop(mut wr: tokio::net::tcp::OwnedWriteHalf, me: Arc<SessionShared>) {
    let mut buf = String::with_capacity(16 * 1024);
    let mut closing = false;
    while let Some(first) = me.pop().await {
        let mut item = Some(first);
        while let Some(it) = item.take() {
            match it {
                Out::Event(t) | Out::Reply(t) => buf.push_str(&t),
                Out::Dropped(n) => buf.push_str(&format!(
                    "Event: DialsimQueueOverflow\r\nPrivilege: system,all\r\nDropped: {n}\r\nMessage: this session read too slowly; {n} events were dropped\r\n\r\n"
                )),
                Out::Close => closing = true,
            }
            if closing || buf.len() > 64 * 1024 {
                break;
            }
            item = me.try_pop();
        }
        if wr.write_all(buf.as_bytes()).await.is_err() {
            me.abandon();
            break;
        }
        buf.clear();
        if closing {
            break;
        }
    }
    let _ = wr.shutdown().await;
}

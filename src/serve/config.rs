//! manager.conf, read as `main/manager.c` reads it: `[general]` (`enabled`, `port`, `bindaddr`,
//! `timestampevents`, `allowmultiplelogin`, `displayconnects`, `authtimeout`, `authlimit`) and one user per
//! other section (`secret`, `read`, `write`, `permit`/`deny`, `allowmultiplelogin`). Without a manager.conf,
//! one user with a random secret.

use super::perms::{self, Mask};
use dialplan::conf::{self, ConfSource, FileStatus};
use dialplan::source::SourceMap;
use std::net::{IpAddr, SocketAddr};
use std::path::Path;

/// Asterisk's AMI port.
pub const DEFAULT_PORT: u16 = 5038;

/// The manager configuration.
#[derive(Clone, Debug)]
pub struct ManagerConf {
    /// `enabled`: Asterisk opens no AMI port unless it is true.
    pub enabled: bool,
    /// `bindaddr` (dialsim's default is loopback, where Asterisk's is every address).
    pub bindaddr: IpAddr,
    pub port: u16,
    /// `timestampevents`: a `Timestamp:` header on every event.
    pub timestampevents: bool,
    /// `authtimeout`: seconds an unauthenticated session may stay (30).
    pub authtimeout: u64,
    /// `authlimit`: unauthenticated sessions at once (50).
    pub authlimit: usize,
    pub users: Vec<User>,
    /// Where the users came from, for the start-up message.
    pub origin: Origin,
    /// Problems found while reading (Asterisk's WARNING/NOTICE texts).
    pub warnings: Vec<String>,
}

/// Where the manager configuration came from.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Origin {
    /// The folder's manager.conf.
    File,
    /// No manager.conf: one generated user (its secret is printed at start-up).
    Generated,
}

/// One `[user]` section.
#[derive(Clone, Debug)]
pub struct User {
    pub name: String,
    /// `secret`; a user without one cannot log in with a password.
    pub secret: Option<String>,
    pub read: Mask,
    pub write: Mask,
    pub acl: Vec<Rule>,
    pub allowmultiplelogin: bool,
}

/// One `permit`/`deny` line.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Rule {
    pub sense: Sense,
    pub addr: IpAddr,
    /// Prefix length in bits.
    pub bits: u8,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Sense {
    Permit,
    Deny,
}

impl User {
    /// `ast_apply_ha`: every rule is tried in order and the last that matches decides; no match permits.
    pub fn permits(&self, addr: IpAddr) -> bool {
        let mut sense = Sense::Permit;
        for rule in &self.acl {
            if rule.matches(addr) {
                sense = rule.sense;
            }
        }
        sense == Sense::Permit
    }
}

impl Rule {
    fn matches(&self, addr: IpAddr) -> bool {
        let (a, r, width) = match (addr, self.addr) {
            (IpAddr::V4(a), IpAddr::V4(r)) => {
                (u128::from(u32::from(a)), u128::from(u32::from(r)), 32u32)
            }
            (IpAddr::V6(a), IpAddr::V6(r)) => (u128::from(a), u128::from(r), 128),
            (IpAddr::V6(a), IpAddr::V4(r)) => match a.to_ipv4_mapped() {
                Some(a) => (u128::from(u32::from(a)), u128::from(u32::from(r)), 32),
                None => return false,
            },
            (IpAddr::V4(_), IpAddr::V6(_)) => return false,
        };
        let bits = u32::from(self.bits).min(width);
        if bits == 0 {
            return true;
        }
        let shift = width - bits;
        (a >> shift) == (r >> shift)
    }
}

impl ManagerConf {
    /// Reads `manager.conf` from `source`; without one, a configuration with one user `dialsim` whose secret
    /// is `secret`.
    pub fn load(source: &dyn ConfSource, generated_secret: &str) -> ManagerConf {
        let mut sources = SourceMap::default();
        let load = conf::load(&mut sources, source, Path::new("manager.conf"));
        let mut mc = ManagerConf {
            enabled: false,
            bindaddr: IpAddr::from([127, 0, 0, 1]),
            port: DEFAULT_PORT,
            timestampevents: false,
            authtimeout: 30,
            authlimit: 50,
            users: Vec::new(),
            origin: Origin::File,
            warnings: Vec::new(),
        };
        let file = match (load.status, load.file) {
            (FileStatus::Loaded, Some(file)) => file,
            (FileStatus::Missing, _) => {
                mc.enabled = true;
                mc.origin = Origin::Generated;
                mc.users.push(User {
                    name: "dialsim".to_string(),
                    secret: Some(generated_secret.to_string()),
                    read: perms::ALL,
                    write: perms::ALL,
                    acl: Vec::new(),
                    allowmultiplelogin: true,
                });
                return mc;
            }
            _ => {
                mc.warnings
                    .push("manager.conf could not be parsed; AMI is not enabled".to_string());
                return mc;
            }
        };
        let mut allowmultiplelogin = true;
        for section in file.visible_sections() {
            if !section.name.eq_ignore_ascii_case("general") {
                continue;
            }
            for item in &section.items {
                let (key, val) = (item.key.as_str(), item.value.as_str());
                match key.to_ascii_lowercase().as_str() {
                    "enabled" => mc.enabled = perms::is_true(val),
                    "port" => match val.parse::<u16>() {
                        Ok(p) if p >= 1024 => mc.port = p,
                        _ => mc.warnings.push(format!("Invalid port number '{val}'")),
                    },
                    "bindaddr" => match val.parse::<IpAddr>() {
                        Ok(a) => mc.bindaddr = a,
                        Err(_) => mc.warnings.push(format!(
                            "Invalid address '{val}' specified, default '{}' will be used",
                            mc.bindaddr
                        )),
                    },
                    "timestampevents" => mc.timestampevents = perms::is_true(val),
                    "allowmultiplelogin" => allowmultiplelogin = perms::is_true(val),
                    "authtimeout" => match val.trim().parse::<u64>() {
                        Ok(t) if t >= 1 => mc.authtimeout = t,
                        _ => mc.warnings.push(format!(
                            "Invalid authtimeout value '{val}', using default value"
                        )),
                    },
                    "authlimit" => match val.trim().parse::<usize>() {
                        Ok(l) if l >= 1 => mc.authlimit = l,
                        _ => mc.warnings.push(format!(
                            "Invalid authlimit value '{val}', using default value"
                        )),
                    },
                    _ => {}
                }
            }
        }
        for section in file.visible_sections() {
            if section.name.eq_ignore_ascii_case("general") {
                continue;
            }
            let mut user = User {
                name: section.name.clone(),
                secret: None,
                read: 0,
                write: 0,
                acl: Vec::new(),
                allowmultiplelogin,
            };
            let mut keep = true;
            for item in &section.items {
                let (key, val) = (item.key.as_str(), item.value.as_str());
                match key.to_ascii_lowercase().as_str() {
                    "secret" => user.secret = Some(val.to_string()),
                    "read" => user.read = perms::get_perm(val),
                    "write" => user.write = perms::get_perm(val),
                    "allowmultiplelogin" => user.allowmultiplelogin = perms::is_true(val),
                    k @ ("permit" | "deny") => {
                        let sense = if k == "permit" {
                            Sense::Permit
                        } else {
                            Sense::Deny
                        };
                        match parse_rule(val, sense) {
                            Some(rule) => user.acl.push(rule),
                            None => {
                                mc.warnings.push(format!(
                                    "Invalid ACL '{val}' for manager user '{}' on line {}. Deleting user",
                                    user.name, item.origin.line
                                ));
                                keep = false;
                            }
                        }
                    }
                    _ => {}
                }
            }
            if !keep {
                continue;
            }
            // A later section of the same name updates the user, as Asterisk's reload does.
            match mc.users.iter_mut().find(|u| u.name == user.name) {
                Some(existing) => *existing = user,
                None => mc.users.push(user),
            }
        }
        mc
    }

    /// The user named `name` (exact, as `get_manager_by_name_locked` compares).
    pub fn user(&self, name: &str) -> Option<&User> {
        self.users.iter().find(|u| u.name == name)
    }

    /// Where to listen: `--ami` when given, else `bindaddr`:`port`.
    pub fn listen_addr(&self) -> SocketAddr {
        SocketAddr::new(self.bindaddr, self.port)
    }
}

/// `addr[/mask]`: the mask as a prefix length or a dotted quad; no mask is a single address.
fn parse_rule(text: &str, sense: Sense) -> Option<Rule> {
    let text = text.trim();
    let (addr, mask) = match text.split_once('/') {
        Some((a, m)) => (a.trim(), Some(m.trim())),
        None => (text, None),
    };
    let addr: IpAddr = addr.parse().ok()?;
    let width = if addr.is_ipv4() { 32 } else { 128 };
    let bits = match mask {
        None => width,
        Some(m) if !m.is_empty() && m.bytes().all(|b| b.is_ascii_digit()) => {
            let b: u8 = m.parse().ok()?;
            if b > width {
                return None;
            }
            b
        }
        Some(m) => {
            let m: std::net::Ipv4Addr = m.parse().ok()?;
            let n = u32::from(m);
            // A dotted mask must be contiguous ones.
            if n.leading_ones() + n.trailing_zeros() != 32 {
                return None;
            }
            n.leading_ones() as u8
        }
    };
    Some(Rule { sense, addr, bits })
}

#[cfg(test)]
mod tests {
    use super::*;
    use dialplan::conf::MemorySource;

    const CONF: &str = "[general]\nenabled = yes\nport = 5039\nbindaddr = 127.0.0.1\n\n\
        [admin]\nsecret = s3cret\nread = call,system\nwrite = all\n\
        deny = 0.0.0.0/0.0.0.0\npermit = 127.0.0.1/255.255.255.0\n";

    #[test]
    fn users_and_general_options_are_read() {
        let mc = ManagerConf::load(&MemorySource::new().with("manager.conf", CONF), "x");
        assert!(mc.enabled);
        assert_eq!(mc.listen_addr().to_string(), "127.0.0.1:5039");
        let admin = mc.user("admin").unwrap();
        assert_eq!(admin.secret.as_deref(), Some("s3cret"));
        assert_eq!(admin.read, perms::get_perm("system,call"));
        assert_eq!(admin.write, perms::ALL);
        assert!(admin.permits("127.0.0.9".parse().unwrap()));
        assert!(!admin.permits("10.0.0.1".parse().unwrap()));
    }

    #[test]
    fn without_manager_conf_one_generated_user_may_do_everything() {
        let mc = ManagerConf::load(&MemorySource::new(), "abc");
        assert_eq!(mc.origin, Origin::Generated);
        assert!(mc.enabled);
        let u = mc.user("dialsim").unwrap();
        assert_eq!(u.secret.as_deref(), Some("abc"));
        assert_eq!(u.write, perms::ALL);
    }

    #[test]
    fn a_bad_acl_deletes_the_user() {
        let mc = ManagerConf::load(
            &MemorySource::new().with(
                "manager.conf",
                "[general]\nenabled=yes\n[u]\nsecret=a\npermit=nonsense\n",
            ),
            "x",
        );
        assert!(mc.user("u").is_none());
        assert_eq!(mc.warnings.len(), 1);
    }
}

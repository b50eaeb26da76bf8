//! `dialsim serve [--config DIR] [--scenario FILE] [--ami ADDR] [--speed N]`: the engine on the wall clock
//! with Asterisk's Manager Interface open to clients, until Ctrl-C.

use super::EXIT_UNUSABLE;
use crate::cli::{RunArgs, ServeArgs};
use crate::commands::run::prepare;
use crate::config::LoadedConfig;
use crate::scenario::{Origin, Scenario};
use crate::serve::config::{ManagerConf, Origin as ConfOrigin};
use crate::serve::{random_secret, ServeSetup, Server};
use dialplan::conf::{ConfSource, DirSource};
use std::net::SocketAddr;
use std::process::ExitCode;

/// Runs `dialsim serve`.
pub fn run(args: &ServeArgs) -> ExitCode {
    match serve(args) {
        Ok(()) => ExitCode::SUCCESS,
        Err(message) => {
            eprintln!("{message}");
            ExitCode::from(EXIT_UNUSABLE)
        }
    }
}

fn serve(args: &ServeArgs) -> Result<(), String> {
    if !(args.speed.is_finite() && args.speed > 0.0) {
        return Err(format!(
            "dialsim: --speed must be a positive number, not '{}'",
            args.speed
        ));
    }
    let (scenario, source): (Scenario, Box<dyn ConfSource>) = match &args.scenario {
        Some(path) => {
            let p = prepare(&RunArgs {
                path: Some(path.clone()),
                config: args.config.clone(),
                ..RunArgs::default()
            })?;
            (p.scenario, p.source)
        }
        None => {
            let dir = args.config.clone().unwrap_or_else(|| ".".into());
            if !dir.is_dir() {
                return Err(format!(
                    "dialsim: configuration folder '{}' does not exist",
                    dir.display()
                ));
            }
            (
                Scenario::empty(Origin::new("<serve>", "")),
                Box::new(DirSource { dir }),
            )
        }
    };
    let secret = random_secret();
    let manager = ManagerConf::load(source.as_ref(), &secret);
    for w in &manager.warnings {
        eprintln!("manager.conf: {w}");
    }
    if !manager.enabled {
        return Err(
            "dialsim: manager.conf does not say 'enabled = yes' in [general], so Asterisk would open no AMI port"
                .to_string(),
        );
    }
    let addr: SocketAddr = match &args.ami {
        Some(text) => parse_addr(text)?,
        None => manager.listen_addr(),
    };
    let config = LoadedConfig::load(source.as_ref());
    let generated = manager.origin == ConfOrigin::Generated;
    let server = Server::start(ServeSetup {
        config,
        scenario,
        manager,
        addr,
        speed: args.speed,
    })
    .map_err(|e| format!("dialsim: cannot listen on {addr}: {e}"))?;
    println!("dialsim serve: AMI listening on {}", server.addr());
    if generated {
        println!("dialsim serve: no manager.conf; log in as 'dialsim' with secret '{secret}'");
    }
    println!("dialsim serve: Ctrl-C stops");
    use std::io::Write;
    let _ = std::io::stdout().flush();
    wait_for_ctrl_c().map_err(|e| format!("dialsim: cannot wait for Ctrl-C: {e}"))?;
    server.stop();
    println!("dialsim serve: stopped");
    Ok(())
}

/// `HOST:PORT`, or a bare port (on loopback).
fn parse_addr(text: &str) -> Result<SocketAddr, String> {
    if let Ok(port) = text.parse::<u16>() {
        return Ok(SocketAddr::from(([127, 0, 0, 1], port)));
    }
    text.parse()
        .map_err(|_| format!("dialsim: --ami: '{text}' is not HOST:PORT"))
}

fn wait_for_ctrl_c() -> std::io::Result<()> {
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()?;
    rt.block_on(tokio::signal::ctrl_c())
}

//! `lot = "default"`, `occupancy = 1`, `at = "3s"`: the number of calls parked in a lot at a time, from
//! the parking events (`ParkedCall` adds one; `UnParkedCall`, `ParkedCallTimeOut`, `ParkedCallGiveUp`
//! take one away).

use super::record::Record;
use super::Miss;
use dialplan::engine::event::clock_text;
use std::time::Duration;

#[derive(Clone, Debug)]
pub struct LotExpect {
    pub lot: String,
    pub occupancy: usize,
    pub at: Duration,
}

impl LotExpect {
    pub fn check(&self, rec: &Record) -> Result<(), Miss> {
        let mut parked: Vec<(String, String)> = Vec::new();
        for e in rec.events.iter().take_while(|e| e.time <= self.at) {
            let Some(f) = e.fields() else { continue };
            if f.get("Parkinglot") != Some(self.lot.as_str()) {
                continue;
            }
            let chan = f.get("ParkeeChannel").unwrap_or_default().to_string();
            let space = f.get("ParkingSpace").unwrap_or_default().to_string();
            match &*f.name {
                "ParkedCall" => parked.push((space, chan)),
                "UnParkedCall" | "ParkedCallTimeOut" | "ParkedCallGiveUp" => {
                    parked.retain(|(_, c)| *c != chan);
                }
                _ => {}
            }
        }
        if parked.len() == self.occupancy {
            return Ok(());
        }
        let expected = format!(
            "{} call{} parked in lot '{}' at {}",
            self.occupancy,
            if self.occupancy == 1 { "" } else { "s" },
            self.lot,
            clock_text(self.at)
        );
        let happened = if parked.is_empty() {
            "no call was parked there then".to_string()
        } else {
            let list: Vec<String> = parked
                .iter()
                .map(|(s, c)| format!("{c} at space {s}"))
                .collect();
            format!("{} parked: {}", parked.len(), list.join(", "))
        };
        Err(Miss::new(expected, happened).around(Some((self.at, self.at))))
    }
}

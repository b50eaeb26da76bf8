//! Saying a parking space: `ast_say_digits` plays `digits/<d>` for each digit, one after the other
//! (`main/say.c · say_digit_str_full`). The durations come from the engine's prompt catalogue.

use dialplan::engine::{ChannelId, Engine, Interrupt};

/// The prompts that say `number` digit by digit.
pub fn digit_prompts(number: u32) -> Vec<String> {
    number
        .to_string()
        .chars()
        .map(|d| format!("digits/{d}"))
        .collect()
}

/// Plays `number` as digits to `chan`; stops early if the channel hangs up or gets an async goto.
pub async fn say_digits(engine: &Engine, chan: ChannelId, number: u32) -> Result<(), Interrupt> {
    for prompt in digit_prompts(number) {
        engine.play(chan, &prompt).await?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn spaces_are_said_digit_by_digit() {
        assert_eq!(digit_prompts(701), ["digits/7", "digits/0", "digits/1"]);
        assert_eq!(digit_prompts(5), ["digits/5"]);
    }
}

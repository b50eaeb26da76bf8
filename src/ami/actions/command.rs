//! `Command`: a CLI command's output, through the shared CLI dispatcher (`action_command`): Asterisk 22
//! answers `Response: Success`, `Message: Command output follows` and one `Output:` header per line.

use super::ActionDef;
use crate::ami::{AmiContext, Message, Reply};
use crate::asterisk_cli::{self, CliAnswer};

pub const DEF: ActionDef = ActionDef {
    name: "Command",
    privilege: &["command"],
    synopsis: "Execute Asterisk CLI Command.",
    run,
};

fn run(ctx: &AmiContext<'_>, m: &Message) -> Reply {
    let cmd = m.get("Command").unwrap_or("");
    if cmd.is_empty() {
        return Reply::error(m, "No command provided");
    }
    let text = match asterisk_cli::execute(ctx.engine, ctx.modules, cmd) {
        CliAnswer::Output(text) => text,
        // What Asterisk's CLI prints for a command it does not know; dialsim's note follows it.
        CliAnswer::NotSimulated(note) => {
            format!("No such command '{cmd}' (type 'core show help {cmd}' for other possible commands)\n[dialsim: {note}]\n")
        }
    };
    let mut r = Reply::success(m, Some("Command output follows"));
    let body = text.strip_suffix('\n').unwrap_or(&text);
    for line in body.split('\n') {
        r.response.push("Output", line);
    }
    r
}

//! AMI framing: `Key: Value` lines (CRLF or LF) ending in a blank line, with dialsim's limits (a frame of
//! more than [`MAX_FRAME_BYTES`] bytes or [`MAX_HEADERS`] headers is refused).

use crate::ami::Message;
use tokio::io::{AsyncBufRead, AsyncBufReadExt};

/// The largest frame accepted, in bytes (its lines with their line ends).
pub const MAX_FRAME_BYTES: usize = 64 * 1024;
/// The most headers one frame may have.
pub const MAX_HEADERS: usize = 512;

/// Why no frame could be read.
#[derive(Debug)]
pub enum FrameError {
    /// The peer closed the connection (any partial frame is dropped, as Asterisk drops it).
    Closed,
    TooLarge,
    TooManyHeaders,
    Io(std::io::Error),
}

impl FrameError {
    /// The `Message:` of the error response sent before the session is closed.
    pub fn message(&self) -> String {
        match self {
            FrameError::TooLarge => {
                format!("Frame too large (over {MAX_FRAME_BYTES} bytes); closing the session")
            }
            FrameError::TooManyHeaders => {
                format!("Too many headers (over {MAX_HEADERS}); closing the session")
            }
            FrameError::Closed => "Connection closed".to_string(),
            FrameError::Io(e) => format!("Read error: {e}"),
        }
    }
}

/// Reads one frame. Blank lines before the first header are skipped (they end no frame). A line without
/// `:` is kept as a header with an empty value under its whole text, which no lookup ever matches, as
/// `astman_get_header` never matches it. Invalid UTF-8 is replaced, never refused.
pub async fn read_frame<R: AsyncBufRead + Unpin>(reader: &mut R) -> Result<Message, FrameError> {
    let mut msg = Message::new();
    let mut count = 0usize;
    let mut bytes = 0usize;
    let mut line = Vec::with_capacity(128);
    loop {
        line.clear();
        // Read at most what is left of the budget (+1 to notice the excess) so a peer that never sends a
        // line end cannot make us buffer without bound.
        let budget = (MAX_FRAME_BYTES - bytes + 1) as u64;
        let mut limited = tokio::io::AsyncReadExt::take(&mut *reader, budget);
        let n = limited
            .read_until(b'\n', &mut line)
            .await
            .map_err(FrameError::Io)?;
        if n == 0 {
            return Err(FrameError::Closed);
        }
        bytes += n;
        if bytes > MAX_FRAME_BYTES {
            return Err(FrameError::TooLarge);
        }
        if line.last() != Some(&b'\n') {
            // End of stream in the middle of a line.
            return Err(FrameError::Closed);
        }
        let text = String::from_utf8_lossy(&line);
        let text = text.trim_end_matches(['\r', '\n']);
        if text.is_empty() {
            if count == 0 {
                bytes = 0;
                continue;
            }
            return Ok(msg);
        }
        count += 1;
        if count > MAX_HEADERS {
            return Err(FrameError::TooManyHeaders);
        }
        match text.split_once(':') {
            // astman_get_header skips blanks after the colon and keeps the rest as it is.
            Some((k, v)) => msg.push(k, v.trim_start_matches([' ', '\t'])),
            None => msg.push(text, ""),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    async fn read_all(input: &[u8]) -> Vec<Result<Message, String>> {
        let mut r = tokio::io::BufReader::new(input);
        let mut out = Vec::new();
        loop {
            match read_frame(&mut r).await {
                Ok(m) => out.push(Ok(m)),
                Err(FrameError::Closed) => return out,
                Err(e) => {
                    out.push(Err(e.message()));
                    return out;
                }
            }
        }
    }

    fn run<F: std::future::Future>(f: F) -> F::Output {
        tokio::runtime::Builder::new_current_thread()
            .build()
            .unwrap()
            .block_on(f)
    }

    #[test]
    fn frames_end_at_a_blank_line_with_crlf_or_lf() {
        let frames = run(read_all(
            b"\r\nAction: Ping\r\nActionID:  7\r\n\r\nAction: Login\nUsername:a\n\n",
        ));
        assert_eq!(frames.len(), 2);
        let first = frames[0].as_ref().unwrap();
        assert_eq!(first.get("action"), Some("Ping"));
        assert_eq!(first.get("ActionID"), Some("7"));
        assert_eq!(frames[1].as_ref().unwrap().get("Username"), Some("a"));
    }

    #[test]
    fn oversized_frames_are_refused() {
        let mut big = b"Action: Ping\r\nX: ".to_vec();
        big.extend(std::iter::repeat_n(b'a', MAX_FRAME_BYTES));
        big.extend(b"\r\n\r\n");
        let frames = run(read_all(&big));
        assert!(frames[0]
            .as_ref()
            .unwrap_err()
            .starts_with("Frame too large"));

        let mut many = String::new();
        for i in 0..=MAX_HEADERS {
            many.push_str(&format!("H{i}: v\r\n"));
        }
        many.push_str("\r\n");
        let frames = run(read_all(many.as_bytes()));
        assert!(frames[0]
            .as_ref()
            .unwrap_err()
            .starts_with("Too many headers"));
    }
}

//! One AMI message: `Key: Value` headers in order, read the way `astman_get_header` reads them.

/// Headers in the order they were sent or will be written. A name may repeat (`Variable`, `ChanVariable`).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Message {
    headers: Vec<(String, String)>,
}

impl Message {
    pub fn new() -> Message {
        Message::default()
    }

    /// Builds a message from `(key, value)` pairs, keeping their order.
    pub fn from_pairs<K: Into<String>, V: Into<String>>(
        pairs: impl IntoIterator<Item = (K, V)>,
    ) -> Message {
        Message {
            headers: pairs
                .into_iter()
                .map(|(k, v)| (k.into(), v.into()))
                .collect(),
        }
    }

    pub fn push(&mut self, key: impl Into<String>, value: impl Into<String>) {
        self.headers.push((key.into(), value.into()));
    }

    /// The first header named `key`, compared without regard to case, as Asterisk compares them.
    pub fn get(&self, key: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(k, _)| k.eq_ignore_ascii_case(key))
            .map(|(_, v)| v.as_str())
    }

    /// Every header named `key`, in order.
    pub fn get_all<'a>(&'a self, key: &'a str) -> impl Iterator<Item = &'a str> + 'a {
        self.headers
            .iter()
            .filter(move |(k, _)| k.eq_ignore_ascii_case(key))
            .map(|(_, v)| v.as_str())
    }

    pub fn headers(&self) -> &[(String, String)] {
        &self.headers
    }

    /// `Key: Value\r\n` per header and the blank line that ends the block.
    pub fn to_wire(&self) -> String {
        let mut out = String::new();
        for (k, v) in &self.headers {
            out.push_str(k);
            out.push_str(": ");
            out.push_str(v);
            out.push_str("\r\n");
        }
        out.push_str("\r\n");
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn headers_are_found_without_regard_to_case_first_one_wins() {
        let m = Message::from_pairs([("Action", "Ping"), ("actionid", "1"), ("ActionID", "2")]);
        assert_eq!(m.get("ACTION"), Some("Ping"));
        assert_eq!(m.get("ActionID"), Some("1"));
        assert_eq!(m.get_all("actionID").collect::<Vec<_>>(), ["1", "2"]);
        assert_eq!(m.get("Channel"), None);
    }

    #[test]
    fn wire_form_ends_each_line_with_crlf_and_the_block_with_a_blank_line() {
        let m = Message::from_pairs([("Response", "Success"), ("Ping", "Pong")]);
        assert_eq!(m.to_wire(), "Response: Success\r\nPing: Pong\r\n\r\n");
    }
}

//! Numbers appended to strings without `core::fmt`: every channel gets a name (`PJSIP/alice-0000001f`), a
//! unique id (`1700000000.31`) and every bridge a UUID, and `format!` made these a visible part of a run of
//! many short calls (its machinery and the growing of its buffer cost several times the digits).

/// Appends `n` in decimal.
pub fn push_dec(out: &mut String, n: u64) {
    let mut buf = [0u8; 20];
    let mut i = buf.len();
    let mut n = n;
    loop {
        i -= 1;
        buf[i] = b'0' + (n % 10) as u8;
        n /= 10;
        if n == 0 {
            break;
        }
    }
    push_ascii(out, &buf[i..]);
}

/// Appends `n` in decimal, with a `-` when negative.
pub fn push_signed(out: &mut String, n: i64) {
    if n < 0 {
        out.push('-');
    }
    push_dec(out, n.unsigned_abs());
}

/// Appends `n` in lower-case hex, zero-padded to at least `width` digits (`{:0width$x}`).
pub fn push_hex(out: &mut String, n: u64, width: usize) {
    const DIGITS: &[u8; 16] = b"0123456789abcdef";
    let mut buf = [0u8; 16];
    let mut i = buf.len();
    let mut n = n;
    loop {
        i -= 1;
        buf[i] = DIGITS[(n & 0xf) as usize];
        n >>= 4;
        if n == 0 {
            break;
        }
    }
    let digits = buf.len() - i;
    out.extend(std::iter::repeat_n('0', width.saturating_sub(digits)));
    push_ascii(out, &buf[i..]);
}

/// Appends digits (ASCII, so always UTF-8).
fn push_ascii(out: &mut String, digits: &[u8]) {
    if let Ok(text) = std::str::from_utf8(digits) {
        out.push_str(text);
    }
}

/// `n` in decimal.
pub fn dec(n: u64) -> String {
    let mut s = String::with_capacity(20);
    push_dec(&mut s, n);
    s
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    proptest! {
        #[test]
        fn the_same_text_as_format(n in any::<u64>(), m in any::<i64>(), w in 0usize..20) {
            prop_assert_eq!(dec(n), n.to_string());
            let mut s = String::new();
            push_signed(&mut s, m);
            prop_assert_eq!(s, m.to_string());
            let mut s = String::from("x");
            push_hex(&mut s, n, w);
            prop_assert_eq!(s, format!("x{n:0w$x}"));
        }
    }

    #[test]
    fn edges() {
        assert_eq!(dec(0), "0");
        let mut s = String::new();
        push_hex(&mut s, 0, 8);
        assert_eq!(s, "00000000");
        let mut s = String::new();
        push_signed(&mut s, i64::MIN);
        assert_eq!(s, i64::MIN.to_string());
    }
}

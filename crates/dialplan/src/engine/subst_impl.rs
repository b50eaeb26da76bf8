//! A compact substitution for the engine until the full `expr` module is wired in: `${NAME}`,
//! `${NAME:offset:length}`, nesting, and `$[...]` with integer arithmetic, comparisons, `&`, `|`, `!`.

use super::channel::ChannelId;
use super::Engine;

pub(crate) fn substitute(engine: &Engine, chan: ChannelId, data: &str) -> String {
    let mut out = String::with_capacity(data.len());
    subst_into(engine, chan, data, &mut out, 0);
    out
}

fn subst_into(engine: &Engine, chan: ChannelId, data: &str, out: &mut String, depth: u8) {
    let b = data.as_bytes();
    let mut i = 0;
    while i < b.len() {
        if b[i] == b'$' && i + 1 < b.len() && (b[i + 1] == b'{' || b[i + 1] == b'[') {
            let (open, close) = if b[i + 1] == b'{' { (b'{', b'}') } else { (b'[', b']') };
            let start = i + 2;
            let mut level = 1;
            let mut j = start;
            while j < b.len() {
                if b[j] == open && j > 0 && b[j - 1] == b'$' {
                    level += 1;
                } else if b[j] == close {
                    level -= 1;
                    if level == 0 {
                        break;
                    }
                }
                j += 1;
            }
            let inner = &data[start..j.min(b.len())];
            let mut expanded = String::new();
            if depth < 15 {
                subst_into(engine, chan, inner, &mut expanded, depth + 1);
            }
            if open == b'{' {
                out.push_str(&variable(engine, chan, &expanded));
            } else {
                out.push_str(&evaluate(&expanded));
            }
            i = j + 1;
        } else {
            let next = memchr::memchr(b'$', &b[i + 1..]).map_or(b.len(), |k| i + 1 + k);
            out.push_str(&data[i..next]);
            i = next;
        }
    }
}

fn variable(engine: &Engine, chan: ChannelId, spec: &str) -> String {
    let (name, offset, length) = match spec.find(':') {
        Some(k) => {
            let mut parts = spec[k + 1..].split(':');
            (&spec[..k], parts.next(), parts.next())
        }
        None => (spec, None, None),
    };
    let value = engine.lookup_var(chan, name).unwrap_or_default();
    match offset {
        None => value,
        Some(o) => substring(&value, o, length),
    }
}

fn substring(value: &str, offset: &str, length: Option<&str>) -> String {
    let Ok(off) = offset.trim().parse::<f64>().map(|f| f as i64) else {
        return value.to_string();
    };
    let chars: Vec<char> = value.chars().collect();
    let n = chars.len() as i64;
    let start = if off < 0 { (n + off).max(0) } else { off.min(n) };
    let end = match length.map(|l| l.trim().parse::<i64>()) {
        Some(Ok(l)) if l < 0 => (n + l).max(start),
        Some(Ok(l)) => (start + l).min(n),
        _ => n,
    };
    chars[start as usize..end.max(start) as usize].iter().collect()
}

/// `$[...]`: integers with `+ - * / %`, comparisons (numeric when both sides are numbers), `&`, `|`, `!`,
/// parentheses; anything else is returned as written (trimmed).
fn evaluate(expr: &str) -> String {
    let tokens = tokenize(expr);
    let mut p = Parser { t: &tokens, i: 0 };
    match p.or() {
        Some(v) if p.i == tokens.len() => v,
        _ => expr.trim().to_string(),
    }
}

fn tokenize(s: &str) -> Vec<String> {
    let mut out = Vec::new();
    let c: Vec<char> = s.chars().collect();
    let mut i = 0;
    while i < c.len() {
        let ch = c[i];
        if ch.is_whitespace() {
            i += 1;
            continue;
        }
        let two: String = c[i..(i + 2).min(c.len())].iter().collect();
        if ["<=", ">=", "!=", "==", "&&", "||"].contains(&two.as_str()) {
            out.push(two);
            i += 2;
            continue;
        }
        if "+-*/%<>=!&|()".contains(ch) {
            out.push(ch.to_string());
            i += 1;
            continue;
        }
        let start = i;
        if ch == '"' {
            i += 1;
            while i < c.len() && c[i] != '"' {
                i += 1;
            }
            i = (i + 1).min(c.len());
        } else {
            while i < c.len() && !c[i].is_whitespace() && !"+-*/%<>=!&|()".contains(c[i]) {
                i += 1;
            }
        }
        out.push(c[start..i].iter().collect());
    }
    out
}

struct Parser<'a> {
    t: &'a [String],
    i: usize,
}

fn num(s: &str) -> Option<i64> {
    s.trim().parse::<i64>().ok()
}

fn truth(s: &str) -> bool {
    !(s.is_empty() || num(s) == Some(0))
}

impl Parser<'_> {
    fn peek(&self) -> Option<&str> {
        self.t.get(self.i).map(String::as_str)
    }

    fn or(&mut self) -> Option<String> {
        let mut l = self.and()?;
        while matches!(self.peek(), Some("|") | Some("||")) {
            self.i += 1;
            let r = self.and()?;
            l = if truth(&l) { l } else { r };
        }
        Some(l)
    }

    fn and(&mut self) -> Option<String> {
        let mut l = self.cmp()?;
        while matches!(self.peek(), Some("&") | Some("&&")) {
            self.i += 1;
            let r = self.cmp()?;
            l = if truth(&l) && truth(&r) { l } else { String::from("0") };
        }
        Some(l)
    }

    fn cmp(&mut self) -> Option<String> {
        let mut l = self.add()?;
        while let Some(op) = self.peek().filter(|o| ["=", "==", "!=", "<", ">", "<=", ">="].contains(o)) {
            let op = op.to_string();
            self.i += 1;
            let r = self.add()?;
            let ord = match (num(&l), num(&r)) {
                (Some(a), Some(b)) => a.cmp(&b),
                _ => l.cmp(&r),
            };
            let res = match op.as_str() {
                "=" | "==" => ord.is_eq(),
                "!=" => !ord.is_eq(),
                "<" => ord.is_lt(),
                ">" => ord.is_gt(),
                "<=" => ord.is_le(),
                _ => ord.is_ge(),
            };
            l = if res { "1" } else { "0" }.to_string();
        }
        Some(l)
    }

    fn add(&mut self) -> Option<String> {
        let mut l = self.mul()?;
        while let Some(op) = self.peek().filter(|o| *o == "+" || *o == "-") {
            let plus = op == "+";
            self.i += 1;
            let r = self.mul()?;
            let (a, b) = (num(&l).unwrap_or(0), num(&r).unwrap_or(0));
            l = if plus { a.wrapping_add(b) } else { a.wrapping_sub(b) }.to_string();
        }
        Some(l)
    }

    fn mul(&mut self) -> Option<String> {
        let mut l = self.unary()?;
        while let Some(op) = self.peek().filter(|o| ["*", "/", "%"].contains(o)) {
            let op = op.to_string();
            self.i += 1;
            let r = self.unary()?;
            let (a, b) = (num(&l).unwrap_or(0), num(&r).unwrap_or(0));
            l = match op.as_str() {
                "*" => a.wrapping_mul(b),
                "/" if b == 0 => i64::from(i32::MAX),
                "/" => a / b,
                _ if b == 0 => 0,
                _ => a % b,
            }
            .to_string();
        }
        Some(l)
    }

    fn unary(&mut self) -> Option<String> {
        match self.peek() {
            Some("!") => {
                self.i += 1;
                let v = self.unary()?;
                Some(if truth(&v) { "0" } else { "1" }.to_string())
            }
            Some("-") => {
                self.i += 1;
                let v = self.unary()?;
                Some(num(&v).map_or(v, |n| (-n).to_string()))
            }
            Some("(") => {
                self.i += 1;
                let v = self.or()?;
                if self.peek() == Some(")") {
                    self.i += 1;
                    Some(v)
                } else {
                    None
                }
            }
            Some(_) => {
                let v = self.t[self.i].clone();
                self.i += 1;
                Some(v)
            }
            None => None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn expressions() {
        assert_eq!(evaluate("1 + 2"), "3");
        assert_eq!(evaluate("5 < 10"), "1");
        assert_eq!(evaluate("abc = abc"), "1");
        assert_eq!(evaluate("(2+3)*4"), "20");
        assert_eq!(evaluate("007"), "007");
    }

    #[test]
    fn substrings() {
        assert_eq!(substring("abcdef", "2", Some("3")), "cde");
        assert_eq!(substring("abcdef", "-2", None), "ef");
        assert_eq!(substring("abcdef", "1", Some("-1")), "bcde");
    }
}

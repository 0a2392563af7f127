//! Reading a project's `.env` for the env-var wizard: `KEY=value` lines,
//! `export` prefixes, quoted values (escapes in double quotes), comments.

/// Names that look like they hold a secret start out marked secret.
const SECRET_HINTS: [&str; 6] = ["KEY", "SECRET", "TOKEN", "PASSWORD", "PRIVATE", "CREDENTIAL"];

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Entry {
    pub name: String,
    pub value: String,
    pub looks_secret: bool,
}

pub fn parse(text: &str) -> Vec<Entry> {
    text.lines().filter_map(parse_line).collect()
}

fn parse_line(line: &str) -> Option<Entry> {
    let line = line.trim();
    if line.is_empty() || line.starts_with('#') {
        return None;
    }
    let line = line.strip_prefix("export ").unwrap_or(line);
    let (name, value) = line.split_once('=')?;
    let name = name.trim();
    if name.is_empty() || !name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_') {
        return None;
    }
    let upper = name.to_ascii_uppercase();
    Some(Entry {
        name: name.to_owned(),
        value: unquote(value.trim()),
        looks_secret: SECRET_HINTS.iter().any(|hint| upper.contains(hint)),
    })
}

fn unquote(value: &str) -> String {
    if let Some(inner) = value.strip_prefix('"').and_then(|rest| rest.strip_suffix('"')) {
        return unescape(inner);
    }
    if let Some(inner) = value.strip_prefix('\'').and_then(|rest| rest.strip_suffix('\'')) {
        return inner.to_owned();
    }
    // An unquoted value ends at an inline comment.
    value.split(" #").next().unwrap_or(value).trim_end().to_owned()
}

/// Double-quoted escapes in one pass: `\n`, `\"`, `\\` (others kept).
fn unescape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut chars = text.chars();
    while let Some(c) = chars.next() {
        match (c, chars.clone().next()) {
            ('\\', Some('n')) => {
                out.push('\n');
                chars.next();
            }
            ('\\', Some(escaped @ ('"' | '\\'))) => {
                out.push(escaped);
                chars.next();
            }
            _ => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_the_common_dotenv_forms() {
        let text = "# comment\nAPI_URL=https://api.example.com # prod\nexport STRIPE_SECRET_KEY=\"sk_\\\"x\\\"\"\nNAME='a # b'\n\nbad line\n=novalue\nEMPTY=\n";
        let entries = parse(text);
        let pairs: Vec<_> =
            entries.iter().map(|entry| (entry.name.as_str(), entry.value.as_str(), entry.looks_secret)).collect();
        assert_eq!(
            pairs,
            [
                ("API_URL", "https://api.example.com", false),
                ("STRIPE_SECRET_KEY", "sk_\"x\"", true),
                ("NAME", "a # b", false),
                ("EMPTY", "", false),
            ]
        );
        assert_eq!(unquote(r#""a\\nb""#), "a\\nb", "an escaped backslash before n is not a newline");
        assert_eq!(unquote(r#""a\nb""#), "a\nb");
    }
}

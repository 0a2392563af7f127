//! A friendlier `wc`: counts lines, words, characters and bytes of files or
//! standard input, and can list the most frequent words with `--top N`.

use std::collections::HashMap;
use std::fmt;
use std::fs;
use std::io::{self, IsTerminal, Read, Write};
use std::process::ExitCode;

const NAME: &str = env!("CARGO_PKG_NAME");
const VERSION: &str = env!("CARGO_PKG_VERSION");

// ---------------------------------------------------------------------------
// Command-line options
// ---------------------------------------------------------------------------

#[derive(Debug, Default, PartialEq, Eq)]
struct Options {
    /// Show the N most frequent words (0 = don't show).
    top: usize,
    /// Input paths; empty means standard input. "-" also means standard input.
    paths: Vec<String>,
}

#[derive(Debug, PartialEq, Eq)]
enum Command {
    Run(Options),
    Help,
    Version,
}

#[derive(Debug, PartialEq, Eq)]
struct UsageError(String);

impl fmt::Display for UsageError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

fn parse_top(value: &str) -> Result<usize, UsageError> {
    value.parse::<usize>().map_err(|_| {
        UsageError(format!(
            "--top expects a non-negative number, got '{value}'"
        ))
    })
}

fn parse_args<I, S>(args: I) -> Result<Command, UsageError>
where
    I: IntoIterator<Item = S>,
    S: Into<String>,
{
    let mut options = Options::default();
    let mut args = args.into_iter().map(Into::into);
    let mut only_paths = false;

    while let Some(arg) = args.next() {
        if only_paths || arg == "-" || !arg.starts_with('-') {
            options.paths.push(arg);
            continue;
        }
        match arg.as_str() {
            "--" => only_paths = true,
            "-h" | "--help" => return Ok(Command::Help),
            "-V" | "--version" => return Ok(Command::Version),
            "-t" | "--top" => {
                let value = args
                    .next()
                    .ok_or_else(|| UsageError(format!("{arg} needs a value, e.g. {arg} 10")))?;
                options.top = parse_top(&value)?;
            }
            _ => {
                if let Some(value) = arg.strip_prefix("--top=") {
                    options.top = parse_top(value)?;
                } else {
                    return Err(UsageError(format!("unknown option '{arg}'")));
                }
            }
        }
    }
    Ok(Command::Run(options))
}

fn usage() -> String {
    format!(
        "{NAME} {VERSION}
Count lines, words, characters and bytes — like wc, but friendlier.

USAGE:
    {NAME} [OPTIONS] [FILE]...

With no FILE, or when FILE is -, read standard input.

OPTIONS:
    -t, --top <N>    Also list the N most frequent words (case-insensitive)
    -h, --help       Print this help
    -V, --version    Print the version

EXAMPLES:
    {NAME} README.md src/main.rs
    {NAME} --top 10 notes.txt
    cat book.txt | {NAME} -t 5
"
    )
}

// ---------------------------------------------------------------------------
// Counting
// ---------------------------------------------------------------------------

#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
struct Counts {
    lines: usize,
    words: usize,
    chars: usize,
    bytes: usize,
}

impl Counts {
    /// Count `data`. Lines are counted like `wc -l` (newline characters), words
    /// are whitespace-separated runs, chars are Unicode scalar values (invalid
    /// UTF-8 sequences count as one replacement character each).
    fn of(data: &[u8]) -> Self {
        let text = String::from_utf8_lossy(data);
        Counts {
            lines: data.iter().filter(|&&b| b == b'\n').count(),
            words: text.split_whitespace().count(),
            chars: text.chars().count(),
            bytes: data.len(),
        }
    }

    fn add(&mut self, other: Counts) {
        self.lines += other.lines;
        self.words += other.words;
        self.chars += other.chars;
        self.bytes += other.bytes;
    }
}

/// Split text into lowercase words for frequency counting. A word is a run of
/// letters/digits, optionally joined by apostrophes ("don't", "o'clock").
fn words(text: &str) -> impl Iterator<Item = String> + '_ {
    text.split(|c: char| !(c.is_alphanumeric() || c == '\'' || c == '\u{2019}'))
        .map(|w| w.trim_matches(|c: char| c == '\'' || c == '\u{2019}'))
        .filter(|w| !w.is_empty())
        .map(|w| w.replace('\u{2019}', "'").to_lowercase())
}

#[derive(Debug, Default)]
struct WordFreq(HashMap<String, usize>);

impl WordFreq {
    fn add_text(&mut self, text: &str) {
        for word in words(text) {
            *self.0.entry(word).or_insert(0) += 1;
        }
    }

    /// The `n` most frequent words, most frequent first; ties sorted alphabetically.
    fn top(&self, n: usize) -> Vec<(&str, usize)> {
        let mut entries: Vec<(&str, usize)> =
            self.0.iter().map(|(w, &c)| (w.as_str(), c)).collect();
        entries.sort_unstable_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(b.0)));
        entries.truncate(n);
        entries
    }

    fn distinct(&self) -> usize {
        self.0.len()
    }
}

// ---------------------------------------------------------------------------
// Output
// ---------------------------------------------------------------------------

/// Format a number with thousands separators: 1234567 -> "1,234,567".
fn group_digits(n: usize) -> String {
    let digits = n.to_string();
    let mut out = String::with_capacity(digits.len() + digits.len() / 3);
    for (i, ch) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i) % 3 == 0 {
            out.push(',');
        }
        out.push(ch);
    }
    out
}

fn write_table(out: &mut impl Write, rows: &[(String, Counts)]) -> io::Result<()> {
    let mut all: Vec<(String, Counts)> = rows.to_vec();
    if rows.len() > 1 {
        let mut total = Counts::default();
        for (_, counts) in rows {
            total.add(*counts);
        }
        all.push(("total".to_string(), total));
    }

    let cells: Vec<[String; 4]> = all
        .iter()
        .map(|(_, c)| [c.lines, c.words, c.chars, c.bytes].map(group_digits))
        .collect();
    let headers = ["lines", "words", "chars", "bytes"];
    let widths: Vec<usize> = (0..4)
        .map(|i| {
            cells
                .iter()
                .map(|row| row[i].len())
                .chain([headers[i].len()])
                .max()
                .unwrap_or(0)
        })
        .collect();

    let header: Vec<String> = headers
        .iter()
        .zip(&widths)
        .map(|(h, w)| format!("{h:>w$}"))
        .collect();
    writeln!(out, "{}  name", header.join("  "))?;
    for ((name, _), row) in all.iter().zip(&cells) {
        let line: Vec<String> = row
            .iter()
            .zip(&widths)
            .map(|(c, w)| format!("{c:>w$}"))
            .collect();
        writeln!(out, "{}  {name}", line.join("  "))?;
    }
    Ok(())
}

fn write_top(out: &mut impl Write, freq: &WordFreq, n: usize) -> io::Result<()> {
    let top = freq.top(n);
    writeln!(out)?;
    if top.is_empty() {
        return writeln!(out, "No words found.");
    }
    writeln!(
        out,
        "Top {} of {} distinct words:",
        top.len(),
        group_digits(freq.distinct())
    )?;

    const BAR_WIDTH: usize = 30;
    let max = top[0].1;
    let word_width = top
        .iter()
        .map(|(w, _)| w.chars().count())
        .max()
        .unwrap_or(0);
    let count_width = group_digits(max).len();
    let rank_width = top.len().to_string().len();
    for (i, (word, count)) in top.iter().enumerate() {
        let bar_len = (count * BAR_WIDTH).div_ceil(max).max(1);
        writeln!(
            out,
            "{rank:>rank_width$}. {word:<word_width$}  {count:>count_width$}  {bar}",
            rank = i + 1,
            count = group_digits(*count),
            bar = "█".repeat(bar_len),
        )?;
    }
    Ok(())
}

// ---------------------------------------------------------------------------
// main
// ---------------------------------------------------------------------------

fn read_input(path: &str) -> io::Result<Vec<u8>> {
    let mut data = Vec::new();
    if path == "-" {
        io::stdin().lock().read_to_end(&mut data)?;
    } else {
        data = fs::read(path)?;
    }
    Ok(data)
}

fn run(options: Options) -> ExitCode {
    let mut paths = options.paths;
    if paths.is_empty() {
        if io::stdin().is_terminal() {
            eprintln!(
                "{NAME}: reading from standard input (press Ctrl+D to finish, or see --help)"
            );
        }
        paths.push("-".to_string());
    }

    let mut rows = Vec::new();
    let mut freq = WordFreq::default();
    let mut failed = false;

    for path in &paths {
        match read_input(path) {
            Ok(data) => {
                if options.top > 0 {
                    freq.add_text(&String::from_utf8_lossy(&data));
                }
                let label = if path == "-" {
                    "<stdin>".to_string()
                } else {
                    path.clone()
                };
                rows.push((label, Counts::of(&data)));
            }
            Err(err) => {
                eprintln!("{NAME}: {path}: {err}");
                failed = true;
            }
        }
    }

    let stdout = io::stdout();
    let mut out = io::BufWriter::new(stdout.lock());
    let mut result = Ok(());
    if !rows.is_empty() {
        result = write_table(&mut out, &rows);
        if result.is_ok() && options.top > 0 {
            result = write_top(&mut out, &freq, options.top);
        }
    }
    if let Err(err) = result.and_then(|()| out.flush()) {
        // A closed pipe (e.g. `| head`) is not worth an error message.
        if err.kind() != io::ErrorKind::BrokenPipe {
            eprintln!("{NAME}: {err}");
            return ExitCode::FAILURE;
        }
    }

    if failed {
        ExitCode::FAILURE
    } else {
        ExitCode::SUCCESS
    }
}

fn main() -> ExitCode {
    match parse_args(std::env::args().skip(1)) {
        Ok(Command::Run(options)) => run(options),
        Ok(Command::Help) => {
            print!("{}", usage());
            ExitCode::SUCCESS
        }
        Ok(Command::Version) => {
            println!("{NAME} {VERSION}");
            ExitCode::SUCCESS
        }
        Err(err) => {
            eprintln!("{NAME}: {err}\nTry '{NAME} --help' for more information.");
            ExitCode::from(2)
        }
    }
}

// ---------------------------------------------------------------------------
// Tests
// ---------------------------------------------------------------------------

#[cfg(test)]
mod tests {
    use super::*;

    fn run_opts(top: usize, paths: &[&str]) -> Command {
        Command::Run(Options {
            top,
            paths: paths.iter().map(|s| s.to_string()).collect(),
        })
    }

    #[test]
    fn counts_basic_text() {
        let c = Counts::of(b"hello world\nsecond line\n");
        assert_eq!(
            c,
            Counts {
                lines: 2,
                words: 4,
                chars: 24,
                bytes: 24
            }
        );
    }

    #[test]
    fn counts_without_trailing_newline_and_empty_input() {
        assert_eq!(Counts::of(b"one two").lines, 0);
        assert_eq!(Counts::of(b"one two").words, 2);
        assert_eq!(Counts::of(b""), Counts::default());
    }

    #[test]
    fn counts_unicode_chars_and_bytes_separately() {
        let c = Counts::of("héllo wörld 🎉".as_bytes());
        assert_eq!(c.words, 3);
        assert_eq!(c.chars, 13);
        assert_eq!(c.bytes, 18);
    }

    #[test]
    fn invalid_utf8_does_not_panic() {
        let c = Counts::of(&[b'a', 0xff, b' ', b'b']);
        assert_eq!(c.words, 2);
        assert_eq!(c.bytes, 4);
    }

    #[test]
    fn counts_add_up() {
        let mut total = Counts::of(b"a b\n");
        total.add(Counts::of(b"c\n"));
        assert_eq!(
            total,
            Counts {
                lines: 2,
                words: 3,
                chars: 6,
                bytes: 6
            }
        );
    }

    #[test]
    fn words_are_lowercased_and_stripped_of_punctuation() {
        let got: Vec<String> = words("Hello, WORLD! It's 'quoted' -- rock-n-roll 42").collect();
        assert_eq!(
            got,
            ["hello", "world", "it's", "quoted", "rock", "n", "roll", "42"]
        );
    }

    #[test]
    fn curly_apostrophes_are_normalised() {
        let got: Vec<String> = words("Don\u{2019}t don't").collect();
        assert_eq!(got, ["don't", "don't"]);
    }

    #[test]
    fn top_words_sorted_by_count_then_alphabetically() {
        let mut freq = WordFreq::default();
        freq.add_text("the cat and the hat and the bat");
        assert_eq!(freq.top(3), vec![("the", 3), ("and", 2), ("bat", 1)]);
        assert_eq!(freq.top(100).len(), 5);
        assert!(freq.top(0).is_empty());
        assert_eq!(freq.distinct(), 5);
    }

    #[test]
    fn groups_digits() {
        assert_eq!(group_digits(0), "0");
        assert_eq!(group_digits(999), "999");
        assert_eq!(group_digits(1_000), "1,000");
        assert_eq!(group_digits(1_234_567), "1,234,567");
    }

    #[test]
    fn parses_paths_and_top() {
        assert_eq!(parse_args(Vec::<String>::new()), Ok(run_opts(0, &[])));
        assert_eq!(
            parse_args(["a.txt", "-", "b.txt"]),
            Ok(run_opts(0, &["a.txt", "-", "b.txt"]))
        );
        assert_eq!(
            parse_args(["--top", "5", "a.txt"]),
            Ok(run_opts(5, &["a.txt"]))
        );
        assert_eq!(
            parse_args(["a.txt", "-t", "3"]),
            Ok(run_opts(3, &["a.txt"]))
        );
        assert_eq!(parse_args(["--top=7"]), Ok(run_opts(7, &[])));
        assert_eq!(parse_args(["--", "--top"]), Ok(run_opts(0, &["--top"])));
    }

    #[test]
    fn parses_help_and_version() {
        assert_eq!(parse_args(["-h"]), Ok(Command::Help));
        assert_eq!(parse_args(["a.txt", "--help"]), Ok(Command::Help));
        assert_eq!(parse_args(["-V"]), Ok(Command::Version));
    }

    #[test]
    fn rejects_bad_arguments() {
        assert!(parse_args(["--top"]).is_err());
        assert!(parse_args(["--top", "many"]).is_err());
        assert!(parse_args(["--top=-1"]).is_err());
        assert!(parse_args(["--frobnicate"]).is_err());
    }

    #[test]
    fn table_has_header_rows_and_total() {
        let rows = vec![
            ("a.txt".to_string(), Counts::of(b"one two\n")),
            ("b.txt".to_string(), Counts::of(b"three\n")),
        ];
        let mut buf = Vec::new();
        write_table(&mut buf, &rows).expect("writing to a Vec cannot fail");
        let text = String::from_utf8(buf).expect("output is UTF-8");
        let lines: Vec<&str> = text.lines().collect();
        assert_eq!(lines.len(), 4);
        assert_eq!(lines[0], "lines  words  chars  bytes  name");
        assert_eq!(lines[1], "    1      2      8      8  a.txt");
        assert_eq!(lines[3], "    2      3     14     14  total");
    }

    #[test]
    fn single_input_has_no_total_row() {
        let rows = vec![("<stdin>".to_string(), Counts::of(b"x\n"))];
        let mut buf = Vec::new();
        write_table(&mut buf, &rows).expect("writing to a Vec cannot fail");
        let text = String::from_utf8(buf).expect("output is UTF-8");
        assert_eq!(text.lines().count(), 2);
        assert!(!text.contains("total"));
    }

    #[test]
    fn top_listing_shows_ranks_counts_and_bars() {
        let mut freq = WordFreq::default();
        freq.add_text("b a b c b a");
        let mut buf = Vec::new();
        write_top(&mut buf, &freq, 2).expect("writing to a Vec cannot fail");
        let text = String::from_utf8(buf).expect("output is UTF-8");
        assert!(text.contains("Top 2 of 3 distinct words:"));
        assert!(text.contains("1. b  3  ██████████████████████████████"));
        assert!(text.contains("2. a  2  ████████████████████"));
    }
}

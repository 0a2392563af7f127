//! Command-line arguments: `flashfusion [FOLDER [FILE]]`.

use std::ffi::OsString;
use std::path::PathBuf;

use crate::state::StartupArgs;

pub const USAGE: &str = "Usage: flashfusion [FOLDER [FILE]]
       flashfusion flashfusion://join?...
       flashfusion verify-certificate FILE

Opens FOLDER as a project (and FILE, relative to it, in the editor);
with an invite link, offers to join that session; without arguments
shows the welcome screen. verify-certificate checks a
FlashFusion course certificate (PDF): its signature and what it shows.

Options:
  -h, --help       print this help
  -V, --version    print the version

Environment:
  FLASHFUSION_DATA_DIR   where the database and logs live (default: ~/.local/share/flashfusion)
  FLASHFUSION_LOG        log filter, e.g. debug or flashfusion_project=trace";

pub enum Invocation {
    Run(StartupArgs),
    Exit(String),
    VerifyCertificate(PathBuf),
}

pub fn parse(arguments: impl Iterator<Item = OsString>) -> Result<Invocation, String> {
    let mut positional = Vec::new();
    for argument in arguments {
        match argument.to_str() {
            Some("-h" | "--help") => return Ok(Invocation::Exit(USAGE.to_owned())),
            Some("-V" | "--version") => {
                return Ok(Invocation::Exit(format!("flashfusion {}", env!("CARGO_PKG_VERSION"))))
            }
            Some(flag) if flag.starts_with('-') => return Err(format!("unknown option {flag}")),
            _ => positional.push(argument),
        }
    }
    if positional.first().and_then(|first| first.to_str()) == Some("verify-certificate") {
        return match positional.as_slice() {
            [_, file] => Ok(Invocation::VerifyCertificate(PathBuf::from(file))),
            _ => Err("verify-certificate takes one FILE".to_owned()),
        };
    }
    if let [link] = positional.as_slice() {
        if let Some(link) = link.to_str().filter(|link| link.starts_with("flashfusion://")) {
            return Ok(Invocation::Run(StartupArgs { join_link: Some(link.to_owned()), ..StartupArgs::default() }));
        }
    }
    let mut positional = positional.into_iter();
    let folder = positional.next().map(PathBuf::from);
    let file = positional.next().map(|file| file.to_string_lossy().into_owned());
    if positional.next().is_some() {
        return Err("too many arguments".to_owned());
    }
    Ok(Invocation::Run(StartupArgs { folder, file, join_link: None }))
}

/// A clear message instead of a GTK crash when there is nowhere to draw.
pub fn missing_display() -> Option<String> {
    let has = |name: &str| std::env::var_os(name).is_some_and(|value| !value.is_empty());
    if cfg!(target_os = "linux") && !has("DISPLAY") && !has("WAYLAND_DISPLAY") {
        Some(
            "flashfusion: no display found (neither DISPLAY nor WAYLAND_DISPLAY is set).\n\
             FlashFusion is a desktop app: run it in a graphical session, or under a virtual display:\n\
             \n    xvfb-run -a flashfusion\n"
                .to_owned(),
        )
    } else {
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn run(args: &[&str]) -> Result<StartupArgs, String> {
        match parse(args.iter().map(OsString::from))? {
            Invocation::Run(startup) => Ok(startup),
            Invocation::Exit(text) => Err(format!("exit: {text}")),
            Invocation::VerifyCertificate(path) => Err(format!("verify: {}", path.display())),
        }
    }

    #[test]
    fn folder_and_file_are_optional_positionals() {
        assert_eq!(run(&[]).unwrap(), StartupArgs::default());
        let startup = run(&["/p", "src/main.rs"]).unwrap();
        assert_eq!(startup.folder, Some(PathBuf::from("/p")));
        assert_eq!(startup.file.as_deref(), Some("src/main.rs"));
        assert!(run(&["a", "b", "c"]).is_err());
        assert!(run(&["--bogus"]).is_err());
        assert!(run(&["--version"]).unwrap_err().starts_with("exit: flashfusion "));
        assert_eq!(run(&["verify-certificate", "c.pdf"]).unwrap_err(), "verify: c.pdf");
        assert!(run(&["verify-certificate"]).is_err());
        let link = "flashfusion://join?server=http%3A%2F%2Fh%3A1&room=r&invite=c";
        assert_eq!(run(&[link]).unwrap().join_link.as_deref(), Some(link));
    }
}

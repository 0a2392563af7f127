//! The build before a deploy: detect the project's framework, its build
//! command and output folder, and run it with every output line streamed to
//! the deployment's log.

use std::path::{Path, PathBuf};
use std::process::Stdio;

use flashfusion_core::{Code, Error, Result};
use serde::Serialize;
use tokio::io::{AsyncBufReadExt, AsyncRead, BufReader};
use ts_rs::TS;

use crate::log::BuildLog;

/// How a project is built and where the site ends up.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct BuildPlan {
    pub framework: String,
    /// The install command, when dependencies are missing.
    pub install: Option<Vec<String>>,
    /// The build command; `None` for a site served as it is.
    pub command: Option<Vec<String>>,
    /// The output folder, relative to the project.
    pub output: String,
}

/// Reads `package.json` (and the lockfile) to decide how to build.
pub fn detect(root: &Path) -> BuildPlan {
    let manifest: Option<serde_json::Value> =
        std::fs::read_to_string(root.join("package.json")).ok().and_then(|text| serde_json::from_str(&text).ok());
    let Some(manifest) = manifest else {
        let output =
            ["public", "site", "www"].into_iter().find(|folder| root.join(folder).join("index.html").is_file());
        return BuildPlan {
            framework: "Static site".into(),
            install: None,
            command: None,
            output: output.unwrap_or(".").to_owned(),
        };
    };
    let depends_on = |name: &str| {
        ["dependencies", "devDependencies"]
            .iter()
            .any(|section| manifest.get(section).and_then(|deps| deps.get(name)).is_some())
    };
    let (framework, output) = if depends_on("vite") {
        ("Vite", "dist")
    } else if depends_on("next") {
        ("Next.js (static export)", "out")
    } else if depends_on("react-scripts") {
        ("Create React App", "build")
    } else if depends_on("astro") {
        ("Astro", "dist")
    } else if depends_on("@sveltejs/kit") {
        ("SvelteKit", "build")
    } else {
        ("npm project", "dist")
    };
    let has_build = manifest.pointer("/scripts/build").is_some();
    let tool = package_manager(root);
    let install = (!root.join("node_modules").is_dir()).then(|| match tool {
        "npm" if root.join("package-lock.json").is_file() => words(&["npm", "ci"]),
        _ => words(&[tool, "install"]),
    });
    BuildPlan {
        framework: framework.into(),
        install: install.filter(|_| has_build),
        command: has_build.then(|| words(&[tool, "run", "build"])),
        output: output.into(),
    }
}

fn package_manager(root: &Path) -> &'static str {
    if root.join("pnpm-lock.yaml").is_file() {
        "pnpm"
    } else if root.join("yarn.lock").is_file() {
        "yarn"
    } else {
        "npm"
    }
}

fn words(parts: &[&str]) -> Vec<String> {
    parts.iter().map(|part| (*part).to_owned()).collect()
}

/// Runs the plan's install and build steps in `root`, streaming their output
/// to `log`, and returns the output folder. A step that fails stops here with
/// `build_failed`; nothing is deployed.
pub async fn run(root: &Path, plan: &BuildPlan, log: &BuildLog) -> Result<PathBuf> {
    for command in plan.install.iter().chain(&plan.command) {
        run_step(root, command, log).await?;
    }
    if plan.command.is_none() {
        log.line(format!("{}: no build step, deploying the files as they are.", plan.framework));
    }
    let output = root.join(&plan.output);
    if !output.is_dir() {
        return Err(Error::new(
            Code::BuildFailed,
            format!("The build finished but left no output folder {}.", output.display()),
        ));
    }
    Ok(output)
}

async fn run_step(root: &Path, command: &[String], log: &BuildLog) -> Result<()> {
    let (program, args) = command.split_first().ok_or_else(|| Error::internal("an empty build command"))?;
    log.line(format!("$ {}", command.join(" ")));
    let mut child = tokio::process::Command::new(program)
        .args(args)
        .current_dir(root)
        .env("CI", "1")
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .kill_on_drop(true)
        .spawn()
        .map_err(|error| {
            Error::new(Code::BuildFailed, format!("Could not run `{program}` ({error}). Is it installed and on PATH?"))
        })?;
    let stdout = child.stdout.take().map(|out| stream_lines(out, log.clone()));
    let stderr = child.stderr.take().map(|err| stream_lines(err, log.clone()));
    for reader in [stdout, stderr].into_iter().flatten() {
        let _ = reader.await;
    }
    let status =
        child.wait().await.map_err(|error| Error::new(Code::BuildFailed, format!("The build stopped: {error}")))?;
    if !status.success() {
        let code = status.code().map_or_else(|| "a signal".to_owned(), |code| format!("exit code {code}"));
        return Err(Error::new(
            Code::BuildFailed,
            format!("`{}` failed ({code}); see the build log.", command.join(" ")),
        ));
    }
    Ok(())
}

fn stream_lines(reader: impl AsyncRead + Unpin + Send + 'static, log: BuildLog) -> tokio::task::JoinHandle<()> {
    tokio::spawn(async move {
        let mut lines = BufReader::new(reader).lines();
        while let Ok(Some(line)) = lines.next_line().await {
            log.line(line);
        }
    })
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    #[test]
    fn detects_frameworks_and_their_output() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("index.html"), "hi").unwrap();
        let plan = detect(dir.path());
        assert_eq!((plan.framework.as_str(), plan.command, plan.output.as_str()), ("Static site", None, "."));

        std::fs::write(
            dir.path().join("package.json"),
            r#"{"scripts":{"build":"vite build"},"devDependencies":{"vite":"^5"}}"#,
        )
        .unwrap();
        std::fs::write(dir.path().join("pnpm-lock.yaml"), "").unwrap();
        let plan = detect(dir.path());
        assert_eq!(plan.framework, "Vite");
        assert_eq!(plan.output, "dist");
        assert_eq!(plan.install, Some(words(&["pnpm", "install"])));
        assert_eq!(plan.command, Some(words(&["pnpm", "run", "build"])));

        std::fs::write(
            dir.path().join("package.json"),
            r#"{"scripts":{"build":"vite build"},"devDependencies":{"@sveltejs/kit":"2"}}"#,
        )
        .unwrap();
        assert_eq!(detect(dir.path()).framework, "SvelteKit", "scoped package names are found");
    }

    #[tokio::test]
    async fn streams_each_line_and_fails_on_a_bad_exit() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::create_dir(dir.path().join("out")).unwrap();
        let log = BuildLog::silent();
        let plan = BuildPlan {
            framework: "test".into(),
            install: None,
            command: Some(words(&["sh", "-c", "echo one; echo two >&2; echo three"])),
            output: "out".into(),
        };
        assert_eq!(run(dir.path(), &plan, &log).await.unwrap(), dir.path().join("out"));
        for line in ["$ sh -c", "one", "two", "three"] {
            assert!(log.text().contains(line), "{}", log.text());
        }

        let failing = BuildPlan { command: Some(words(&["sh", "-c", "echo broken; exit 3"])), ..plan.clone() };
        let error = run(dir.path(), &failing, &log).await.unwrap_err();
        assert_eq!(error.code, Code::BuildFailed);
        assert!(error.message.contains("exit code 3"), "{error}");

        let missing = BuildPlan { command: Some(words(&["no-such-tool-here"])), ..plan };
        assert_eq!(run(dir.path(), &missing, &log).await.unwrap_err().code, Code::BuildFailed);
    }
}

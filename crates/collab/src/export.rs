//! Exports a session as one zip: `files/<path>` (the files now),
//! `comments.json` (every thread), `history/versions.json` and
//! `history/<versionId>/<path>` (every version's files). The zip is written
//! next to its destination and renamed into place, so a failure leaves
//! nothing half-written. Paths come from the shared document, which any
//! participant can write: one that could land outside its folder when
//! unpacked is refused before anything is written.

use std::collections::BTreeMap;
use std::fs::File;
use std::io::Write;
use std::path::Path;

use flashfusion_core::{Code, Error, Result, ResultExt};
use serde::Serialize;
use zip::write::SimpleFileOptions;
use zip::{CompressionMethod, ZipWriter};

use crate::comments::CommentThread;
use crate::rest::VersionInfo;

pub fn export_session(
    dest: &Path,
    files: &BTreeMap<String, String>,
    threads: &[CommentThread],
    versions: &[(VersionInfo, BTreeMap<String, String>)],
) -> Result<()> {
    for path in files.keys().chain(versions.iter().flat_map(|(_, files)| files.keys())) {
        check_path(path)?;
    }
    let folder = dest.parent().filter(|folder| !folder.as_os_str().is_empty()).unwrap_or(Path::new("."));
    // Removed when dropped, so on any error below.
    let temporary = tempfile::Builder::new()
        .prefix(".flashfusion-export-")
        .suffix(".part")
        .tempfile_in(folder)
        .context_path("create a file in", folder)?;
    let mut zip = ZipWriter::new(temporary.as_file());
    for (path, text) in files {
        add(&mut zip, &format!("files/{path}"), text.as_bytes())?;
    }
    add(&mut zip, "comments.json", &to_json(threads)?)?;
    let infos: Vec<&VersionInfo> = versions.iter().map(|(info, _)| info).collect();
    add(&mut zip, "history/versions.json", &to_json(&infos)?)?;
    for (info, files) in versions {
        for (path, text) in files {
            add(&mut zip, &format!("history/{}/{path}", info.id), text.as_bytes())?;
        }
    }
    zip.finish().map_err(|error| zip_failed(dest, &error))?;
    temporary.as_file().sync_all().context_path("write", temporary.path())?;
    temporary.persist(dest).map_err(|error| error.error).context_path("save the export as", dest)?;
    Ok(())
}

/// Refuses a path that is empty, absolute, climbs (`..`), or holds a
/// backslash, a NUL, a drive letter or an empty or `.` component.
fn check_path(path: &str) -> Result<()> {
    let bad_component = |component: &str| {
        matches!(component, "" | "." | "..") || component.contains(['\\', '\0']) || component.ends_with(':')
    };
    if path.split('/').any(bad_component) {
        return Err(Error::new(Code::InvalidPath, format!("cannot export a file named {path:?}: rename it first")));
    }
    Ok(())
}

fn add(zip: &mut ZipWriter<&File>, name: &str, bytes: &[u8]) -> Result<()> {
    let options = SimpleFileOptions::default().compression_method(CompressionMethod::Deflated).large_file(true);
    zip.start_file(name, options).map_err(|error| zip_failed(Path::new(name), &error))?;
    zip.write_all(bytes).context_path("write", Path::new(name))
}

fn to_json<T: Serialize + ?Sized>(value: &T) -> Result<Vec<u8>> {
    serde_json::to_vec_pretty(value).map_err(|error| Error::internal(format!("could not write JSON: {error}")))
}

fn zip_failed(path: &Path, error: &zip::result::ZipError) -> Error {
    Error::new(Code::Io, format!("could not write {} into the zip: {error}", path.display()))
}

#[cfg(test)]
mod tests {
    use std::io::Read;

    use zip::ZipArchive;

    use super::*;
    use crate::comments::Comment;

    fn files(entries: &[(&str, &str)]) -> BTreeMap<String, String> {
        entries.iter().map(|(path, text)| ((*path).to_owned(), (*text).to_owned())).collect()
    }

    fn entries(zip: &Path) -> BTreeMap<String, String> {
        let mut archive = ZipArchive::new(File::open(zip).unwrap()).unwrap();
        (0..archive.len())
            .map(|index| {
                let mut entry = archive.by_index(index).unwrap();
                let mut text = String::new();
                entry.read_to_string(&mut text).unwrap();
                (entry.name().to_owned(), text)
            })
            .collect()
    }

    fn version(id: i64, message: &str) -> VersionInfo {
        VersionInfo {
            id,
            created_at: 1_700_000_000_000 + id,
            message: message.into(),
            author: "Ada".into(),
            automatic: false,
        }
    }

    fn thread() -> CommentThread {
        let comment = Comment {
            id: "1-2".into(),
            author_id: "7".into(),
            author: "Ada".into(),
            body: "Why “this”? 🤔".into(),
            created_at: 1_700_000_000_000,
            edited_at: None,
        };
        CommentThread {
            id: "1-0".into(),
            path: "src/main.rs".into(),
            index: 3,
            line: 1,
            resolved: false,
            comments: vec![comment],
        }
    }

    /// Nothing but `expected` in the folder: no temporary file left behind.
    fn assert_folder_holds(folder: &Path, expected: &[&str]) {
        let mut names: Vec<String> =
            std::fs::read_dir(folder).unwrap().map(|entry| entry.unwrap().file_name().into_string().unwrap()).collect();
        names.sort();
        assert_eq!(names, expected);
    }

    #[test]
    fn writes_files_comments_and_every_version() {
        let folder = tempfile::tempdir().unwrap();
        let dest = folder.path().join("session.zip");
        let now = files(&[("src/main.rs", "fn main() {}\n"), ("README.md", "# 你好\n")]);
        let history = [
            (version(2, "second"), files(&[("src/main.rs", "fn main() { todo!() }\n")])),
            (version(1, "first"), files(&[("src/main.rs", ""), ("old.txt", "old\n")])),
        ];
        export_session(&dest, &now, &[thread()], &history).unwrap();
        assert_folder_holds(folder.path(), &["session.zip"]);

        let entries = entries(&dest);
        assert_eq!(
            entries.keys().collect::<Vec<_>>(),
            [
                "comments.json",
                "files/README.md",
                "files/src/main.rs",
                "history/1/old.txt",
                "history/1/src/main.rs",
                "history/2/src/main.rs",
                "history/versions.json",
            ]
        );
        assert_eq!(entries["files/README.md"], "# 你好\n");
        assert_eq!(entries["history/2/src/main.rs"], "fn main() { todo!() }\n");
        assert_eq!(entries["history/1/src/main.rs"], "");
        let comments: serde_json::Value = serde_json::from_str(&entries["comments.json"]).unwrap();
        assert_eq!(comments[0]["comments"][0]["body"], "Why “this”? 🤔");
        assert_eq!(comments[0]["comments"][0]["editedAt"], serde_json::Value::Null);
        let listed: Vec<VersionInfo> = serde_json::from_str(&entries["history/versions.json"]).unwrap();
        assert_eq!(listed, [version(2, "second"), version(1, "first")]);
    }

    #[test]
    fn an_existing_export_is_replaced_whole() {
        let folder = tempfile::tempdir().unwrap();
        let dest = folder.path().join("session.zip");
        std::fs::write(&dest, "an older export").unwrap();
        export_session(&dest, &files(&[("a.txt", "a")]), &[], &[]).unwrap();
        assert_eq!(entries(&dest)["files/a.txt"], "a");
        assert_eq!(entries(&dest)["comments.json"], "[]");
    }

    #[test]
    fn hostile_paths_are_refused_and_nothing_is_written() {
        let folder = tempfile::tempdir().unwrap();
        let dest = folder.path().join("session.zip");
        for path in
            ["../escape.txt", "a/../../b", "/etc/passwd", "a\\..\\b", "nul\0byte", "", "a//b", "./a", "C:/x", "a/"]
        {
            let error = export_session(&dest, &files(&[(path, "x")]), &[], &[]).unwrap_err();
            assert_eq!(error.code, Code::InvalidPath, "{path:?}");
            let history = [(version(1, "v"), files(&[(path, "x")]))];
            let error = export_session(&dest, &files(&[("ok.txt", "x")]), &[], &history).unwrap_err();
            assert_eq!(error.code, Code::InvalidPath, "{path:?} in a version");
        }
        assert_folder_holds(folder.path(), &[]);
    }

    #[test]
    fn a_missing_folder_fails_cleanly() {
        let folder = tempfile::tempdir().unwrap();
        let dest = folder.path().join("no/such/folder/session.zip");
        let error = export_session(&dest, &files(&[("a.txt", "a")]), &[], &[]).unwrap_err();
        assert_eq!(error.code, Code::NotFound, "{error:?}");
        assert_folder_holds(folder.path(), &[]);
    }
}

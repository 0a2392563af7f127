//! Files related to the open one: what it imports and what imports it
//! (JavaScript/TypeScript, Python, Rust, HTML), found with light-weight
//! line scanning rather than full parsers — good enough to rank context.

use std::collections::HashSet;
use std::path::Path;

/// Importers are searched among at most this many files, nearest folders
/// first, so a huge project stays fast.
const IMPORTER_SCAN_LIMIT: usize = 1500;
const LARGEST_SCANNED_FILE: u64 = 128 * 1024;

#[derive(Clone, Copy, PartialEq, Eq)]
enum Family {
    Script,
    Python,
    Rust,
    Html,
    Other,
}

fn family(path: &str) -> Family {
    match Path::new(path).extension().and_then(|ext| ext.to_str()).unwrap_or_default() {
        "js" | "jsx" | "ts" | "tsx" | "mjs" | "cjs" | "mts" | "cts" | "vue" | "svelte" => Family::Script,
        "py" | "pyi" => Family::Python,
        "rs" => Family::Rust,
        "html" | "htm" => Family::Html,
        _ => Family::Other,
    }
}

/// What `path` imports, then what imports it, as project-relative paths.
pub fn related_files(root: &Path, path: &str, text: &str, project_files: &[String]) -> Vec<String> {
    let known: HashSet<&str> = project_files.iter().map(String::as_str).collect();
    let mut related: Vec<String> = Vec::new();
    for target in imports_of(path, text, &known) {
        if target != path && !related.contains(&target) {
            related.push(target);
        }
    }
    let own_family = family(path);
    let stem = Path::new(path).file_stem().and_then(|stem| stem.to_str()).unwrap_or_default();
    let mut candidates: Vec<&String> = project_files
        .iter()
        .filter(|candidate| candidate.as_str() != path && importer_family_matches(own_family, family(candidate)))
        .collect();
    candidates.sort_by_key(|candidate| std::cmp::Reverse(shared_prefix(candidate, path)));
    for candidate in candidates.into_iter().take(IMPORTER_SCAN_LIMIT) {
        let Some(candidate_text) = read_small_regular_file(&root.join(candidate)) else { continue };
        // Cheap filter before parsing: an importer names the file somewhere.
        if !candidate_text.contains(stem) {
            continue;
        }
        if imports_of(candidate, &candidate_text, &known).iter().any(|target| target == path)
            && !related.contains(candidate)
        {
            related.push(candidate.clone());
        }
    }
    related
}

/// A plain file's text, at most `LARGEST_SCANNED_FILE` bytes of it: never
/// through a symlink (it could lead out of the project, or to /dev/zero).
fn read_small_regular_file(path: &Path) -> Option<String> {
    use std::io::Read;
    let meta = std::fs::symlink_metadata(path).ok()?;
    if !meta.is_file() || meta.len() > LARGEST_SCANNED_FILE {
        return None;
    }
    let mut bytes = Vec::new();
    std::fs::File::open(path).ok()?.take(LARGEST_SCANNED_FILE).read_to_end(&mut bytes).ok()?;
    String::from_utf8(bytes).ok()
}

fn importer_family_matches(own: Family, candidate: Family) -> bool {
    match own {
        // Pages load scripts and styles; scripts import scripts.
        Family::Script => matches!(candidate, Family::Script | Family::Html),
        Family::Other => candidate == Family::Html,
        other => candidate == other,
    }
}

fn shared_prefix(a: &str, b: &str) -> usize {
    a.split('/').zip(b.split('/')).take_while(|(x, y)| x == y).count()
}

/// The project files `path` imports, resolved against the known files.
fn imports_of(path: &str, text: &str, known: &HashSet<&str>) -> Vec<String> {
    let folder = parent(path);
    match family(path) {
        Family::Script => quoted_specifiers(text, &["import", "require", "export"])
            .into_iter()
            .filter(|spec| spec.starts_with('.'))
            .filter_map(|spec| resolve_script(folder, &spec, known))
            .collect(),
        Family::Html => quoted_attributes(text)
            .into_iter()
            .filter(|spec| !spec.contains("://") && !spec.starts_with("//") && !spec.starts_with('#'))
            .filter_map(|spec| {
                let spec = spec.split(['?', '#']).next().unwrap_or_default().to_owned();
                let joined = if let Some(absolute) = spec.strip_prefix('/') {
                    Some(absolute.to_owned())
                } else {
                    join(folder, &spec)
                };
                joined.filter(|candidate| known.contains(candidate.as_str()))
            })
            .collect(),
        Family::Python => {
            python_modules(text).into_iter().filter_map(|module| resolve_python(folder, &module, known)).collect()
        }
        Family::Rust => {
            rust_modules(path, text).into_iter().filter(|candidate| known.contains(candidate.as_str())).collect()
        }
        Family::Other => Vec::new(),
    }
}

fn parent(path: &str) -> &str {
    path.rfind('/').map(|index| &path[..index]).unwrap_or("")
}

/// Joins a relative specifier onto a folder; `None` if it climbs out.
fn join(folder: &str, spec: &str) -> Option<String> {
    let mut parts: Vec<&str> = folder.split('/').filter(|part| !part.is_empty()).collect();
    for part in spec.split('/') {
        match part {
            "" | "." => {}
            ".." => {
                parts.pop()?;
            }
            part => parts.push(part),
        }
    }
    Some(parts.join("/"))
}

/// Quoted strings on lines that mention one of `keywords`.
fn quoted_specifiers(text: &str, keywords: &[&str]) -> Vec<String> {
    let mut specs = Vec::new();
    for line in text.lines().filter(|line| keywords.iter().any(|keyword| line.contains(keyword))) {
        let mut rest = line;
        while let Some(start) = rest.find(['\'', '"', '`']) {
            let quote = rest[start..].chars().next().unwrap_or('"');
            let after = &rest[start + 1..];
            let Some(end) = after.find(quote) else { break };
            specs.push(after[..end].to_owned());
            rest = &after[end + 1..];
        }
    }
    specs
}

fn quoted_attributes(text: &str) -> Vec<String> {
    let mut specs = Vec::new();
    for attribute in ["src=\"", "href=\"", "src='", "href='"] {
        let quote = attribute.chars().last().unwrap_or('"');
        let mut rest = text;
        while let Some(start) = rest.find(attribute) {
            let after = &rest[start + attribute.len()..];
            let Some(end) = after.find(quote) else { break };
            specs.push(after[..end].to_owned());
            rest = &after[end..];
        }
    }
    specs
}

fn resolve_script(folder: &str, spec: &str, known: &HashSet<&str>) -> Option<String> {
    let base = join(folder, spec)?;
    // TypeScript imports name the emitted `.js` of a `.ts` source.
    let without_js = base.strip_suffix(".js").map(str::to_owned);
    let mut candidates = vec![base.clone()];
    for extension in ["ts", "tsx", "js", "jsx", "mjs", "cjs", "json", "vue", "svelte"] {
        candidates.push(format!("{base}.{extension}"));
    }
    if let Some(stem) = &without_js {
        candidates.push(format!("{stem}.ts"));
        candidates.push(format!("{stem}.tsx"));
    }
    for extension in ["ts", "tsx", "js", "jsx"] {
        candidates.push(format!("{base}/index.{extension}"));
    }
    candidates.into_iter().find(|candidate| known.contains(candidate.as_str()))
}

/// Dotted module names from `import a.b` and `from .a import b` lines.
fn python_modules(text: &str) -> Vec<String> {
    let mut modules = Vec::new();
    for line in text.lines().map(str::trim) {
        if let Some(rest) = line.strip_prefix("from ") {
            if let Some((module, names)) = rest.split_once(" import ") {
                let module = module.trim();
                // `from . import a, b` names sibling modules.
                if module.chars().all(|c| c == '.') {
                    modules.extend(
                        names
                            .split(',')
                            .map(|name| format!("{module}{}", name.split_whitespace().next().unwrap_or_default())),
                    );
                } else {
                    modules.push(module.to_owned());
                }
            }
        } else if let Some(rest) = line.strip_prefix("import ") {
            modules.extend(rest.split(',').filter_map(|part| part.split_whitespace().next()).map(str::to_owned));
        }
    }
    modules
}

fn resolve_python(folder: &str, module: &str, known: &HashSet<&str>) -> Option<String> {
    let dots = module.chars().take_while(|c| *c == '.').count();
    let name = module[dots..].replace('.', "/");
    let bases: Vec<String> = if dots > 0 {
        let mut base = folder.to_owned();
        for _ in 1..dots {
            base = parent(&base).to_owned();
        }
        vec![base]
    } else {
        vec![String::new(), "src".to_owned(), folder.to_owned()]
    };
    for base in bases {
        let stem = if base.is_empty() {
            name.clone()
        } else if name.is_empty() {
            base.clone()
        } else {
            format!("{base}/{name}")
        };
        for candidate in [format!("{stem}.py"), format!("{stem}/__init__.py")] {
            if known.contains(candidate.as_str()) {
                return Some(candidate);
            }
        }
    }
    None
}

/// Files named by `mod x;` and `use crate::a::b` in a Rust file.
fn rust_modules(path: &str, text: &str) -> Vec<String> {
    let folder = parent(path);
    let file_name = path.rsplit('/').next().unwrap_or(path);
    // `mod x;` in main.rs, lib.rs or mod.rs is a sibling; elsewhere it lives
    // in a folder named after the file.
    let module_folder = if matches!(file_name, "main.rs" | "lib.rs" | "mod.rs") {
        folder.to_owned()
    } else {
        path.trim_end_matches(".rs").to_owned()
    };
    let crate_root = path.find("src/").map(|index| &path[..index + 3]).unwrap_or(folder);
    let mut candidates = Vec::new();
    for line in text.lines().map(str::trim) {
        let line = line.strip_prefix("pub ").unwrap_or(line);
        if let Some(name) = line.strip_prefix("mod ").and_then(|rest| rest.strip_suffix(';')) {
            let name = name.trim();
            candidates.push(prefixed(&module_folder, &format!("{name}.rs")));
            candidates.push(prefixed(&module_folder, &format!("{name}/mod.rs")));
        } else if let Some(rest) = line.strip_prefix("use crate::") {
            let segments: Vec<&str> = rest
                .split("::")
                .map(|segment| segment.trim_end_matches(';'))
                .take_while(|s| s.chars().all(|c| c.is_alphanumeric() || c == '_'))
                .collect();
            for depth in 1..=segments.len() {
                let module = segments[..depth].join("/");
                candidates.push(prefixed(crate_root, &format!("{module}.rs")));
                candidates.push(prefixed(crate_root, &format!("{module}/mod.rs")));
            }
        }
    }
    candidates
}

fn prefixed(folder: &str, name: &str) -> String {
    if folder.is_empty() {
        name.to_owned()
    } else {
        format!("{folder}/{name}")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn project(files: &[(&str, &str)]) -> (tempfile::TempDir, Vec<String>) {
        let dir = tempfile::tempdir().unwrap();
        for (path, text) in files {
            let absolute = dir.path().join(path);
            std::fs::create_dir_all(absolute.parent().unwrap()).unwrap();
            std::fs::write(absolute, text).unwrap();
        }
        (dir, files.iter().map(|(path, _)| (*path).to_owned()).collect())
    }

    #[test]
    fn typescript_imports_and_importers_are_found() {
        let app = "import { api } from './api';\nimport './styles.css';\nimport type { User } from \"../types/user.js\";\nconst x = require('./legacy');\n";
        let (dir, files) = project(&[
            ("src/app.ts", app),
            ("src/api/index.ts", "export const api = 1;"),
            ("src/styles.css", "body {}"),
            ("types/user.ts", "export type User = {};"),
            ("src/legacy.js", "module.exports = 1"),
            ("src/main.ts", "import { start } from './app';"),
            ("src/unrelated.ts", "export const app = 'not an import';"),
            ("index.html", "<script type=module src=\"/src/main.ts\"></script>"),
        ]);
        let related = related_files(dir.path(), "src/app.ts", app, &files);
        assert_eq!(related, ["src/api/index.ts", "src/styles.css", "types/user.ts", "src/legacy.js", "src/main.ts"]);
        let related = related_files(dir.path(), "src/main.ts", "import { start } from './app';", &files);
        assert_eq!(related, ["src/app.ts", "index.html"]);
    }

    #[test]
    fn python_and_rust_modules_resolve() {
        let main_py = "from .models import User\nfrom . import db, util\nimport app.config\n";
        let (dir, files) = project(&[
            ("app/main.py", main_py),
            ("app/models.py", ""),
            ("app/db.py", ""),
            ("app/config/__init__.py", ""),
        ]);
        assert_eq!(
            related_files(dir.path(), "app/main.py", main_py, &files),
            ["app/models.py", "app/db.py", "app/config/__init__.py"]
        );
        let lib = "mod parser;\npub mod cli;\nuse crate::store::db::open;\n";
        let (dir, files) = project(&[
            ("src/lib.rs", lib),
            ("src/parser.rs", ""),
            ("src/cli/mod.rs", ""),
            ("src/store.rs", "mod db;"),
            ("src/store/db.rs", ""),
        ]);
        assert_eq!(
            related_files(dir.path(), "src/lib.rs", lib, &files),
            ["src/parser.rs", "src/cli/mod.rs", "src/store.rs", "src/store/db.rs"]
        );
        assert_eq!(related_files(dir.path(), "src/store/db.rs", "", &files), ["src/lib.rs", "src/store.rs"]);
    }

    #[test]
    fn importers_are_never_read_through_symlinks() {
        let (dir, mut files) = project(&[("src/app.js", "export const app = 1;"), ("src/ok.js", "import './app';")]);
        // A link to an endless device would otherwise be read forever.
        std::os::unix::fs::symlink("/dev/zero", dir.path().join("src/zero.js")).unwrap();
        files.push("src/zero.js".to_owned());
        assert_eq!(related_files(dir.path(), "src/app.js", "export const app = 1;", &files), ["src/ok.js"]);
    }

    #[test]
    fn specifiers_climbing_out_of_the_project_are_ignored() {
        assert_eq!(join("src", "../../etc/passwd"), None);
        assert_eq!(join("src/a", "../b/./c").as_deref(), Some("src/b/c"));
    }
}

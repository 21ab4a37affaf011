//! The "your own work" stage: the exercise crate may use only what its stub
//! lists, so it cannot reach the lesson's variants or the solution.
//!
//! The crate boundary does most of the work: a variant or the solution is
//! another crate, and the exercise's manifest does not name it, so calling
//! it does not compile. What is left to check is that the boundary was not
//! moved: the manifest still lists exactly the dependencies the solution
//! has (the same entries, so no renamed or re-pointed crate), has no other
//! section or build script, no file is a link to elsewhere, and no source
//! file pulls in code from outside the crate (`include!`, `#[path]`) or
//! steps outside the language's guarantees (`unsafe`).

use std::path::{Path, PathBuf};

/// Keys a `[package]` table of an exercise may have.
const PACKAGE_KEYS: &[&str] = &[
    "name",
    "version",
    "description",
    "edition",
    "edition.workspace",
    "rust-version",
    "rust-version.workspace",
    "license",
    "license.workspace",
    "publish",
    "publish.workspace",
];

/// What may not appear in an exercise's source, and why.
const FORBIDDEN: &[(&str, &str)] = &[
    ("include!", "pulls in code from another file"),
    ("include_str!", "pulls in another file"),
    ("include_bytes!", "pulls in another file"),
    ("#[path", "points a module at a file outside the crate"),
    ("extern crate", "names a crate the manifest does not list"),
];

/// Everything in `exercise` that steps outside what the exercise may use,
/// one sentence each; empty when the crate keeps to its stub's rules.
/// `solution` is the reference solution's crate, whose dependencies are
/// the ones allowed.
pub fn problems(exercise: &Path, solution: &Path) -> Vec<String> {
    let mut problems = Vec::new();
    let manifest = |dir: &Path| std::fs::read_to_string(dir.join("Cargo.toml"));
    match (manifest(exercise), manifest(solution)) {
        (Ok(mine), Ok(theirs)) => problems.extend(manifest_problems(&mine, &theirs)),
        (Err(e), _) => problems.push(format!(
            "cannot read {}/Cargo.toml: {e}",
            exercise.display()
        )),
        (_, Err(e)) => problems.push(format!(
            "cannot read {}/Cargo.toml: {e}",
            solution.display()
        )),
    }
    if exercise.join("build.rs").exists() {
        problems.push("it has a build script (build.rs); the exercise has none".into());
    }
    let mut files = Vec::new();
    walk(exercise, &mut files, &mut problems);
    for file in files
        .iter()
        .filter(|f| f.extension().is_some_and(|e| e == "rs"))
    {
        let Ok(text) = std::fs::read_to_string(file) else {
            problems.push(format!("cannot read {}", file.display()));
            continue;
        };
        let shown = file.strip_prefix(exercise).unwrap_or(file).display();
        for (line_no, line) in code_lines(&text) {
            for (what, why) in FORBIDDEN {
                if line.contains(what) {
                    problems.push(format!("{shown}:{line_no}: `{what}` {why}"));
                }
            }
            if has_word(line, "unsafe") {
                problems.push(format!(
                    "{shown}:{line_no}: `unsafe` is not needed here: safe Rust meets the budget"
                ));
            }
        }
    }
    problems
}

/// Every file under `dir` (skipping `target/`); a symbolic link is a
/// problem, since it can make the crate's source another crate's.
fn walk(dir: &Path, files: &mut Vec<PathBuf>, problems: &mut Vec<String>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        problems.push(format!("cannot read {}", dir.display()));
        return;
    };
    for entry in entries.flatten() {
        let path = entry.path();
        let Ok(kind) = entry.file_type() else {
            continue;
        };
        if kind.is_symlink() {
            problems.push(format!("{} is a link to another file", path.display()));
        } else if kind.is_dir() {
            if path.file_name().is_some_and(|n| n != "target") {
                walk(&path, files, problems);
            }
        } else {
            files.push(path);
        }
    }
}

/// The manifest's sections and keys, comments and blank lines dropped:
/// `(section, line)` pairs, e.g. `("dependencies", "foldhash.workspace = true")`.
fn entries(manifest: &str) -> Vec<(String, String)> {
    let mut section = String::new();
    let mut out = Vec::new();
    for line in manifest.lines() {
        let line = line.split(" #").next().unwrap_or("").trim();
        if line.is_empty() || line.starts_with('#') {
            continue;
        }
        if line.starts_with('[') {
            section = line
                .trim_matches(|c| c == '[' || c == ']')
                .trim()
                .to_owned();
            continue;
        }
        out.push((
            section.clone(),
            line.split_whitespace().collect::<Vec<_>>().join(" "),
        ));
    }
    out
}

fn manifest_problems(mine: &str, solution: &str) -> Vec<String> {
    let mut problems = Vec::new();
    let theirs: Vec<String> = entries(solution)
        .into_iter()
        .filter(|(s, _)| s == "dependencies")
        .map(|(_, l)| l)
        .collect();
    let mut seen_sections = Vec::new();
    for (section, line) in entries(mine) {
        let key = line.split('=').next().unwrap_or("").trim().to_owned();
        match section.as_str() {
            "package" if PACKAGE_KEYS.contains(&key.as_str()) => {}
            "package" => problems.push(format!(
                "Cargo.toml sets `{key}` in [package]; the exercise keeps the shipped package settings"
            )),
            "dependencies" if theirs.contains(&line) => {}
            "dependencies" => problems.push(format!(
                "Cargo.toml adds or changes the dependency `{key}`; the exercise may use only: {}",
                dependency_names(&theirs).join(", ")
            )),
            other => {
                if !seen_sections.contains(&other.to_owned()) {
                    problems.push(format!(
                        "Cargo.toml has a [{other}] section; the exercise has only [package] and [dependencies]"
                    ));
                    seen_sections.push(other.to_owned());
                }
            }
        }
    }
    problems
}

/// The crate names of dependency lines (`foldhash.workspace = true` →
/// `foldhash`).
fn dependency_names(lines: &[String]) -> Vec<&str> {
    lines
        .iter()
        .filter_map(|l| l.split(['=', '.', ' ']).next())
        .collect()
}

/// The lines of `text` with their numbers, `//` comments cut off (a
/// comment may mention anything).
fn code_lines(text: &str) -> impl Iterator<Item = (usize, &str)> {
    text.lines()
        .enumerate()
        .map(|(i, line)| (i + 1, line.split("//").next().unwrap_or("")))
}

fn has_word(line: &str, word: &str) -> bool {
    line.match_indices(word).any(|(i, _)| {
        let before = line[..i].chars().next_back();
        let after = line[i + word.len()..].chars().next();
        let ident = |c: Option<char>| c.is_some_and(|c| c.is_alphanumeric() || c == '_');
        !ident(before) && !ident(after)
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    const SOLUTION: &str = "[package]\nname = \"x-solution\"\nedition.workspace = true\n\n\
                            [dependencies]\nx-api = { path = \"../api\" }\nfoldhash.workspace = true\n";

    /// The shipped manifest passes; each way of moving the boundary is
    /// named.
    #[test]
    fn a_manifest_that_reaches_past_the_stub_is_named() {
        let stub = SOLUTION.replace("x-solution", "x-exercise");
        assert!(manifest_problems(&stub, SOLUTION).is_empty());
        let extra = format!("{stub}x-solution = {{ path = \"../solution\" }}\n");
        let p = manifest_problems(&extra, SOLUTION);
        assert!(
            p[0].contains("`x-solution`") && p[0].contains("x-api, foldhash"),
            "{p:?}"
        );
        let renamed = stub.replace("\"../api\"", "\"../solution\", package = \"x-solution\"");
        assert!(manifest_problems(&renamed, SOLUTION)[0].contains("`x-api`"));
        let lib = format!("{stub}[lib]\npath = \"../solution/src/lib.rs\"\n");
        assert!(manifest_problems(&lib, SOLUTION)[0].contains("[lib]"));
        let build = stub.replace("edition.workspace", "build = \"b.rs\"\nedition.workspace");
        assert!(manifest_problems(&build, SOLUTION)[0].contains("`build`"));
    }

    /// `unsafe` is found as a word, not inside another identifier or a
    /// comment.
    #[test]
    fn unsafe_is_found_as_a_word_in_code_only() {
        assert!(has_word("unsafe { x }", "unsafe"));
        assert!(!has_word("let not_unsafe = 1;", "unsafe"));
        let lines: Vec<_> = code_lines("let a = 1; // unsafe\nunsafe fn f() {}").collect();
        assert!(!has_word(lines[0].1, "unsafe") && has_word(lines[1].1, "unsafe"));
    }
}

//! The "your own work" stage: an exercise crate that reaches past what its
//! stub allows is rejected, naming what it reached for. Each cheat below is
//! written into a copy of a real exercise crate; the shipped crates pass.

use std::path::{Path, PathBuf};

use workbench::check::guard;

/// A copy of `lessons/<lesson>/exercise` in a fresh temporary directory.
fn copy_of(lesson: &str, case: &str) -> PathBuf {
    let from = workbench::catalog::root()
        .join("lessons")
        .join(lesson)
        .join("exercise");
    let to = std::env::temp_dir().join(format!(
        "workbench-cheat-{}-{lesson}-{case}",
        std::process::id()
    ));
    let _ = std::fs::remove_dir_all(&to);
    std::fs::create_dir_all(to.join("src")).expect("temp dir");
    for file in ["Cargo.toml", "src/lib.rs"] {
        std::fs::copy(from.join(file), to.join(file)).expect("copied");
    }
    to
}

fn solution(lesson: &str) -> PathBuf {
    workbench::catalog::root()
        .join("lessons")
        .join(lesson)
        .join("solution")
}

fn append(path: &Path, text: &str) {
    let mut old = std::fs::read_to_string(path).expect("readable");
    old.push_str(text);
    std::fs::write(path, old).expect("writable");
}

/// What the guard says of a copy of `lesson`'s exercise changed by `cheat`.
fn problems_after(lesson: &str, case: &str, cheat: impl FnOnce(&Path)) -> Vec<String> {
    let dir = copy_of(lesson, case);
    cheat(&dir);
    let found = guard::problems(&dir, &solution(lesson));
    std::fs::remove_dir_all(&dir).expect("removed");
    found
}

/// Every shipped exercise crate and solution crate keeps to the rules.
#[test]
fn the_shipped_crates_pass() {
    for lesson in workbench::catalog::lessons() {
        let dir = workbench::catalog::root().join("lessons").join(lesson.name);
        for part in ["exercise", "solution"] {
            let found = guard::problems(&dir.join(part), &solution(lesson.name));
            assert!(found.is_empty(), "{}/{part}: {found:?}", lesson.name);
        }
    }
}

/// A change made to a copied exercise crate.
type Cheat = Box<dyn FnOnce(&Path)>;

/// Each way past the crate boundary is named in the verdict.
#[test]
fn every_cheat_is_named() {
    let cases: Vec<(&str, Cheat, &str)> = vec![
        (
            "depends on the solution",
            Box::new(|d| {
                append(
                    &d.join("Cargo.toml"),
                    "duplicates-solution = { path = \"../solution\" }\n",
                )
            }),
            "`duplicates-solution`",
        ),
        (
            "depends on the lesson (its variants)",
            Box::new(|d| append(&d.join("Cargo.toml"), "duplicates = { path = \"..\" }\n")),
            "`duplicates`",
        ),
        (
            "points its library at the solution's file",
            Box::new(|d| {
                append(
                    &d.join("Cargo.toml"),
                    "\n[lib]\npath = \"../solution/src/lib.rs\"\n",
                )
            }),
            "[lib]",
        ),
        (
            "includes the solution's source",
            Box::new(|d| {
                append(
                    &d.join("src/lib.rs"),
                    "\ninclude!(\"../../solution/src/lib.rs\");\n",
                )
            }),
            "`include!`",
        ),
        (
            "points a module at the solution",
            Box::new(|d| {
                append(
                    &d.join("src/lib.rs"),
                    "\n#[path = \"../../solution/src/lib.rs\"]\nmod s;\n",
                )
            }),
            "`#[path`",
        ),
        (
            "uses unsafe",
            Box::new(|d| {
                append(
                    &d.join("src/lib.rs"),
                    "\nfn f(p: *const u8) -> u8 { unsafe { *p } }\n",
                )
            }),
            "`unsafe`",
        ),
        (
            "adds a build script",
            Box::new(|d| std::fs::write(d.join("build.rs"), "fn main() {}\n").expect("written")),
            "build script",
        ),
    ];
    for (i, (what, cheat, named)) in cases.into_iter().enumerate() {
        let found = problems_after("duplicates", &i.to_string(), cheat);
        assert!(found.iter().any(|p| p.contains(named)), "{what}: {found:?}");
    }
}

/// A source file that is a link to the solution's is named too.
#[cfg(unix)]
#[test]
fn a_linked_source_file_is_named() {
    let found = problems_after("strings", "link", |d| {
        let target = solution("strings").join("src/lib.rs");
        std::fs::remove_file(d.join("src/lib.rs")).expect("removed");
        std::os::unix::fs::symlink(target, d.join("src/lib.rs")).expect("linked");
    });
    assert!(found.iter().any(|p| p.contains("is a link")), "{found:?}");
}

//! `workbench lint`, for lesson authors: every lesson has every part.

use std::path::{Path, PathBuf};

use crate::catalog::{Lesson, Role};

pub use crate::catalog::root;

/// Everything missing from one lesson, as sentences; empty when complete.
pub fn problems(root: &Path, lesson: &Lesson) -> Vec<String> {
    let mut problems = Vec::new();
    let name = lesson.name;
    let read = |rel: &str| std::fs::read_to_string(root.join(rel)).ok();
    let mut need = |ok: bool, what: String| {
        if !ok {
            problems.push(what);
        }
    };

    let lesson_src: String = std::fs::read_dir(root.join(format!("lessons/{name}/src")))
        .into_iter()
        .flatten()
        .flatten()
        .filter_map(|entry| std::fs::read_to_string(entry.path()).ok())
        .collect();
    for question in &lesson.questions {
        let baselines = question
            .variants
            .iter()
            .filter(|v| v.role == Role::Baseline)
            .count();
        need(
            baselines == 1,
            format!(
                "question '{}' has {baselines} baselines, needs 1",
                question.name
            ),
        );
        for v in &question.variants {
            need(
                defines(&lesson_src, v.name),
                format!(
                    "variant '{}' has no `pub fn {}` in lessons/{name}/src",
                    v.name, v.name
                ),
            );
        }
    }

    need(
        crate::check::judge_of(name).is_some(),
        format!("no judge: add src/check/{name}.rs and its row in check::JUDGES"),
    );
    for q in &lesson.questions {
        let p = &q.param;
        need(
            p.sweep
                .iter()
                .chain([&p.default])
                .all(|&v| v <= p.max.value),
            format!(
                "question '{}': its sweep or default passes its bound {}",
                q.name, p.max.value
            ),
        );
    }

    let agree = read(&format!("tests/{name}_agree.rs")).unwrap_or_default();
    need(
        agree.contains("#[test]"),
        format!("no agreement test in tests/{name}_agree.rs"),
    );
    let heap = read(&format!("tests/{name}_heap.rs")).unwrap_or_default();
    need(
        heap.contains("dhat"),
        format!("no dhat heap test in tests/{name}_heap.rs"),
    );
    need(
        read(&format!("benches/{name}.rs")).is_some(),
        format!("no bench file benches/{name}.rs"),
    );
    let manifest = read("Cargo.toml").unwrap_or_default();
    need(
        manifest.contains(&format!("[[bench]]\nname = \"{name}\"")),
        format!("Cargo.toml has no [[bench]] named '{name}'"),
    );

    let stub = read(&format!("lessons/{name}/exercise/src/lib.rs")).unwrap_or_default();
    need(
        stub.contains("// TODO:"),
        format!("lessons/{name}/exercise/src/lib.rs has no `// TODO:` marker"),
    );
    need(
        stub.contains("todo!(") || lesson.exercise.works_as_shipped,
        format!("lessons/{name}/exercise/src/lib.rs does not end in todo!()"),
    );
    // The budget, stated where the learner reads it: the stub's doc
    // comment and the chapter's exercise section say what the catalog's
    // one Budget value says.
    let stub_doc: String = stub
        .lines()
        .filter(|l| l.trim_start().starts_with("//"))
        .collect::<Vec<_>>()
        .join(" ");
    let chapter_file = read(&format!("book/src/{name}.md"));
    let chapter = chapter_file.as_deref().unwrap_or("");
    let exercise_section = chapter
        .split("\n## ")
        .find(|s| s.starts_with("Exercise"))
        .unwrap_or("")
        .replace("**", "");
    for ways in lesson.exercise.budget.phrases() {
        let said = |text: &str| ways.iter().any(|w| text.contains(w.as_str()));
        need(
            said(&stub_doc),
            format!(
                "the stub's doc comment does not state the budget's `{}`",
                ways[0]
            ),
        );
        need(
            said(&exercise_section),
            format!(
                "book/src/{name}.md's Exercise section does not state the budget's `{}`",
                ways[0]
            ),
        );
    }
    let solution = read(&format!("lessons/{name}/solution/src/lib.rs")).unwrap_or_default();
    need(
        defines(&solution, lesson.exercise.function) && !solution.contains("todo!("),
        format!(
            "lessons/{name}/solution/src/lib.rs has no finished `{}`",
            lesson.exercise.function
        ),
    );
    need(
        root.join(format!("lessons/{name}/python/reference.py"))
            .is_file(),
        format!("no lessons/{name}/python/reference.py"),
    );

    let summary = read("book/src/SUMMARY.md").unwrap_or_default();
    need(
        summary.contains(&format!("({name}.md)")),
        format!("book/src/SUMMARY.md does not list {name}.md"),
    );
    let chapter_includes = match &chapter_file {
        None => {
            need(false, format!("no chapter book/src/{name}.md"));
            Vec::new()
        }
        Some(text) => broken_includes(&root.join("book/src"), text),
    };
    // The chapter shows where the time goes: the flame graphs `workbench
    // flame` writes.
    if let Some(first) = lesson.questions.first() {
        for v in first.profiled() {
            let file = crate::report::flame_name(name, v.name);
            need(
                chapter.contains(&format!("](results/{file})"))
                    && root.join("book/src/results").join(&file).is_file(),
                format!(
                    "book/src/{name}.md does not show results/{file} (`workbench flame --lesson {name}` writes it)"
                ),
            );
        }
    }
    // The solution has a page of its own after the chapter, with the
    // judge's transcript of it that `report` generates.
    let page = format!("{name}-solution.md");
    need(
        summary.contains(&format!("(./{page})")) || summary.contains(&format!("({page})")),
        format!("book/src/SUMMARY.md does not list {page}"),
    );
    let mut solution_includes = Vec::new();
    match read(&format!("book/src/{page}")) {
        None => need(false, format!("no solution page book/src/{page}")),
        Some(text) => {
            for (what, include) in [
                (
                    "the solution",
                    format!("lessons/{name}/solution/src/lib.rs:solution"),
                ),
                (
                    "the check transcript",
                    format!("results/{}", crate::report::check_name(name)),
                ),
            ] {
                need(
                    text.contains(&format!("{{{{#include ../../{include}}}}}"))
                        || text.contains(&format!("{{{{#include {include}}}}}")),
                    format!("book/src/{page} does not include {what} ({include})"),
                );
            }
            solution_includes = broken_includes(&root.join("book/src"), &text);
        }
    }
    problems.extend(chapter_includes);
    problems.extend(solution_includes);
    problems
}

/// The units that make a number a measured figure: time, ratio, bytes,
/// percent. Longest first, so `ms` is not read as `m` and `s`.
const FIGURE_UNITS: &[&str] = &[
    "kilobytes",
    "megabytes",
    "seconds",
    "second",
    "minutes",
    "bytes",
    "times",
    "byte",
    "KiB",
    "MiB",
    "GiB",
    "KB",
    "kB",
    "MB",
    "GB",
    "ns",
    "µs",
    "us",
    "ms",
    "s",
    "B",
    "x",
    "×",
    "%",
];

/// Every measured figure typed by hand into a chapter, as `line N: …`.
///
/// A measured figure is a number followed by a unit of [`FIGURE_UNITS`]
/// (`3.2 ms`, `45x`, `1.5 KiB`, `31%`, `128-byte`) or after `×`. What the
/// rule leaves alone, because its numbers are not this machine's
/// measurements:
/// - code: fenced blocks and `inline spans` (constants of the code and the
///   scenario, such as a `10 ms` latency, are written as code);
/// - `{{#include …}}`: generated figures come in that way;
/// - text in double quotes, `"…"` or `“…”`: the article's own words (its
///   claims are quoted, never restated);
/// - link targets and HTML comments;
/// - the `stated` phrases: an exercise's budget (`at least 50x`), a
///   constant of the catalog that `lint` already holds the chapter to.
pub fn typed_figures(chapter: &str, stated: &[String]) -> Vec<String> {
    let mut found = Vec::new();
    let mut fenced = false;
    for (i, line) in chapter.lines().enumerate() {
        let trimmed = line.trim_start();
        if trimmed.starts_with("```") || trimmed.starts_with("~~~") {
            fenced = !fenced;
            continue;
        }
        if fenced {
            continue;
        }
        let line = stated.iter().fold(line.to_owned(), |text, phrase| {
            text.replace(phrase.as_str(), " ")
        });
        let prose = [
            ("{{#", "}}"),
            ("`", "`"),
            ("\"", "\""),
            ("“", "”"),
            ("](", ")"),
            ("<!--", "-->"),
        ]
        .iter()
        .fold(line, |text, (open, close)| {
            without_spans(&text, open, close)
        });
        for figure in figures_in(&prose) {
            found.push(format!("line {}: {figure}", i + 1));
        }
    }
    found
}

/// Every code block that includes a fragment of the repository
/// (`{{#include ../../path…}}`) without naming its file on the line after
/// it (`<sub>from `path`</sub>`), as `line N: path`. The book has no link
/// to the repository's files, so the caption is how a reader finds one.
pub fn unnamed_fragments(chapter: &str) -> Vec<String> {
    let lines: Vec<&str> = chapter.lines().collect();
    let mut found = Vec::new();
    let mut open: Option<usize> = None;
    for (i, line) in lines.iter().enumerate() {
        if !line.trim_start().starts_with("```") {
            continue;
        }
        let Some(start) = open.take() else {
            open = Some(i);
            continue;
        };
        let next = lines.get(i + 1).copied().unwrap_or("");
        for included in lines[start + 1..i]
            .iter()
            .flat_map(|l| l.split("{{#include ../../").skip(1))
        {
            let path = included.split([':', '}']).next().unwrap_or("");
            if !(next.starts_with("<sub>from") && next.contains(&format!("`{path}`"))) {
                found.push(format!("line {}: {path}", start + 1));
            }
        }
    }
    found
}

/// `text` with every span from `open` to the next `close` blanked out.
fn without_spans(text: &str, open: &str, close: &str) -> String {
    let mut out = String::new();
    let mut rest = text;
    while let Some(at) = rest.find(open) {
        out.push_str(&rest[..at]);
        let after = &rest[at + open.len()..];
        match after.find(close) {
            Some(end) => {
                out.push(' ');
                rest = &after[end + close.len()..];
            }
            // An unclosed span runs to the end of the line.
            None => return out,
        }
    }
    out.push_str(rest);
    out
}

/// The measured figures in one line of prose.
fn figures_in(text: &str) -> Vec<String> {
    let chars: Vec<char> = text.chars().collect();
    let mut found = Vec::new();
    let mut i = 0;
    while i < chars.len() {
        let starts_number = chars[i].is_ascii_digit()
            && (i == 0 || !(chars[i - 1].is_alphanumeric() || chars[i - 1] == '_'));
        if !starts_number {
            i += 1;
            continue;
        }
        let start = i;
        while i < chars.len()
            && (chars[i].is_ascii_digit()
                || ((chars[i] == ',' || chars[i] == '.')
                    && chars.get(i + 1).is_some_and(char::is_ascii_digit)))
        {
            i += 1;
        }
        let number: String = chars[start..i].iter().collect();
        let before_times = chars[..start]
            .iter()
            .rev()
            .find(|c| !c.is_whitespace())
            .is_some_and(|&c| c == '×');
        let mut j = i;
        while j < chars.len() && matches!(chars[j], ' ' | '\u{a0}' | '\u{202f}' | '-') {
            j += 1;
        }
        let rest: String = chars[j..].iter().collect();
        let unit = FIGURE_UNITS.iter().find(|u| {
            rest.starts_with(*u)
                && !rest[u.len()..]
                    .chars()
                    .next()
                    .is_some_and(|c| c.is_alphanumeric() || c == '_')
        });
        match (unit, before_times) {
            (Some(u), _) => found.push(format!("{number}{}{u}", if j > i { " " } else { "" })),
            (None, true) => found.push(format!("×{number}")),
            _ => {}
        }
    }
    found
}

/// Whether `src` defines `name` as a public function or type.
fn defines(src: &str, name: &str) -> bool {
    [
        "pub fn {}(",
        "pub fn {}<",
        "pub async fn {}(",
        "pub struct {} ",
        "pub struct {}<",
    ]
    .iter()
    .any(|pattern| src.contains(&pattern.replace("{}", name)))
}

/// Every `{{#include path:anchor}}` in `chapter` whose file or anchor is
/// missing, relative to the chapter's directory.
pub fn broken_includes(dir: &Path, chapter: &str) -> Vec<String> {
    chapter
        .split("{{#include ")
        .skip(1)
        .filter_map(|rest| rest.split_once("}}").map(|(target, _)| target.trim()))
        .filter_map(|target| {
            let (path, anchor) = match target.rsplit_once(':') {
                // `path:10:20` line ranges are not anchors.
                Some((p, a)) if !a.chars().all(|c| c.is_ascii_digit()) => (p, Some(a)),
                _ => (target, None),
            };
            let text = match std::fs::read_to_string(dir.join(path)) {
                Ok(text) => text,
                Err(_) => return Some(format!("include of missing file {path}")),
            };
            let anchored = anchor.is_none_or(|a| {
                text.contains(&format!("ANCHOR: {a}\n"))
                    && text.contains(&format!("ANCHOR_END: {a}\n"))
            });
            (!anchored).then(|| format!("include of {path}: no anchor '{}'", anchor.unwrap_or("")))
        })
        .fold(Vec::new(), |mut found, problem| {
            // A missing file is one problem, however often it is included.
            if !found.contains(&problem) {
                found.push(problem);
            }
            found
        })
}

/// Every internal link or image in the HTML files under `site` (a built
/// book) whose target file, or `#fragment` within it, does not exist.
/// External links (`https:`, `mailto:` …) are not followed.
pub fn broken_links(site: &Path) -> Vec<String> {
    let mut pages = Vec::new();
    collect_html(site, &mut pages);
    let mut broken = Vec::new();
    for page in &pages {
        let Ok(html) = std::fs::read_to_string(page) else {
            continue;
        };
        let shown = page
            .strip_prefix(site)
            .unwrap_or(page)
            .display()
            .to_string();
        for link in attribute_values(&html, &["href", "src"]) {
            if link.is_empty() || link.contains(':') || link.starts_with("//") {
                continue; // external, data: or javascript:
            }
            let (path, fragment) = link.split_once('#').unwrap_or((link, ""));
            let path = path.split('?').next().unwrap_or(path);
            let target = match path {
                "" => page.clone(),
                p if p.starts_with('/') => site.join(p.trim_start_matches('/')),
                p => page.parent().unwrap_or(site).join(p),
            };
            let target = if target.is_dir() {
                target.join("index.html")
            } else {
                target
            };
            if !target.is_file() {
                broken.push(format!("{shown}: {link} (no such file)"));
            } else if !fragment.is_empty() && target.extension().is_some_and(|e| e == "html") {
                let body = std::fs::read_to_string(&target).unwrap_or_default();
                if !body.contains(&format!("id=\"{fragment}\"")) {
                    broken.push(format!("{shown}: {link} (no anchor #{fragment})"));
                }
            }
        }
    }
    broken
}

fn collect_html(dir: &Path, out: &mut Vec<PathBuf>) {
    for entry in std::fs::read_dir(dir).into_iter().flatten().flatten() {
        let path = entry.path();
        if path.is_dir() {
            collect_html(&path, out);
        } else if path.extension().is_some_and(|e| e == "html") {
            out.push(path);
        }
    }
}

/// The double-quoted values of the given attributes, in document order.
fn attribute_values<'a>(html: &'a str, names: &[&str]) -> Vec<&'a str> {
    let mut values = Vec::new();
    for name in names {
        let needle = format!(" {name}=\"");
        let mut rest = html;
        while let Some(at) = rest.find(&needle) {
            rest = &rest[at + needle.len()..];
            if let Some(end) = rest.find('"') {
                values.push(&rest[..end]);
                rest = &rest[end..];
            }
        }
    }
    values
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A fragment of the repository without its file named under it is
    /// found; a named one, and an include of generated results, are not.
    #[test]
    fn fragments_name_their_files() {
        let chapter = "```rust\n{{#include ../../lessons/a/src/lib.rs:one}}\n```\n\
            <sub>from `lessons/a/src/lib.rs`</sub>\n\n\
            ```rust\n{{#include ../../lessons/b/src/lib.rs:two}}\n```\n\n\
            ```text\n{{#include results/a-check.txt}}\n```\n";
        assert_eq!(unnamed_fragments(chapter), ["line 6: lessons/b/src/lib.rs"]);
    }

    /// Figures planted in prose are found, one by one; the same figures in
    /// code, includes, the article's quoted words, links and comments are
    /// not, nor are plain counts.
    #[test]
    fn planted_figures_fail_and_exempt_ones_pass() {
        let chapter = "The call takes 3.2 ms, 45x faster, and 12 µs elsewhere.\n\
            It peaks at 1.5 KiB (a 128-byte line), saves 31%, grows ×11.1 per step,\n\
            and is 28 times faster, 2 s in all, 1,536x at most, at least 50x faster.\n\
            Exempt: `10 ms` latency, {{#include results/x-figures.txt:a}} and {{#include f.txt:5ms}},\n\
            the article's \"500x faster\" and “3000x”, [a link](plot-2ms.svg), <!-- 9 ms -->\n\
            ```\nlet t = 5; // 7 ms\n```\n\
            Counts are not figures: n = 10,000 on 2 cores, x86-64, 3 threads, log2 and sha256.\n";
        assert_eq!(
            typed_figures(chapter, &["at least 50x".to_owned()]),
            [
                "line 1: 3.2 ms",
                "line 1: 45x",
                "line 1: 12 µs",
                "line 2: 1.5 KiB",
                "line 2: 128 byte",
                "line 2: 31%",
                "line 2: ×11.1",
                "line 3: 28 times",
                "line 3: 2 s",
                "line 3: 1,536x",
            ]
        );
    }

    /// A link to a missing page or anchor is reported; good and external
    /// links are not.
    #[test]
    fn broken_links_are_found_and_good_ones_pass() {
        let site = std::env::temp_dir().join(format!("workbench-linkcheck-{}", std::process::id()));
        std::fs::create_dir_all(site.join("img")).unwrap();
        std::fs::write(site.join("img/plot.svg"), "<svg/>").unwrap();
        std::fs::write(site.join("b.html"), "<h2 id=\"results\">R</h2>").unwrap();
        std::fs::write(
            site.join("a.html"),
            "<a href=\"b.html#results\">ok</a> <img src=\"img/plot.svg\"> <a href=\"https://x.org\">ext</a>\n\
             <a href=\"missing.html\">bad</a> <a href=\"b.html#nowhere\">bad anchor</a>",
        )
        .unwrap();
        let broken = broken_links(&site);
        std::fs::remove_dir_all(&site).unwrap();
        assert_eq!(
            broken,
            [
                "a.html: missing.html (no such file)",
                "a.html: b.html#nowhere (no anchor #nowhere)"
            ]
        );
    }
}

//! The layers of ARCHITECTURE.md hold: no module of `src/` imports one of a
//! higher layer, and no two modules import each other, directly or around a
//! loop. The test reads the layer table from ARCHITECTURE.md itself, so the
//! document and the code cannot drift apart.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

/// The top-level module a file belongs to (`src/check/memo.rs` → `check`),
/// and the module path of the file itself (`["check", "memo"]`).
fn module_of(src: &Path, file: &Path) -> (String, Vec<String>) {
    let rel = file.strip_prefix(src).expect("under src/");
    let mut parts: Vec<String> = rel
        .iter()
        .map(|p| p.to_string_lossy().trim_end_matches(".rs").to_owned())
        .collect();
    if parts.last().is_some_and(|p| p == "mod") {
        parts.pop();
    }
    (parts[0].clone(), parts)
}

fn rust_files(dir: &Path, out: &mut Vec<PathBuf>) {
    for entry in std::fs::read_dir(dir).expect("src/ is readable") {
        let path = entry.expect("a directory entry").path();
        if path.is_dir() {
            rust_files(&path, out);
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(path);
        }
    }
}

/// The code of a file without its comments (doc comments name modules in
/// prose and links; only code imports).
fn code(text: &str) -> String {
    text.lines()
        .map(|line| match line.find("//") {
            Some(i) if !line[..i].contains('"') => &line[..i],
            _ => line,
        })
        .collect::<Vec<_>>()
        .join("\n")
}

/// Identifiers at the start of each comma-separated item of a `{…}` group
/// beginning at `text[0] == '{'`.
fn group_heads(text: &str) -> Vec<String> {
    let mut depth = 0;
    let mut heads = Vec::new();
    let mut item = String::new();
    for ch in text.chars() {
        match ch {
            '{' => {
                depth += 1;
                if depth == 1 {
                    continue;
                }
            }
            '}' => {
                depth -= 1;
                if depth == 0 {
                    heads.push(item.clone());
                    break;
                }
            }
            ',' if depth == 1 => {
                heads.push(std::mem::take(&mut item));
                continue;
            }
            _ => {}
        }
        if depth == 1 {
            item.push(ch);
        }
    }
    heads
        .iter()
        .map(|h| ident(h.trim_start()))
        .filter(|h| !h.is_empty())
        .collect()
}

fn ident(text: &str) -> String {
    text.chars()
        .take_while(|c| c.is_alphanumeric() || *c == '_')
        .collect()
}

/// The top-level modules `file` names through `crate::`, `workbench::` or
/// enough `super::`s to reach the crate root.
fn imports(parts: &[String], text: &str) -> BTreeSet<String> {
    let code = code(text);
    let mut found = BTreeSet::new();
    let mut take = |rest: &str| {
        if rest.starts_with('{') {
            found.extend(group_heads(rest));
        } else {
            found.insert(ident(rest));
        }
    };
    for root in ["crate::", "workbench::"] {
        for (i, _) in code.match_indices(root) {
            let before = code[..i].chars().next_back();
            if before.is_some_and(|c| c.is_alphanumeric() || c == '_') {
                continue; // e.g. `my_crate::`
            }
            take(&code[i + root.len()..]);
        }
    }
    // `super::` from a file `depth` modules deep reaches the root after
    // `depth` of them.
    let depth = parts.len();
    let supers = "super::".repeat(depth);
    if depth > 0 {
        for (i, _) in code.match_indices(&supers) {
            let rest = &code[i + supers.len()..];
            if !rest.starts_with("super::") {
                take(rest);
            }
        }
    }
    found
}

/// The layer table: the fenced `layers` block of ARCHITECTURE.md.
fn layers(root: &Path) -> BTreeMap<String, u32> {
    let doc =
        std::fs::read_to_string(root.join("ARCHITECTURE.md")).expect("ARCHITECTURE.md exists");
    let block = doc
        .split("```layers\n")
        .nth(1)
        .and_then(|rest| rest.split("```").next())
        .expect("ARCHITECTURE.md has a ```layers block");
    let mut table = BTreeMap::new();
    for line in block.lines().filter(|l| !l.trim().is_empty()) {
        let mut words = line.split_whitespace();
        let layer: u32 = words
            .next()
            .and_then(|w| w.parse().ok())
            .unwrap_or_else(|| panic!("a layer line starts with its number: {line:?}"));
        for module in words {
            assert!(
                table.insert(module.to_owned(), layer).is_none(),
                "{module} is listed twice"
            );
        }
    }
    table
}

/// The import graph of `src/`: top-level module → top-level modules it
/// names (itself left out).
fn graph(root: &Path) -> BTreeMap<String, BTreeSet<String>> {
    let src = root.join("src");
    let mut files = Vec::new();
    rust_files(&src, &mut files);
    let modules: BTreeSet<String> = files.iter().map(|f| module_of(&src, f).0).collect();
    let mut graph: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    for file in files {
        let (module, parts) = module_of(&src, &file);
        if module == "lib" {
            continue; // declares the modules; imports none
        }
        let text = std::fs::read_to_string(&file).expect("readable source");
        // `super::` inside an inline `mod tests` names the file's own items:
        // keep only names that are modules of src/.
        let mut names: BTreeSet<String> = imports(&parts, &text)
            .into_iter()
            .filter(|n| modules.contains(n))
            .collect();
        names.remove(&module);
        graph.entry(module).or_default().extend(names);
    }
    graph
}

/// Every module of `src/` sits in a layer, and imports only its own layer
/// or lower ones.
#[test]
fn no_module_imports_a_higher_layer() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let table = layers(root);
    let graph = graph(root);
    let mut wrong = Vec::new();
    for (module, names) in &graph {
        let Some(&mine) = table.get(module) else {
            wrong.push(format!("src/{module} is in no layer of ARCHITECTURE.md"));
            continue;
        };
        for name in names {
            match table.get(name) {
                Some(&theirs) if theirs > mine => wrong.push(format!(
                    "{module} (layer {mine}) imports {name} (layer {theirs})"
                )),
                Some(_) => {}
                None => wrong.push(format!("{module} imports {name}, which is in no layer")),
            }
        }
    }
    for module in table.keys() {
        if !graph.contains_key(module) {
            wrong.push(format!(
                "ARCHITECTURE.md lists {module}, which src/ does not have"
            ));
        }
    }
    assert!(wrong.is_empty(), "{}", wrong.join("\n"));
}

/// No import loop: walking the graph from any module never comes back to
/// a module still on the path.
#[test]
fn no_two_modules_import_each_other() {
    fn visit<'a>(
        at: &'a str,
        graph: &'a BTreeMap<String, BTreeSet<String>>,
        path: &mut Vec<&'a str>,
        done: &mut BTreeSet<&'a str>,
    ) -> Option<String> {
        if let Some(i) = path.iter().position(|&m| m == at) {
            return Some(format!("{} → {at}", path[i..].join(" → ")));
        }
        if !done.insert(at) {
            return None;
        }
        path.push(at);
        for next in graph.get(at).into_iter().flatten() {
            if let Some(found) = visit(next, graph, path, done) {
                return Some(found);
            }
        }
        path.pop();
        None
    }
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let graph = graph(root);
    let mut done = BTreeSet::new();
    for module in graph.keys() {
        if let Some(cycle) = visit(module, &graph, &mut Vec::new(), &mut done) {
            panic!("an import loop: {cycle}");
        }
    }
}

/// The reader of imports sees through groups and `super::`, so the two
/// tests above cannot pass by missing an import.
#[test]
fn imports_are_read_in_every_form() {
    let parts = ["catalog".to_owned(), "memo".to_owned()];
    let text = "use crate::{fmt::count, check as c};\n\
                use super::super::measure::Row; // crate::report in a comment\n\
                fn f() { workbench::plot::x(); my_crate::alloc::y(); }";
    let found: Vec<String> = imports(&parts, text).into_iter().collect();
    assert_eq!(found, ["check", "fmt", "measure", "plot"]);
    let mod_rs = ["catalog".to_owned()];
    let found: Vec<String> = imports(&mod_rs, "use super::lint;").into_iter().collect();
    assert_eq!(found, ["lint"]);
}

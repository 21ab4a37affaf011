//! A heap profile of one variant's call, for DHAT's viewer:
//!
//! ```text
//! cargo run --release --example heap_profile -- duplicates naive_pairs 10000
//! cargo run --release --example heap_profile -- profiling yours 20000
//! cargo run --release --example heap_profile -- profiling slow 20000 --book
//! ```
//!
//! writes `dhat-heap.json`: every allocation of one call, grouped by the
//! stack that made it. Open it in DHAT's viewer
//! (<https://nnethercote.github.io/dh_view/dh_view.html>, "Load…"). The
//! input is prepared before the profiler starts, so the profile holds the
//! call's own allocations only; the tables' `allocs` and `peak heap` are the
//! same call's totals. It also prints the sites that allocated most, by
//! blocks, each with the stack that called the allocator; `--book` writes
//! that table, with the machine and the commit, to
//! `book/src/results/<lesson>-dhat-<variant>.txt`. `yours` is your
//! exercise, as `run --with-exercise` measures it.

use std::process::ExitCode;

use serde_json::Value;
use workbench::catalog;

#[global_allocator]
static ALLOC: dhat::Alloc = dhat::Alloc;

/// How many sites the table shows.
const SITES: usize = 5;
/// How many callers of the allocator a site shows.
const DEPTH: usize = 3;

fn main() -> ExitCode {
    let mut args: Vec<String> = std::env::args().skip(1).collect();
    let book = args.iter().any(|a| a == "--book");
    args.retain(|a| a != "--book");
    let [lesson, variant, value] = args.as_slice() else {
        eprintln!(
            "usage: cargo run --release --example heap_profile -- <lesson> <variant> <value> [--book]"
        );
        return ExitCode::from(2);
    };
    let lessons = catalog::lessons();
    let lesson = match catalog::find(&lessons, lesson) {
        Ok(lesson) => lesson,
        Err(e) => {
            eprintln!("error: {e}");
            return ExitCode::from(2);
        }
    };
    let yours = (variant == catalog::YOURS).then(|| (lesson.exercise.yours)().1);
    let Some(v) = yours
        .as_ref()
        .or_else(|| lesson.variants().find(|v| v.name == variant))
    else {
        eprintln!(
            "error: {} has no variant '{variant}' (see `cargo run --release -- list`)",
            lesson.name
        );
        return ExitCode::from(2);
    };
    let Ok(value) = value.replace(['_', ','], "").parse::<u64>() else {
        eprintln!("error: '{value}' is not a whole number");
        return ExitCode::from(2);
    };
    if yours.is_none()
        && let Err(e) = lesson.check_params(std::slice::from_ref(variant), &[value])
    {
        eprintln!("error: {e}");
        return ExitCode::from(2);
    }
    let mut case = (v.prepare)(value);
    let profiler = dhat::Profiler::new_heap();
    case.run();
    drop(profiler);
    let table = match std::fs::read_to_string("dhat-heap.json")
        .map_err(|e| e.to_string())
        .and_then(|text| serde_json::from_str::<Value>(&text).map_err(|e| e.to_string()))
    {
        Ok(json) => sites(&json),
        Err(e) => {
            eprintln!("error: could not read back dhat-heap.json: {e}");
            return ExitCode::from(1);
        }
    };
    print!("{table}");
    if book {
        let machine = workbench::machine::Machine::detect();
        let path = catalog::root().join(format!(
            "book/src/results/{}-dhat-{variant}.txt",
            lesson.name
        ));
        let text = format!(
            "$ cargo run --release --example heap_profile -- {} {variant} {value}\n{table}(one call; {}, commit {})\n",
            lesson.name, machine.cpu, machine.commit
        );
        if let Err(e) = workbench::report::replace(&path, text.as_bytes()) {
            eprintln!("error: writing {}: {e}", path.display());
            return ExitCode::from(1);
        }
        println!("wrote {}", path.display());
    }
    ExitCode::SUCCESS
}

/// The sites that allocated most blocks, from DHAT's JSON: blocks, bytes,
/// and the functions that called the allocator, innermost first.
fn sites(json: &Value) -> String {
    let frames: Vec<&str> = json["ftbl"]
        .as_array()
        .map(|a| a.iter().map(|f| f.as_str().unwrap_or("?")).collect())
        .unwrap_or_default();
    let mut points: Vec<(u64, u64, String)> = json["pps"]
        .as_array()
        .into_iter()
        .flatten()
        .map(|pp| {
            let stack: Vec<String> = pp["fs"]
                .as_array()
                .into_iter()
                .flatten()
                .filter_map(|i| frames.get(i.as_u64()? as usize))
                .map(|f| function(f))
                .filter(|f| !f.contains("GlobalAlloc") && !f.starts_with("alloc::alloc::"))
                // The workbench's own frames, below the variant, say nothing.
                .take_while(|f| !f.starts_with("<workbench::") && !f.starts_with("heap_profile::"))
                .take(DEPTH)
                .collect();
            (
                pp["tbk"].as_u64().unwrap_or(0),
                pp["tb"].as_u64().unwrap_or(0),
                stack.join(" ← "),
            )
        })
        .collect();
    points.sort_by(|a, b| b.0.cmp(&a.0).then(b.1.cmp(&a.1)));
    let (blocks, bytes) = points.iter().fold((0, 0), |(k, b), p| (k + p.0, b + p.1));
    let mut out = format!(
        "{} blocks, {} bytes in all, at {} sites\n{:>8}  {:>11}  allocated by\n",
        workbench::fmt::count(blocks),
        workbench::fmt::count(bytes),
        points.len(),
        "blocks",
        "bytes"
    );
    for (k, b, stack) in points.iter().take(SITES) {
        out.push_str(&format!(
            "{:>8}  {:>11}  {stack}\n",
            workbench::fmt::count(*k),
            workbench::fmt::count(*b)
        ));
    }
    out
}

/// A frame of DHAT's table without its address and file:
/// `0x…: name (file:line:col)` → `name`.
fn function(frame: &str) -> String {
    let name = frame.split_once(": ").map_or(frame, |(_, rest)| rest);
    let name = match name.rfind(" (") {
        Some(at) if name.ends_with(')') => &name[..at],
        _ => name,
    };
    name.to_owned()
}

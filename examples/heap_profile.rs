//! A heap profile of one variant's call, for DHAT's viewer:
//!
//! ```text
//! cargo run --release --example heap_profile -- duplicates naive_pairs 10000
//! ```
//!
//! writes `dhat-heap.json`: every allocation of one call, grouped by the
//! stack that made it. Open it in DHAT's viewer
//! (<https://nnethercote.github.io/dh_view/dh_view.html>, "Load…"). The
//! input is prepared before the profiler starts, so the profile holds the
//! call's own allocations only; the tables' `allocs` and `peak heap` are the
//! same call's totals.

use std::process::ExitCode;

use workbench::catalog;

#[global_allocator]
static ALLOC: dhat::Alloc = dhat::Alloc;

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let [lesson, variant, value] = args.as_slice() else {
        eprintln!(
            "usage: cargo run --release --example heap_profile -- <lesson> <variant> <value>"
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
    let Some(v) = lesson.variants().find(|v| v.name == variant) else {
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
    if let Err(e) = lesson.check_params(std::slice::from_ref(variant), &[value]) {
        eprintln!("error: {e}");
        return ExitCode::from(2);
    }
    let mut case = (v.prepare)(value);
    let profiler = dhat::Profiler::new_heap();
    case.run();
    drop(profiler);
    ExitCode::SUCCESS
}

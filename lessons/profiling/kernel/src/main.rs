//! The cost loop ([`profiling::cost::iterators`]) as a program, for the
//! `builds` question: the same source, built four ways.
//!
//! ```text
//! profiling-kernel serve N   # make N deployments, print `ready`, then answer
//!                            # each line read with one total (its f64 bits)
//! profiling-kernel count N   # one warm call, then one call of `counted_call`
//!                            # (the function Callgrind counts), and its total
//! ```

use std::io::{BufRead, Write};
use std::process::ExitCode;

use profiling::api::deployments;
use profiling::cost::{Columns, iterators};

/// The one call Callgrind counts (`--toggle-collect=*counted_call*`).
#[inline(never)]
fn counted_call(columns: &Columns) -> f64 {
    iterators(std::hint::black_box(columns))
}

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let (mode, n) = match args.as_slice() {
        [mode, n] => match n.parse::<u64>() {
            Ok(n) => (mode.as_str(), n),
            Err(_) => return usage(&format!("N must be a whole number, not '{n}'")),
        },
        _ => return usage("expected two arguments"),
    };
    let columns = Columns::new(&deployments(n));
    let mut out = std::io::stdout().lock();
    match mode {
        "serve" => {
            let _ = writeln!(out, "ready");
            let _ = out.flush();
            for request in std::io::stdin().lock().lines() {
                if request.is_err() {
                    break;
                }
                let total = iterators(std::hint::black_box(&columns));
                if writeln!(out, "{}", total.to_bits())
                    .and_then(|()| out.flush())
                    .is_err()
                {
                    break;
                }
            }
            ExitCode::SUCCESS
        }
        "count" => {
            std::hint::black_box(iterators(&columns));
            let _ = writeln!(out, "{}", counted_call(&columns).to_bits());
            ExitCode::SUCCESS
        }
        other => usage(&format!("unknown mode '{other}'")),
    }
}

fn usage(why: &str) -> ExitCode {
    eprintln!("profiling-kernel: {why}; usage: profiling-kernel serve|count N");
    ExitCode::from(2)
}

//! `cargo bench --features gungraun --bench instructions`: each gated
//! question's baseline and optimized variant at its gate size, counted by
//! gungraun under Callgrind (needs valgrind and `cargo install
//! gungraun-runner --version 0.20.0 --locked`).
//!
//! The same calls that `workbench gate` counts, through the harness that
//! Rust projects use for instruction benchmarks: gungraun keeps each
//! bench's last counts in `target/gungraun/` and prints the change against
//! them on the next run. The input is prepared in `setup`, which Callgrind
//! does not count; only the call is.

use gungraun::{library_benchmark, library_benchmark_group, main};
use workbench::catalog::{self, Case};

/// The case of `lesson/question/variant` at its question's gate size.
fn at_gate(path: &str) -> Box<dyn Case> {
    let parts: Vec<&str> = path.split('/').collect();
    let [lesson, question, variant] = parts[..] else {
        panic!("'{path}' is not lesson/question/variant");
    };
    let lessons = catalog::lessons();
    let lesson = catalog::find(&lessons, lesson).expect("a catalog lesson");
    let question = lesson
        .questions
        .iter()
        .find(|q| q.name == question)
        .expect("a question of the lesson");
    let gate = question.gate.as_ref().expect("a gated question");
    let variant = question
        .variants
        .iter()
        .find(|v| v.name == variant)
        .expect("a variant of the question");
    (variant.prepare)(gate.at)
}

#[library_benchmark]
#[bench::duplicates_naive_pairs(args = ("duplicates/duplicates/naive_pairs"), setup = at_gate)]
#[bench::duplicates_hashed(args = ("duplicates/duplicates/hashed"), setup = at_gate)]
#[bench::membership_vec_contains(args = ("duplicates/membership/vec_contains"), setup = at_gate)]
#[bench::membership_hash_set(args = ("duplicates/membership/hash_set"), setup = at_gate)]
#[bench::log_plus_equals(args = ("strings/log/plus_equals"), setup = at_gate)]
#[bench::log_join(args = ("strings/log/join"), setup = at_gate)]
#[bench::fib_recursive(args = ("memo/fib/recursive"), setup = at_gate)]
#[bench::fib_iterative(args = ("memo/fib/iterative"), setup = at_gate)]
#[bench::lru_vec_scan(args = ("memo/lru/lru_vec_scan"), setup = at_gate)]
#[bench::lru_linked(args = ("memo/lru/lru_linked"), setup = at_gate)]
#[bench::config_uncached(args = ("memo/config/config_uncached"), setup = at_gate)]
#[bench::config_memoized(args = ("memo/config/config_memoized"), setup = at_gate)]
#[bench::read_read_all(args = ("streams/read/read_all"), setup = at_gate)]
#[bench::read_memchr_blocks(args = ("streams/read/memchr_blocks"), setup = at_gate)]
#[bench::stack_boxed_kwargs(args = ("wrappers/stack/boxed_kwargs"), setup = at_gate)]
#[bench::stack_generic(args = ("wrappers/stack/generic"), setup = at_gate)]
#[bench::rate_sliding_log(args = ("wrappers/rate/sliding_log"), setup = at_gate)]
#[bench::rate_gcra(args = ("wrappers/rate/gcra"), setup = at_gate)]
#[bench::log_eager(args = ("wrappers/log/eager"), setup = at_gate)]
#[bench::log_lazy(args = ("wrappers/log/lazy"), setup = at_gate)]
#[bench::auth_kwargs_lookup(args = ("wrappers/auth/kwargs_lookup"), setup = at_gate)]
#[bench::auth_capability(args = ("wrappers/auth/capability"), setup = at_gate)]
#[bench::scan_dict_objects(args = ("objects/scan/dict_objects"), setup = at_gate)]
#[bench::scan_columns(args = ("objects/scan/columns"), setup = at_gate)]
#[bench::validate_descriptor(args = ("objects/validate/descriptor"), setup = at_gate)]
#[bench::validate_newtype(args = ("objects/validate/newtype"), setup = at_gate)]
#[bench::lazy_dict_cache(args = ("objects/lazy/dict_cache"), setup = at_gate)]
#[bench::lazy_once_lock(args = ("objects/lazy/once_lock"), setup = at_gate)]
#[bench::singleton_mutex_registry(args = ("objects/singleton/mutex_registry"), setup = at_gate)]
#[bench::singleton_once_lock_static(args = ("objects/singleton/once_lock_static"), setup = at_gate)]
#[bench::dispatch_registry_lookup(args = ("objects/dispatch/registry_lookup"), setup = at_gate)]
#[bench::dispatch_enum_match(args = ("objects/dispatch/enum_match"), setup = at_gate)]
#[bench::transactions_autocommit(args = ("resources/transactions/autocommit"), setup = at_gate)]
#[bench::transactions_prepare_cached(args = ("resources/transactions/prepare_cached"), setup = at_gate)]
#[bench::transactions_multi_row(args = ("resources/transactions/multi_row"), setup = at_gate)]
#[bench::hotspot_slow(args = ("profiling/hotspot/slow"), setup = at_gate)]
#[bench::hotspot_fast(args = ("profiling/hotspot/fast"), setup = at_gate)]
#[bench::cost_dicts(args = ("profiling/cost/dicts"), setup = at_gate)]
#[bench::cost_iterators(args = ("profiling/cost/iterators"), setup = at_gate)]
#[bench::drain_list_min_remove(args = ("profiling/drain/list_min_remove"), setup = at_gate)]
#[bench::drain_binary_heap(args = ("profiling/drain/binary_heap"), setup = at_gate)]
fn one_call(mut case: Box<dyn Case>) {
    case.run();
}

library_benchmark_group!(name = gated, benchmarks = [one_call]);

main!(library_benchmark_groups = gated);

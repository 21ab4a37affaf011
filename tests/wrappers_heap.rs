//! Allocation counts of the wrappers lesson, exact, under dhat: the
//! article's skeleton allocates a dict per layer per call, the typed
//! stacks nothing; the article's list allocates a new list per call, the
//! other limiters nothing, and the atomic GCRA nothing to be built either;
//! the eager logger four objects per call, the lazy ones none.
//!
//! One test in this file: dhat allows one profiler per process. It runs
//! without the test harness (`harness = false` in Cargo.toml), so no
//! harness thread allocates inside a counted call.

use std::hint::black_box;
use std::rc::Rc;

use wrappers::api::Limiter;
use wrappers::rate::{self, Gcra, Governor, Ring, Sequential, SlidingLog, TokenBucket};
use wrappers::{auth, log, stack};

mod heap;
use heap::blocks;

fn main() {
    let _profiler = dhat::Profiler::builder().testing().build();

    // The skeleton: the caller's kwargs dict, and a copy per layer (what
    // CPython does for `func(*args, **kwargs)`). One block each: the keys
    // are shared strings, the values plain ints.
    for layers in [0, 1, 2, 4, 8] {
        let boxed = stack::boxed_kwargs(layers);
        let got = blocks(|| _ = black_box(boxed.run()));
        assert_eq!(
            got,
            stack::CALLS * (1 + layers),
            "boxed_kwargs at {layers} layers"
        );
        let dyn_stack = stack::dyn_layers(layers);
        assert_eq!(
            blocks(|| _ = black_box(stack::dyn_calls(&dyn_stack))),
            0,
            "dyn_layers"
        );
        assert_eq!(
            blocks(|| _ = black_box(stack::generic(layers))),
            0,
            "generic"
        );
        assert_eq!(blocks(|| _ = black_box(stack::tower(layers))), 0, "tower");
    }

    // The limiters on the steady input. The article's list is rebuilt by
    // every call: a new vector grown to k - 1 times by the filter, then
    // the call's own push. What growing to that length costs is std's
    // choice (doubling, so about log2 k blocks), measured here with the
    // same code rather than assumed.
    for k in [1u64, 10, 1_000, 10_000] {
        let grow = blocks(|| {
            let kept: Vec<u64> = (0..k - 1).filter(|t| black_box(*t) < k).collect();
            let mut kept = black_box(kept);
            kept.push(k);
            black_box(kept);
        });
        let mut log = rate::sliding_log(k).unwrap();
        assert_eq!(
            blocks(|| _ = black_box(log.step())),
            rate::CALLS * grow,
            "sliding_log at k = {k}"
        );
        for (name, steady) in [
            ("ring", rate::ring(k)),
            ("token_bucket", rate::token_bucket(k)),
            ("gcra", rate::gcra(k)),
            ("governor", rate::governor(k)),
        ] {
            let mut steady = steady.unwrap();
            assert_eq!(
                blocks(|| _ = black_box(steady.step())),
                0,
                "{name} at k = {k}"
            );
        }
    }

    // Building one for k = 100,000: the ring holds k times in one block;
    // the others hold a few numbers, in the struct itself.
    let big = rate::lesson_rate(100_000);
    assert_eq!(
        blocks(|| drop(black_box(<Ring as Sequential>::new(big)))),
        1
    );
    assert_eq!(
        blocks(|| drop(black_box(<SlidingLog as Sequential>::new(big)))),
        0
    );
    assert_eq!(
        blocks(|| drop(black_box(<TokenBucket as Sequential>::new(big)))),
        0
    );
    assert_eq!(blocks(|| drop(black_box(<Gcra as Limiter>::new(big)))), 0);
    assert_eq!(
        blocks(|| drop(black_box(<Governor as Limiter>::new(big)))),
        0
    );
    assert_eq!(
        blocks(
            || drop(black_box(<wrappers_solution::RateLimiter as Limiter>::new(
                big
            )))
        ),
        0
    );

    // Logging at WARNING: the article's two messages and two extra dicts
    // per call; nothing for the lazy logger or tracing's macros.
    log::install_subscriber();
    for n in [100, 1_000] {
        assert_eq!(
            blocks(|| _ = black_box(log::calls(log::eager, n))),
            4 * n,
            "eager"
        );
        assert_eq!(
            blocks(|| _ = black_box(log::calls(log::lazy, n))),
            0,
            "lazy"
        );
        assert_eq!(
            blocks(|| _ = black_box(log::calls(log::tracing, n))),
            0,
            "tracing"
        );
    }

    // Permissions: the kwargs dict per call; nothing for typed calls.
    let alice = Rc::new(auth::lesson_user(16));
    assert_eq!(
        blocks(|| _ = black_box(auth::kwargs_lookup(&alice, 1_000))),
        1_000
    );
    assert_eq!(
        blocks(|| _ = black_box(auth::checked_each_call(&alice, 1_000))),
        0
    );
    assert_eq!(blocks(|| _ = black_box(auth::capability(&alice, 1_000))), 0);

    println!("wrappers_heap: every count as expected");
}

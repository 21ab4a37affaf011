//! The article's `send`: a generator that is handed values, one at a time,
//! and keeps a count between them (`deployment_processor`), and what that
//! is in Rust.
//!
//! A Python generator is a paused frame: `send` resumes it with a value
//! and runs it to its next `yield`. Rust has no generators on stable; the
//! ways to get the same behaviour are a struct that keeps the state
//! between calls (what a generator is compiled to, and what an `Iterator`
//! or an `async fn` becomes), a closure that captures the state, or a
//! second thread that owns the state and receives each value over a
//! channel. Each variant here processes every deployment and returns the
//! count and the bytes of the names it saw.

use std::thread;

/// A deployment handed to the processor, as in the article's
/// `{'name': 'app-v1', 'status': 'pending'}`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Deployment {
    /// e.g. `app-v1`.
    pub name: String,
    /// e.g. `pending`.
    pub status: &'static str,
}

/// `n` deployments: `app-v0` … `app-v{n-1}`, pending.
///
/// ```
/// assert_eq!(streams::send::deployments(2)[1].name, "app-v1");
/// ```
pub fn deployments(n: usize) -> Vec<Deployment> {
    (0..n)
        .map(|i| Deployment {
            name: format!("app-v{i}"),
            status: "pending",
        })
        .collect()
}

// ANCHOR: processor
/// The article's `deployment_processor` written out as what a generator
/// is: its local variables in a struct, `send` the code between two
/// `yield`s. "Processing" counts the deployment and the bytes of its name
/// (the article prints them).
#[derive(Debug, Default)]
pub struct Processor {
    count: u64,
    bytes: u64,
}

impl Processor {
    /// The primed generator: `next(processor)` in the article.
    pub fn new() -> Self {
        Self::default()
    }

    /// `processor.send(deployment)`: process one, and give back the count
    /// so far (the value of the next `yield`).
    pub fn send(&mut self, deployment: &Deployment) -> u64 {
        self.count += 1;
        self.bytes += deployment.name.len() as u64;
        self.count
    }

    /// `processor.send(None)`, the end: the count and the bytes seen.
    pub fn close(self) -> (u64, u64) {
        (self.count, self.bytes)
    }
}

/// The struct, called once per deployment.
pub fn state_machine(deployments: &[Deployment]) -> (u64, u64) {
    let mut processor = Processor::new();
    for deployment in deployments {
        processor.send(deployment);
    }
    processor.close()
}
// ANCHOR_END: processor

// ANCHOR: closure
/// The state captured by a closure instead: the same code, with no type
/// to name.
pub fn closure(deployments: &[Deployment]) -> (u64, u64) {
    let (mut count, mut bytes) = (0, 0);
    let mut send = |deployment: &Deployment| {
        count += 1;
        bytes += deployment.name.len() as u64;
    };
    deployments.iter().for_each(&mut send);
    (count, bytes)
}
// ANCHOR_END: closure

// ANCHOR: thread
/// The generator as a second thread of control, which is what its own
/// paused frame is: a consumer thread owns the processor and receives each
/// deployment over a channel with room for `capacity` (0: every `send`
/// waits until the consumer has taken it, as a generator's `send` waits
/// for its next `yield`).
fn through_thread(deployments: &[Deployment], capacity: usize) -> (u64, u64) {
    let (tx, rx) = crossbeam_channel::bounded::<&Deployment>(capacity);
    thread::scope(|s| {
        let consumer = s.spawn(move || {
            let mut processor = Processor::new();
            for deployment in rx {
                processor.send(deployment);
            }
            processor.close()
        });
        for deployment in deployments {
            tx.send(deployment)
                .expect("the consumer receives until the sender is dropped");
        }
        drop(tx);
        consumer.join().expect("the consumer does not panic")
    })
}

/// Hand each deployment to the consumer thread and wait until it takes
/// it: a rendezvous per value.
pub fn thread_rendezvous(deployments: &[Deployment]) -> (u64, u64) {
    through_thread(deployments, 0)
}

/// The same thread with room for 1,024 deployments in the channel: the
/// producer runs ahead, and the two threads meet once per batch, not per
/// value.
pub fn thread_buffered(deployments: &[Deployment]) -> (u64, u64) {
    through_thread(deployments, 1024)
}
// ANCHOR_END: thread

//! The `processes` variant: the workbench binary re-launched as a worker
//! per core, jobs in over stdin and outcomes out over stdout, one line each.
//!
//! The protocol, all text so a person can type it:
//!
//! ```text
//! parent → worker   squares 1000000          (a Job::SumSquares)
//!                   logs /tmp/…/app-1.log    (a Job::CountLevels)
//! worker → parent   sum 333332833333500000
//!                   levels 1000 2000
//!                   error <why>              (the job failed)
//! ```
//!
//! The worker answers each line in order and exits at end of input. No
//! shell and no script is involved: the parent starts the program itself.

use std::ffi::OsString;
use std::io::{self, BufRead, Read, Write};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, ExitStatus, Stdio};
use std::sync::mpsc;
use std::time::{Duration, Instant};

use crate::cpu::{Job, Outcome, cores, execute};

/// The hidden subcommand of the `workbench` binary that runs [`serve`].
pub const SUBCOMMAND: &str = "__worker";
/// How long a worker may take for its share of a batch before it is
/// killed and reported.
pub const DEADLINE: Duration = Duration::from_secs(60);

// ANCHOR: protocol
/// A job as one line of the protocol (without the newline).
pub fn encode_job(job: &Job) -> io::Result<String> {
    match job {
        Job::SumSquares { below } => Ok(format!("squares {below}")),
        Job::CountLevels { log } => match log.to_str() {
            Some(path) if !path.contains('\n') => Ok(format!("logs {path}")),
            _ => Err(io::Error::new(
                io::ErrorKind::InvalidInput,
                format!("{} is not a one-line UTF-8 path", log.display()),
            )),
        },
    }
}

/// Parse one job line; `None` for anything else.
pub fn parse_job(line: &str) -> Option<Job> {
    match line.split_once(' ')? {
        ("squares", below) => Some(Job::SumSquares {
            below: below.parse().ok()?,
        }),
        ("logs", path) => Some(Job::CountLevels {
            log: PathBuf::from(path),
        }),
        _ => None,
    }
}

/// A job's result as one reply line.
pub fn encode_reply(result: &io::Result<Outcome>) -> String {
    match result {
        Ok(Outcome::Sum(sum)) => format!("sum {sum}"),
        Ok(Outcome::Levels { errors, warnings }) => format!("levels {errors} {warnings}"),
        Err(e) => format!("error {}", e.to_string().replace('\n', " ")),
    }
}

/// Parse one reply line: the outcome, the worker's own error, or a line
/// that is not the protocol at all.
pub fn parse_reply(line: &str) -> Result<Outcome, Problem> {
    let garbage = || Problem::Garbage(line.chars().take(80).collect());
    let (kind, rest) = line.split_once(' ').ok_or_else(garbage)?;
    let numbers: Vec<u64> = rest.split(' ').map_while(|n| n.parse().ok()).collect();
    match (kind, numbers.as_slice()) {
        ("sum", &[sum]) => Ok(Outcome::Sum(sum)),
        ("levels", &[errors, warnings]) => Ok(Outcome::Levels { errors, warnings }),
        ("error", _) => Err(Problem::JobFailed(rest.to_owned())),
        _ => Err(garbage()),
    }
}

/// The worker's side: answer every job line of `input` on `output`, in
/// order, until end of input.
pub fn serve(input: impl BufRead, mut output: impl Write) -> io::Result<()> {
    for line in input.lines() {
        let line = line?;
        let reply = match parse_job(&line) {
            Some(job) => encode_reply(&execute(&job)),
            None => format!("error not a job: {line}"),
        };
        writeln!(output, "{reply}")?;
    }
    output.flush()
}
// ANCHOR_END: protocol

/// Why a worker's share of the batch failed.
#[derive(Debug)]
pub enum Problem {
    /// The program could not be started.
    Spawn(io::Error),
    /// Writing its jobs or reading its replies failed.
    Pipe(io::Error),
    /// It ended with a failure status or was killed by a signal.
    Exited(String),
    /// It printed a line that is not a reply (the first 80 characters).
    Garbage(String),
    /// It replied to fewer jobs than it was sent.
    MissingReplies {
        /// Jobs sent.
        sent: usize,
        /// Replies received.
        got: usize,
    },
    /// It reported that a job failed, with its reason.
    JobFailed(String),
    /// It did not finish within the deadline and was killed.
    TimedOut(Duration),
}

/// A failed worker, named by its index and program.
#[derive(Debug)]
pub struct WorkerError {
    /// Which worker (0-based) of the batch.
    pub worker: usize,
    /// The program it ran.
    pub program: PathBuf,
    /// What went wrong.
    pub problem: Problem,
}

impl std::fmt::Display for WorkerError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "worker {} ({}): ", self.worker, self.program.display())?;
        match &self.problem {
            Problem::Spawn(e) => write!(f, "could not start: {e}"),
            Problem::Pipe(e) => write!(f, "pipe failed: {e}"),
            Problem::Exited(status) => write!(f, "{status}"),
            Problem::Garbage(line) => write!(f, "replied {line:?}, which is not the protocol"),
            Problem::MissingReplies { sent, got } => {
                write!(f, "answered {got} of {sent} jobs, then stopped")
            }
            Problem::JobFailed(why) => write!(f, "a job failed: {why}"),
            Problem::TimedOut(limit) => {
                write!(f, "did not finish within {} s; killed", limit.as_secs_f64())
            }
        }
    }
}

impl std::error::Error for WorkerError {}

/// The program and arguments that start one worker.
#[derive(Clone, Debug)]
pub struct WorkerCommand {
    /// The executable.
    pub program: PathBuf,
    /// Its arguments.
    pub args: Vec<OsString>,
}

impl WorkerCommand {
    /// The workbench binary at `exe` with its hidden worker subcommand.
    pub fn workbench(exe: &Path) -> WorkerCommand {
        WorkerCommand {
            program: exe.to_path_buf(),
            args: vec![SUBCOMMAND.into()],
        }
    }
}

/// A started worker: killed and reaped when dropped, so none outlives
/// the batch, whatever happened to it.
struct Worker(Child);

impl Drop for Worker {
    fn drop(&mut self) {
        // Both fail only if the child is already reaped: nothing to do then.
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

// ANCHOR: processes
/// One worker process per core, each given a contiguous share of the jobs
/// over stdin; outcomes come back over stdout, in order.
///
/// The workers are the workbench binary at `exe` (see
/// [`WorkerCommand::workbench`]). Each pays a process start (about a
/// millisecond, measured by the `spawn` question) and the jobs travel as
/// text, but no memory is shared, so a worker that crashes takes only its
/// share down, and it is reported as a [`WorkerError`].
pub fn processes(exe: &Path, jobs: &[Job]) -> Result<Vec<Outcome>, WorkerError> {
    run_workers(&WorkerCommand::workbench(exe), jobs, cores(), DEADLINE)
}
// ANCHOR_END: processes

/// Split `jobs` over `workers` processes started by `command`; every
/// worker must answer within `deadline`, or all are killed.
pub fn run_workers(
    command: &WorkerCommand,
    jobs: &[Job],
    workers: usize,
    deadline: Duration,
) -> Result<Vec<Outcome>, WorkerError> {
    let fail = |worker, problem| WorkerError {
        worker,
        program: command.program.clone(),
        problem,
    };
    let share = jobs.len().div_ceil(workers.max(1)).max(1);
    let shares: Vec<&[Job]> = if jobs.is_empty() {
        vec![&[]; workers.max(1)]
    } else {
        jobs.chunks(share).collect()
    };
    let mut children = Vec::with_capacity(shares.len());
    let mut pipes = Vec::with_capacity(shares.len());
    for (i, share) in shares.iter().enumerate() {
        let mut child = Command::new(&command.program)
            .args(&command.args)
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .map_err(|e| fail(i, Problem::Spawn(e)))?;
        // `Stdio::piped()` above makes both handles present.
        let stdin = child.stdin.take().expect("stdin is piped");
        let stdout = child.stdout.take().expect("stdout is piped");
        children.push(Worker(child));
        let text = encode_jobs(share).map_err(|e| fail(i, Problem::Pipe(e)))?;
        pipes.push((stdin, stdout, text));
    }

    let started = Instant::now();
    let (tx, rx) = mpsc::channel();
    let replies = std::thread::scope(|s| {
        // A thread per worker writes its jobs and reads its replies: either
        // may block, and the deadline below must still hold.
        for (i, (mut stdin, mut stdout, text)) in pipes.into_iter().enumerate() {
            let tx = tx.clone();
            s.spawn(move || {
                // A worker that dies early closes the pipe; its exit
                // status says more than "broken pipe", so keep going.
                let _ = stdin.write_all(text.as_bytes());
                drop(stdin);
                let mut out = String::new();
                let read = stdout.read_to_string(&mut out).map(|_| out);
                // The receiver outlives the scope: this cannot fail.
                let _ = tx.send((i, read));
            });
        }
        let mut replies: Vec<Option<String>> = vec![None; children.len()];
        for _ in 0..children.len() {
            let left = deadline.saturating_sub(started.elapsed());
            match rx.recv_timeout(left) {
                Ok((i, Ok(out))) => replies[i] = Some(out),
                Ok((i, Err(e))) => return Err(fail(i, Problem::Pipe(e))),
                Err(_) => {
                    let late = replies.iter().position(Option::is_none).unwrap_or(0);
                    // Killing closes the pipes, so the reader threads end
                    // and the scope can join them.
                    children.iter_mut().for_each(|w| drop(w.0.kill()));
                    return Err(fail(late, Problem::TimedOut(deadline)));
                }
            }
        }
        Ok(replies)
    });
    let replies = replies?;

    let mut outcomes = Vec::with_capacity(jobs.len());
    for (i, (worker, (out, share))) in children
        .iter_mut()
        .zip(replies.into_iter().zip(&shares))
        .enumerate()
    {
        let left = deadline.saturating_sub(started.elapsed());
        let status = wait_or_kill(&mut worker.0, left)
            .map_err(|e| fail(i, Problem::Pipe(e)))?
            .ok_or_else(|| fail(i, Problem::TimedOut(deadline)))?;
        if !status.success() {
            return Err(fail(i, Problem::Exited(describe(status))));
        }
        let out = out.unwrap_or_default();
        let before = outcomes.len();
        for line in out.lines() {
            outcomes.push(parse_reply(line).map_err(|p| fail(i, p))?);
        }
        let got = outcomes.len() - before;
        if got != share.len() {
            let problem = if got < share.len() {
                Problem::MissingReplies {
                    sent: share.len(),
                    got,
                }
            } else {
                Problem::Garbage(format!("{got} replies to {} jobs", share.len()))
            };
            return Err(fail(i, problem));
        }
    }
    Ok(outcomes)
}

fn encode_jobs(jobs: &[Job]) -> io::Result<String> {
    let mut text = String::new();
    for job in jobs {
        text.push_str(&encode_job(job)?);
        text.push('\n');
    }
    Ok(text)
}

/// Wait for `child` to exit, at most `limit`. Past it, kill and reap the
/// child and return `None`, so none is left running whatever the caller
/// does next. (The workbench waits for its own children, the judge and the
/// Python references, with this function too.)
pub fn wait_or_kill(child: &mut Child, limit: Duration) -> io::Result<Option<ExitStatus>> {
    let deadline = Instant::now() + limit;
    // A worker whose stdout just closed is exiting: poll finely at first,
    // then back off, so a long wait costs no CPU.
    let mut pause = Duration::from_micros(50);
    loop {
        if let Some(status) = child.try_wait()? {
            return Ok(Some(status));
        }
        if Instant::now() >= deadline {
            // Both fail only if the child already exited and was reaped.
            let _ = child.kill();
            let _ = child.wait();
            return Ok(None);
        }
        std::thread::sleep(pause);
        pause = (pause * 2).min(Duration::from_millis(10));
    }
}

/// How a process ended, in words: `crashed (killed by signal 11)` or
/// `exited with exit status: 3`.
pub fn describe(status: ExitStatus) -> String {
    #[cfg(unix)]
    {
        use std::os::unix::process::ExitStatusExt;
        if let Some(signal) = status.signal() {
            return format!("crashed (killed by signal {signal})");
        }
    }
    format!("exited with {status}")
}

//! Question 3: retry without a storm (article 7.1).
//!
//! The article's `retry(max_attempts=3, delay=1.0)` decorator sleeps the
//! same delay between attempts. When a service goes down, every client
//! fails at about the same moment, so with a fixed delay they all retry
//! at the same moments too: the service comes back to a wall of requests.
//! Three policies ([`Policy`]):
//!
//! - [`Policy::Fixed`]: the article's, the same delay every time;
//! - [`Policy::Exponential`]: the delay doubles each time, up to a cap
//!   (fewer requests, still in lockstep);
//! - [`Policy::FullJitter`]: a uniformly random delay below the
//!   exponential one ("full jitter", as in the AWS architecture blog's
//!   "Exponential Backoff And Jitter"), which spreads the clients out.
//!
//! [`call_with_retry`] is the retrying client, a plain async function on
//! tokio's clock. [`storm`] runs many of them against a simulated service
//! that is down for a while and then up, in *virtual* time (tokio's paused
//! clock), so a 30-second outage takes milliseconds to measure and every
//! run counts the same requests. The random delays come from a
//! [`SplitMix64`] seeded per client: no `rand`, nothing left to chance.

use std::future::Future;
use std::time::Duration;

use tokio::time::Instant;

/// A small, fast, deterministic generator (Steele, Lea and Flood's
/// SplitMix64): enough to draw delays, not for anything secret.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct SplitMix64 {
    state: u64,
}

impl SplitMix64 {
    /// A generator whose numbers depend only on `seed`.
    pub const fn new(seed: u64) -> SplitMix64 {
        SplitMix64 { state: seed }
    }

    /// The next 64 random bits.
    pub fn next_u64(&mut self) -> u64 {
        self.state = self.state.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.state;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// A number in `0..n` (0 when `n` is 0), from one draw: the high half
    /// of `next × n`, off uniform by at most n / 2⁶⁴.
    pub fn below(&mut self, n: u64) -> u64 {
        ((u128::from(self.next_u64()) * u128::from(n)) >> 64) as u64
    }
}

// ANCHOR: policy
/// How long a client waits before its next attempt.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Policy {
    /// The article's: `delay` every time.
    Fixed {
        /// The wait after every failure.
        delay: Duration,
    },
    /// `base × 2^(attempt − 1)`, at most `cap`.
    Exponential {
        /// The wait after the first failure.
        base: Duration,
        /// The longest wait.
        cap: Duration,
    },
    /// Uniformly random in `[0, min(cap, base × 2^(attempt − 1)))`.
    FullJitter {
        /// The ceiling after the first failure.
        base: Duration,
        /// The highest ceiling.
        cap: Duration,
    },
}
// ANCHOR_END: policy

// ANCHOR: delay
impl Policy {
    /// The wait after the `attempt`-th failure (counted from 1; 0 is
    /// taken as 1). Only [`Policy::FullJitter`] draws from `rng`, one
    /// number per call.
    pub fn delay(&self, attempt: u32, rng: &mut SplitMix64) -> Duration {
        match *self {
            Policy::Fixed { delay } => delay,
            Policy::Exponential { base, cap } => backoff(base, cap, attempt),
            Policy::FullJitter { base, cap } => {
                let ceiling = nanos(backoff(base, cap, attempt));
                Duration::from_nanos(rng.below(ceiling))
            }
        }
    }
}

/// `min(cap, base × 2^(attempt − 1))`, without overflow.
fn backoff(base: Duration, cap: Duration, attempt: u32) -> Duration {
    match 1u32.checked_shl(attempt.saturating_sub(1)) {
        Some(factor) => base.saturating_mul(factor).min(cap),
        None => cap,
    }
}
// ANCHOR_END: delay

/// The article's policy: 1 s between attempts, like its `delay=1.0`.
pub const FIXED: Policy = Policy::Fixed {
    delay: Duration::from_secs(1),
};

/// Exponential backoff from 100 ms, capped at 30 s. The first retry comes
/// ten times sooner than the article's (a blip costs little); six
/// doublings reach 6.4 s, past a 5-second outage; and however long the
/// outage, no client sleeps more than 30 s past its end.
pub const EXPONENTIAL: Policy = Policy::Exponential {
    base: Duration::from_millis(100),
    cap: Duration::from_secs(30),
};

/// Full jitter with the same base and cap as [`EXPONENTIAL`], so the two
/// differ only in the randomness.
pub const FULL_JITTER: Policy = Policy::FullJitter {
    base: Duration::from_millis(100),
    cap: Duration::from_secs(30),
};

/// The shortest wait between two attempts. tokio's timer counts whole
/// milliseconds and rounds a deadline up, so no wait is shorter anyway,
/// except a zero one, which would let a client retry in a hot loop (and,
/// on a paused clock, never let time move).
pub const MIN_WAIT: Duration = Duration::from_millis(1);

// ANCHOR: call_with_retry
/// Call `attempt` until it succeeds, waiting between attempts as `policy`
/// says: the article's `retry` decorator, as a function. `attempt` gets
/// the attempt's number, from 1.
///
/// With `max_attempts: Some(k)` it gives up after k attempts (at least
/// one is always made) and returns the last error; with `None` it never
/// gives up. On success: the value and how many attempts it took.
pub async fn call_with_retry<F, Fut, T, E>(
    policy: Policy,
    max_attempts: Option<u32>,
    rng: &mut SplitMix64,
    mut attempt: F,
) -> Result<(T, u32), E>
where
    F: FnMut(u32) -> Fut,
    Fut: Future<Output = Result<T, E>>,
{
    let mut tried = 0u32;
    loop {
        tried = tried.saturating_add(1);
        match attempt(tried).await {
            Ok(value) => return Ok((value, tried)),
            Err(error) if max_attempts.is_some_and(|max| tried >= max) => return Err(error),
            Err(_) => tokio::time::sleep(policy.delay(tried, rng).max(MIN_WAIT)).await,
        }
    }
}
// ANCHOR_END: call_with_retry

/// One storm to measure: `clients` clients all make their first request
/// at t = 0 to a service that is down until t = `outage`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct Scenario {
    /// How many clients retry at once.
    pub clients: u32,
    /// How long the service is down: a request at t < outage fails, one
    /// at t ≥ outage succeeds.
    pub outage: Duration,
    /// The width of the windows the storm's peaks count requests in:
    /// fixed windows `[0, w)`, `[w, 2w)`, … from the first request (a zero
    /// width counts as 1 ns).
    pub window: Duration,
    /// The article's `max_attempts`; `None` retries until it succeeds.
    pub max_attempts: Option<u32>,
    /// Client `i` draws its delays from `SplitMix64::new(seed + i)`.
    pub seed: u64,
}

/// The lesson's seed.
pub const LESSON_SEED: u64 = 0x5EED;

/// The lesson's scenario for an outage of `outage`: 100 clients, 10 ms
/// windows, no attempt limit, [`LESSON_SEED`].
pub const fn lesson_scenario(outage: Duration) -> Scenario {
    Scenario {
        clients: 100,
        outage,
        window: Duration::from_millis(10),
        max_attempts: None,
        seed: LESSON_SEED,
    }
}

/// The lesson's scenario with a 5-second outage.
pub const LESSON_SCENARIO: Scenario = lesson_scenario(Duration::from_secs(5));

/// What a storm did to the service. Times are virtual nanoseconds since
/// the first request; every one is a whole number of milliseconds.
///
/// Every client's first request lands in the first window whatever the
/// policy, so the peaks leave that wave out in two ways: [`Storm::peak`]
/// counts only what the service meets once it is back up, and
/// [`Storm::retry_peak`] counts only retries.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct Storm {
    /// Requests the service received, failed ones included.
    pub requests: u64,
    /// The most requests in any one window at or after the end of the
    /// outage: the wall the recovering service meets. (With no outage,
    /// every client's first request.)
    pub peak: u64,
    /// The most retries (requests after a client's first) in any one
    /// window, outage or not: the load the policy adds.
    pub retry_peak: u64,
    /// The mean time of the clients' successful requests (0 if none
    /// succeeded).
    pub mean_time_to_success_ns: u64,
    /// The last client's successful request (0 if none succeeded).
    pub max_time_to_success_ns: u64,
    /// Clients that reached `max_attempts` without success.
    pub gave_up: u64,
    /// Every window that received a request, in time order: its start
    /// (ns) and its requests. Windows left out received none.
    pub windows: Vec<(u64, u64)>,
}

/// The service is down.
#[derive(Clone, Copy, Debug)]
struct Unavailable;

/// The simulated service: down before `outage`, up from then on. A
/// request takes no time.
fn service(at: Duration, outage: Duration) -> Result<Duration, Unavailable> {
    if at < outage {
        Err(Unavailable)
    } else {
        Ok(at)
    }
}

/// One client's requests: when each was made, and when it succeeded.
struct Client {
    requests: Vec<u64>,
    succeeded_at: Option<u64>,
}

// ANCHOR: client
/// Client `index`: retry from `start` until the service answers, noting
/// the time of every request.
async fn client(policy: Policy, scenario: Scenario, start: Instant, index: u32) -> Client {
    let mut rng = SplitMix64::new(scenario.seed.wrapping_add(u64::from(index)));
    let mut requests = Vec::new();
    let outcome = call_with_retry(policy, scenario.max_attempts, &mut rng, |_| {
        let at = start.elapsed();
        requests.push(nanos(at));
        std::future::ready(service(at, scenario.outage))
    })
    .await;
    Client {
        requests,
        succeeded_at: outcome.ok().map(|(at, _)| nanos(at)),
    }
}
// ANCHOR_END: client

/// Run `scenario` with every client on `policy`, in virtual time: a
/// current-thread runtime on a paused clock, one task per client. The
/// clock jumps to the next wake-up whenever every task waits, so the run
/// takes as long as the requests take to count, not as long as the
/// outage, and gives the same result every time.
///
/// A request takes no time. A wait ends on a whole millisecond (tokio's
/// timer resolution, see [`MIN_WAIT`]), so every request time is one.
/// Every request's time is kept until the tally: about clients × outage
/// ÷ delay of them for [`Policy::Fixed`].
pub fn storm(policy: Policy, scenario: &Scenario) -> Storm {
    let scenario = *scenario;
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_time()
        .start_paused(true)
        .build()
        .expect("a current-thread tokio runtime with a paused clock should build");
    let clients = rt.block_on(async move {
        let start = Instant::now();
        let tasks: Vec<_> = (0..scenario.clients)
            .map(|index| tokio::spawn(client(policy, scenario, start, index)))
            .collect();
        let mut clients = Vec::with_capacity(tasks.len());
        for task in tasks {
            match task.await {
                Ok(client) => clients.push(client),
                // A client does not panic; if one did, pass it on.
                Err(error) => std::panic::resume_unwind(error.into_panic()),
            }
        }
        clients
    });
    tally(&clients, &scenario)
}

/// Count the requests per window and the times to success.
fn tally(clients: &[Client], scenario: &Scenario) -> Storm {
    let width = nanos(scenario.window).max(1);
    let outage = nanos(scenario.outage);
    let all = sorted(clients.iter().flat_map(|c| c.requests.iter().copied()));
    let retries = sorted(
        clients
            .iter()
            .flat_map(|c| c.requests.iter().skip(1).copied()),
    );
    let up = all.iter().copied().filter(|&t| t >= outage);
    let windows = per_window(all.iter().copied(), width);
    let successes: Vec<u64> = clients.iter().filter_map(|c| c.succeeded_at).collect();
    let total: u128 = successes.iter().map(|&t| u128::from(t)).sum();
    let mean = match successes.len() {
        0 => 0,
        n => u64::try_from(total / n as u128).unwrap_or(u64::MAX),
    };
    Storm {
        requests: all.len() as u64,
        peak: most(&per_window(up, width)),
        retry_peak: most(&per_window(retries.into_iter(), width)),
        mean_time_to_success_ns: mean,
        max_time_to_success_ns: successes.iter().copied().max().unwrap_or(0),
        gave_up: (clients.len() - successes.len()) as u64,
        windows,
    }
}

/// The times, in order.
fn sorted(times: impl Iterator<Item = u64>) -> Vec<u64> {
    let mut times: Vec<u64> = times.collect();
    times.sort_unstable();
    times
}

/// The non-empty windows of `width` ns of times in order: (start, count).
fn per_window(times: impl Iterator<Item = u64>, width: u64) -> Vec<(u64, u64)> {
    let mut windows: Vec<(u64, u64)> = Vec::new();
    for t in times {
        let begins = t - t % width;
        match windows.last_mut() {
            Some((start, count)) if *start == begins => *count += 1,
            _ => windows.push((begins, 1)),
        }
    }
    windows
}

/// The fullest window's count (0 if none).
fn most(windows: &[(u64, u64)]) -> u64 {
    windows.iter().map(|&(_, count)| count).max().unwrap_or(0)
}

/// A duration in nanoseconds, saturating (u64 holds 584 years).
fn nanos(d: Duration) -> u64 {
    u64::try_from(d.as_nanos()).unwrap_or(u64::MAX)
}

/// The article's fixed delay, in the lesson's scenario with an outage of
/// `outage`.
pub fn fixed(outage: Duration) -> Storm {
    storm(FIXED, &lesson_scenario(outage))
}

/// Exponential backoff, in the lesson's scenario.
pub fn exponential(outage: Duration) -> Storm {
    storm(EXPONENTIAL, &lesson_scenario(outage))
}

/// Exponential backoff with full jitter, in the lesson's scenario.
pub fn full_jitter(outage: Duration) -> Storm {
    storm(FULL_JITTER, &lesson_scenario(outage))
}

#[cfg(test)]
mod tests {
    use super::*;

    const SECOND: u64 = 1_000_000_000;
    const MS: u64 = 1_000_000;

    fn scenario(clients: u32, outage: Duration) -> Scenario {
        Scenario {
            clients,
            ..lesson_scenario(outage)
        }
    }

    #[test]
    fn splitmix_matches_the_reference() {
        // The reference implementation's first outputs for seed 0.
        let mut rng = SplitMix64::new(0);
        assert_eq!(rng.next_u64(), 0xE220_A839_7B1D_CDAF);
        assert_eq!(rng.next_u64(), 0x6E78_9E6A_A1B9_65F4);
    }

    #[test]
    fn delays_follow_the_policy() {
        let mut rng = SplitMix64::new(1);
        let ms = Duration::from_millis;
        let exp: Vec<_> = (1..=7).map(|a| EXPONENTIAL.delay(a, &mut rng)).collect();
        assert_eq!(
            exp,
            [
                ms(100),
                ms(200),
                ms(400),
                ms(800),
                ms(1600),
                ms(3200),
                ms(6400)
            ]
        );
        assert_eq!(EXPONENTIAL.delay(40, &mut rng), Duration::from_secs(30));
        assert_eq!(
            EXPONENTIAL.delay(u32::MAX, &mut rng),
            Duration::from_secs(30)
        );
        assert_eq!(FIXED.delay(9, &mut rng), Duration::from_secs(1));
        for attempt in 1..=20 {
            let ceiling = EXPONENTIAL.delay(attempt, &mut rng);
            assert!(FULL_JITTER.delay(attempt, &mut rng) < ceiling);
        }
    }

    #[test]
    fn fixed_retries_in_lockstep() {
        let storm = storm(FIXED, &scenario(100, Duration::from_secs(5)));
        // Every client at 0, 1, 2, 3, 4 and 5 s: six windows of 100.
        let windows: Vec<_> = (0..6).map(|s| (s * SECOND, 100)).collect();
        assert_eq!(
            storm,
            Storm {
                requests: 600,
                peak: 100,
                retry_peak: 100,
                mean_time_to_success_ns: 5 * SECOND,
                max_time_to_success_ns: 5 * SECOND,
                gave_up: 0,
                windows,
            }
        );
    }

    #[test]
    fn max_attempts_gives_up() {
        let limited = Scenario {
            max_attempts: Some(3),
            ..scenario(100, Duration::from_secs(5))
        };
        let storm = storm(FIXED, &limited);
        // Requests at 0, 1 and 2 s; none once the service is up at 5 s.
        let figures = (storm.requests, storm.peak, storm.retry_peak, storm.gave_up);
        assert_eq!(figures, (300, 0, 100, 100));
        assert_eq!(storm.mean_time_to_success_ns, 0);
    }

    #[test]
    fn exponential_doubles_then_caps() {
        let policy = Policy::Exponential {
            base: Duration::from_millis(100),
            cap: Duration::from_secs(1),
        };
        let one = Scenario {
            window: Duration::from_nanos(1),
            ..scenario(1, Duration::from_secs(2))
        };
        let storm = storm(policy, &one);
        // Waits of 0.1, 0.2, 0.4, 0.8, then 1.6 s capped to 1 s; 1-ns
        // windows start at the requests' exact times.
        let times: Vec<u64> = storm.windows.iter().map(|&(t, _)| t).collect();
        assert_eq!(
            times,
            [0, 100 * MS, 300 * MS, 700 * MS, 1500 * MS, 2500 * MS]
        );
        assert_eq!(storm.max_time_to_success_ns, 2500 * MS);
    }

    #[test]
    fn no_outage_no_retries() {
        for policy in [FIXED, EXPONENTIAL, FULL_JITTER] {
            let storm = storm(policy, &scenario(100, Duration::ZERO));
            let figures = (storm.requests, storm.peak, storm.retry_peak, storm.gave_up);
            assert_eq!(figures, (100, 100, 0, 0));
            assert_eq!(storm.max_time_to_success_ns, 0);
        }
    }

    #[test]
    fn zero_delay_still_ends() {
        let policy = Policy::Fixed {
            delay: Duration::ZERO,
        };
        let storm = storm(policy, &scenario(2, Duration::from_millis(5)));
        // One request per millisecond (MIN_WAIT), 0 ms to 5 ms.
        assert_eq!(storm.requests, 12);
    }

    #[test]
    fn jitter_spreads_the_storm() {
        let fixed = storm(FIXED, &LESSON_SCENARIO);
        let jitter = storm(FULL_JITTER, &LESSON_SCENARIO);
        assert_eq!(
            jitter,
            storm(FULL_JITTER, &LESSON_SCENARIO),
            "deterministic"
        );
        assert!(
            jitter.peak * 2 < fixed.peak,
            "{} vs {}",
            jitter.peak,
            fixed.peak
        );
        assert!(jitter.retry_peak * 2 < fixed.retry_peak);
        assert_eq!(jitter.gave_up, 0);
    }

    /// The figures the lesson quotes: (requests, peak, retry peak, mean
    /// and last success in ms) for a 5 s and a 30 s outage.
    #[test]
    fn lesson_figures() {
        let figures = |policy, outage| {
            let s = storm(policy, &lesson_scenario(Duration::from_secs(outage)));
            let ms = |ns| ns / MS;
            (
                s.requests,
                s.peak,
                s.retry_peak,
                ms(s.mean_time_to_success_ns),
                ms(s.max_time_to_success_ns),
            )
        };
        assert_eq!(figures(FIXED, 5), (600, 100, 100, 5_000, 5_000));
        assert_eq!(figures(EXPONENTIAL, 5), (700, 100, 100, 6_300, 6_300));
        assert_eq!(figures(FULL_JITTER, 5), (832, 2, 15, 9_400, 28_381));
        assert_eq!(figures(FIXED, 30), (3_100, 100, 100, 30_000, 30_000));
        assert_eq!(figures(EXPONENTIAL, 30), (1_000, 100, 100, 51_100, 51_100));
        assert_eq!(figures(FULL_JITTER, 30), (1_083, 1, 15, 39_585, 57_833));
    }
}

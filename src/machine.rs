//! The machine a figure was measured on: every published figure carries it.

use std::process::Command;

/// CPU, cores, memory, OS, compiler, date and commit.
#[derive(Clone, Debug, serde::Serialize)]
pub struct Machine {
    /// CPU model name.
    pub cpu: String,
    /// Logical cores this process may use.
    pub cores: usize,
    /// Total memory in bytes, where known.
    pub memory_bytes: Option<u64>,
    /// OS and kernel release.
    pub os: String,
    /// The compiler that built this binary.
    pub rustc: String,
    /// Whether this is an optimized build.
    pub profile: &'static str,
    /// UTC date of the measurement (YYYY-MM-DD).
    pub date: String,
    /// Git commit of the working tree, with `-dirty` for local changes
    /// (outside the results pages, which `report` writes).
    pub commit: String,
}

impl Machine {
    /// Read the machine's description now.
    pub fn detect() -> Machine {
        let cpuinfo = std::fs::read_to_string("/proc/cpuinfo").unwrap_or_default();
        let meminfo = std::fs::read_to_string("/proc/meminfo").unwrap_or_default();
        let kernel = std::fs::read_to_string("/proc/sys/kernel/osrelease").unwrap_or_default();
        Machine {
            cpu: field(&cpuinfo, "model name").unwrap_or_else(|| std::env::consts::ARCH.to_owned()),
            cores: std::thread::available_parallelism().map_or(1, |n| n.get()),
            memory_bytes: field(&meminfo, "MemTotal")
                .and_then(|kb| kb.trim_end_matches(" kB").trim().parse::<u64>().ok())
                .map(|kb| kb * 1024),
            os: format!("{} {}", std::env::consts::OS, kernel.trim())
                .trim()
                .to_owned(),
            rustc: env!("WORKBENCH_RUSTC").to_owned(),
            profile: if cfg!(debug_assertions) {
                "debug"
            } else {
                "release"
            },
            date: today(),
            commit: commit(),
        }
    }

    /// One line for the foot of a table.
    pub fn summary(&self) -> String {
        let memory = self
            .memory_bytes
            .map(|b| format!(", {:.0} GiB", b as f64 / (1u64 << 30) as f64))
            .unwrap_or_default();
        format!(
            "{} ({} cores{memory}), {}, {}, {} build, {}, commit {}",
            self.cpu, self.cores, self.os, self.rustc, self.profile, self.date, self.commit
        )
    }
}

/// The size of a cache line in bytes, as Linux reports it for the first
/// cache of CPU 0; `None` where it does not.
pub fn cache_line() -> Option<u64> {
    std::fs::read_to_string("/sys/devices/system/cpu/cpu0/cache/index0/coherency_line_size")
        .ok()?
        .trim()
        .parse()
        .ok()
}

/// The CPU's caches and what the chapters argue from, read from Linux's
/// `/proc/cpuinfo` and `/sys/devices/system/cpu/cpu0/cache/` (what `lscpu`
/// reads): one `(name, value)` pair per fact known, in reading order.
pub fn cpu_facts() -> Vec<(String, String)> {
    let cpuinfo = std::fs::read_to_string("/proc/cpuinfo").unwrap_or_default();
    let mut facts = Vec::new();
    let logical = cpuinfo
        .lines()
        .filter(|l| l.starts_with("processor"))
        .count();
    if let (Some(cores), Some(siblings)) =
        (field(&cpuinfo, "cpu cores"), field(&cpuinfo, "siblings"))
    {
        facts.push((
            "cores, threads".to_owned(),
            format!(
                "{cores} cores, {siblings} hardware threads per socket; {logical} logical CPUs"
            ),
        ));
    }
    if let Some(mhz) = field(&cpuinfo, "cpu MHz").and_then(|m| m.parse::<f64>().ok()) {
        facts.push((
            "clock".to_owned(),
            format!("{mhz:.0} MHz as the kernel reports it (no turbo figure)"),
        ));
    }
    let virtual_machine = cpuinfo
        .lines()
        .find(|l| l.starts_with("flags"))
        .is_some_and(|l| l.split_whitespace().any(|f| f == "hypervisor"));
    facts.push((
        "virtual machine".to_owned(),
        if virtual_machine {
            "yes: the CPU flags name a hypervisor, so the cores may be shared with other guests"
                .to_owned()
        } else {
            "no hypervisor flag".to_owned()
        },
    ));
    let dir = std::path::Path::new("/sys/devices/system/cpu/cpu0/cache");
    let mut caches: Vec<_> = std::fs::read_dir(dir)
        .into_iter()
        .flatten()
        .flatten()
        .map(|e| e.path())
        .filter(|p| {
            p.file_name()
                .is_some_and(|n| n.to_string_lossy().starts_with("index"))
        })
        .collect();
    caches.sort();
    for cache in caches {
        let read = |f: &str| std::fs::read_to_string(cache.join(f)).map(|s| s.trim().to_owned());
        let (Ok(level), Ok(kind), Ok(size)) = (read("level"), read("type"), read("size")) else {
            continue;
        };
        let kind = match kind.as_str() {
            "Data" => "d",
            "Instruction" => "i",
            _ => "",
        };
        let line = read("coherency_line_size").unwrap_or_else(|_| "?".into());
        let shared = read("shared_cpu_list").unwrap_or_else(|_| "?".into());
        facts.push((
            format!("L{level}{kind} cache"),
            format!("{size}B per instance, {line}-byte lines, shared by CPUs {shared}"),
        ));
    }
    facts
}

fn field(text: &str, key: &str) -> Option<String> {
    text.lines()
        .find(|line| line.starts_with(key))
        .and_then(|line| line.split_once(':'))
        .map(|(_, value)| value.trim().to_owned())
}

fn git(args: &[&str]) -> Option<String> {
    Command::new("git")
        .args(args)
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .output()
        .ok()
        .filter(|out| out.status.success())
        .map(|out| String::from_utf8_lossy(&out.stdout).trim().to_owned())
}

/// Tracked files changed since the last commit, outside
/// `book/src/results/` (which `report` itself writes, so a run that has
/// written one lesson's page is still of a clean commit). Empty where git
/// is unavailable.
pub fn changes_outside_results() -> Vec<String> {
    git(&[
        "status",
        "--porcelain",
        "--untracked-files=no",
        "--",
        ".",
        ":(exclude)book/src/results",
    ])
    // Each line is `XY path`; the output was trimmed, so the first line
    // may have lost the space of a blank X.
    .map(|s| {
        s.lines()
            .map(|l| {
                l.trim_start()
                    .split_once(' ')
                    .map_or(l, |(_, path)| path.trim())
                    .to_owned()
            })
            .collect()
    })
    .unwrap_or_default()
}

fn commit() -> String {
    match git(&["rev-parse", "--short", "HEAD"]) {
        Some(hash) if !changes_outside_results().is_empty() => format!("{hash}-dirty"),
        Some(hash) => hash,
        None => "unknown".to_owned(),
    }
}

/// Today's UTC date, from the system clock (days-to-civil, proleptic
/// Gregorian calendar).
fn today() -> String {
    let secs = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_secs());
    let z = (secs / 86_400) as i64 + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1_460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = doy - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    let year = yoe + era * 400 + i64::from(month <= 2);
    format!("{year:04}-{month:02}-{day:02}")
}

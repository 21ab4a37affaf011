//! How numbers read, everywhere the workbench prints one: counts with
//! separators, durations, ratios, bytes. The bottom layer (see
//! ARCHITECTURE.md): it imports nothing from the crate, so the catalog, the
//! judges and the report all format a figure the same way.

/// A metric value: whole numbers with separators, others to 3 decimals.
pub fn number(v: f64) -> String {
    if v.fract() == 0.0 && v.abs() < 1e15 {
        let sign = if v < 0.0 { "-" } else { "" };
        format!("{sign}{}", count(v.abs() as u64))
    } else {
        format!("{v:.3}")
    }
}

/// The unit a time is printed in, and its size in ns.
fn time_unit(ns: f64) -> (&'static str, f64) {
    match ns {
        ns if ns < 1e3 => ("ns", 1.0),
        ns if ns < 1e6 => ("µs", 1e3),
        ns if ns < 1e9 => ("ms", 1e6),
        _ => ("s", 1e9),
    }
}

/// `v` to 3 significant figures: `0.00123`, `1.23`, `123`, `12,300`.
pub fn significant(v: f64) -> String {
    if v == 0.0 || !v.is_finite() {
        return format!("{v}");
    }
    let digits = v.abs().log10().floor() as i32;
    if digits >= 2 {
        let step = 10f64.powi(digits - 2);
        let sign = if v < 0.0 { "-" } else { "" };
        format!("{sign}{}", count(((v.abs() / step).round() * step) as u64))
    } else {
        format!("{v:.*}", (2 - digits) as usize)
    }
}

/// `v` to 3 significant figures (fewer decimals as it grows).
fn three(v: f64) -> String {
    match v.abs() {
        a if a >= 100.0 => format!("{v:.0}"),
        a if a >= 10.0 => format!("{v:.1}"),
        _ => format!("{v:.2}"),
    }
}

/// Time per call, to 3 significant figures: a median of a few rounds
/// holds no more (the rounds of one run spread by a few percent).
pub fn duration(ns: f64) -> String {
    let (unit, size) = time_unit(ns);
    format!("{} {unit}", three(ns / size))
}

/// The fastest to the slowest round, in the slowest's unit: `1.38–1.52 ms`.
pub fn duration_range(min_ns: f64, max_ns: f64) -> String {
    let (unit, size) = time_unit(max_ns);
    format!("{}–{} {unit}", three(min_ns / size), three(max_ns / size))
}

/// A speed ratio to 3 significant figures: `3,240x`, `12.5x`, `0.42x`.
pub fn ratio(r: f64) -> String {
    match r {
        r if r >= 1000.0 => {
            let step = 10f64.powi(r.log10().floor() as i32 - 2);
            format!("{}x", count(((r / step).round() * step) as u64))
        }
        r if r >= 100.0 => format!("{}x", count(r.round() as u64)),
        r if r >= 10.0 => format!("{r:.1}x"),
        r => format!("{r:.2}x"),
    }
}

/// A byte count in binary units.
pub fn bytes(b: u64) -> String {
    match b {
        b if b < 1024 => format!("{b} B"),
        b if b < 1 << 20 => format!("{:.1} KiB", b as f64 / 1024.0),
        b if b < 1 << 30 => format!("{:.1} MiB", b as f64 / (1u64 << 20) as f64),
        b => format!("{:.2} GiB", b as f64 / (1u64 << 30) as f64),
    }
}

/// An integer with thousands separators: `10,000`.
pub fn count(n: u64) -> String {
    let digits = n.to_string();
    let mut out = String::with_capacity(digits.len() + digits.len() / 3);
    for (i, ch) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(ch);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Figures read the way the book prints them.
    #[test]
    fn figures_are_formatted_for_reading() {
        assert_eq!(count(9_000), "9,000");
        assert_eq!(count(1_000_000), "1,000,000");
        assert_eq!(count(12), "12");
        assert_eq!(ratio(3236.4), "3,240x");
        assert_eq!(ratio(425_497.0), "425,000x");
        assert_eq!(ratio(0.5), "0.50x");
        assert_eq!(duration(1_500_000.0), "1.50 ms");
        assert_eq!(duration(231_540_000.0), "232 ms");
        assert_eq!(duration(90_430.0), "90.4 µs");
        assert_eq!(duration_range(1_380_000.0, 1_520_000.0), "1.38–1.52 ms");
        assert_eq!(bytes(2048), "2.0 KiB");
        assert_eq!(number(-3.0), "-3");
        assert_eq!(number(0.1234), "0.123");
        assert_eq!(significant(0.001234), "0.00123");
        assert_eq!(significant(9.876), "9.88");
        assert_eq!(significant(12_345.6), "12,300");
    }
}

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

/// Time per call, in the unit that keeps 3 significant digits readable.
pub fn duration(ns: f64) -> String {
    match ns {
        ns if ns < 1e3 => format!("{ns:.1} ns"),
        ns if ns < 1e6 => format!("{:.2} µs", ns / 1e3),
        ns if ns < 1e9 => format!("{:.2} ms", ns / 1e6),
        ns => format!("{:.2} s", ns / 1e9),
    }
}

/// A speed ratio: `3,236x`, `12.5x`, `0.42x`.
pub fn ratio(r: f64) -> String {
    match r {
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
        assert_eq!(ratio(3236.4), "3,236x");
        assert_eq!(ratio(0.5), "0.50x");
        assert_eq!(duration(1_500_000.0), "1.50 ms");
        assert_eq!(bytes(2048), "2.0 KiB");
        assert_eq!(number(-3.0), "-3");
        assert_eq!(number(0.1234), "0.123");
    }
}

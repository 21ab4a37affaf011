//! The same loop ([`crate::cost::iterators`]) built four ways. Each build
//! is the program in `lessons/profiling/kernel`, built with one Cargo
//! profile and one set of compiler flags; the workbench builds each once
//! (cached under `target/profiling-builds/`) and runs it as a child.

/// One way to build the kernel.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Build {
    /// The Cargo profile (`dev`, `release` or the kernel's own `lto`).
    pub profile: &'static str,
    /// The compiler flags, as `RUSTFLAGS`.
    pub rustflags: &'static str,
    /// Where its binary is, below the profile's target directory (Cargo
    /// puts `dev` builds in `debug/`).
    pub dir: &'static str,
}

// ANCHOR: builds
/// `cargo build`: no optimization, every iterator step a call, integer
/// overflow checked. What `cargo run` gives without `--release`.
pub fn debug() -> Build {
    Build {
        profile: "dev",
        rustflags: "",
        dir: "debug",
    }
}

/// `cargo build --release`: `opt-level = 3`, 16 codegen units, no LTO.
pub fn release() -> Build {
    Build {
        profile: "release",
        rustflags: "",
        dir: "release",
    }
}

/// Release with `lto = "fat"` and `codegen-units = 1`: the whole program
/// optimized as one unit, across crates.
pub fn release_lto() -> Build {
    Build {
        profile: "lto",
        rustflags: "",
        dir: "lto",
    }
}

/// Release with `-C target-cpu=native`: every instruction this CPU has
/// (AVX2, FMA…), at the cost of a binary that may not run on another.
pub fn native() -> Build {
    Build {
        profile: "release",
        rustflags: "-C target-cpu=native",
        dir: "release",
    }
}
// ANCHOR_END: builds

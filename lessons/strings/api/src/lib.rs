//! What the strings lesson's exercise shares with the lesson: the row type
//! and the header. No variant lives here, so an exercise that depends on
//! this crate alone cannot call one.
#![deny(missing_docs)]

/// One row of the table.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Deployment {
    /// The deployment's name, e.g. `payments-api-17`.
    pub name: String,
    /// How many pods it runs.
    pub replicas: u32,
    /// The container image it runs.
    pub image: String,
}

/// The first line of every rendering.
pub const HEADER: &str = "name,replicas,image\n";

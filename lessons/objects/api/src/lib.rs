//! What the objects lesson's exercise shares with the lesson: the
//! deployment record ([`Deployment`]), its status, the errors of a record
//! that cannot exist, the lesson's deployments and the [`Store`] contract.
//! No store lives here, so an exercise that depends on this crate alone
//! cannot call one.
#![deny(missing_docs)]

// ANCHOR: deployment
/// A deployment, owned: what a Python object with `__slots__` holds, each
/// field in place.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct Deployment {
    /// Its name: any non-empty UTF-8.
    pub name: String,
    /// The image version it runs.
    pub version: String,
    /// How many replicas: 1 to 100.
    pub replicas: u16,
    /// Where it is.
    pub status: Status,
}

/// Where a deployment is: one of four, so one byte.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Status {
    /// Not started yet.
    Pending,
    /// Up.
    Running,
    /// Stopped on purpose.
    Stopped,
    /// Stopped by an error.
    Failed,
}
// ANCHOR_END: deployment

/// Why a record cannot be a [`Deployment`].
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub enum DeploymentError {
    /// Replicas outside 1 to 100.
    ReplicasOutOfRange(i128),
    /// A status that is none of the four.
    UnknownStatus(String),
    /// An empty name.
    EmptyName,
    /// A name that is not UTF-8.
    NameNotUtf8,
}

impl std::fmt::Display for DeploymentError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            DeploymentError::ReplicasOutOfRange(n) => {
                write!(
                    f,
                    "replicas must be 1 to {MAX_REPLICAS}, not {n}: scale within that range"
                )
            }
            DeploymentError::UnknownStatus(s) => write!(
                f,
                "unknown status '{s}': use pending, running, stopped or failed"
            ),
            DeploymentError::EmptyName => write!(f, "a deployment needs a name: give it one"),
            DeploymentError::NameNotUtf8 => {
                write!(f, "a deployment's name must be UTF-8: rename it")
            }
        }
    }
}

impl std::error::Error for DeploymentError {}

/// The most replicas a deployment may have.
pub const MAX_REPLICAS: u16 = 100;

impl Status {
    /// Every status, in order.
    pub const ALL: [Status; 4] = [
        Status::Pending,
        Status::Running,
        Status::Stopped,
        Status::Failed,
    ];

    /// Its name, as the article's objects hold it.
    pub const fn name(self) -> &'static str {
        match self {
            Status::Pending => "pending",
            Status::Running => "running",
            Status::Stopped => "stopped",
            Status::Failed => "failed",
        }
    }
}

impl std::str::FromStr for Status {
    type Err = DeploymentError;
    fn from_str(s: &str) -> Result<Status, DeploymentError> {
        Status::ALL
            .into_iter()
            .find(|status| status.name() == s)
            .ok_or_else(|| DeploymentError::UnknownStatus(s.to_owned()))
    }
}

impl Deployment {
    /// A deployment from raw parts, checked: a name of UTF-8 bytes, not
    /// empty; replicas 1 to 100; a known status.
    pub fn parse(
        name: &[u8],
        version: &str,
        replicas: u64,
        status: &str,
    ) -> Result<Deployment, DeploymentError> {
        let name = std::str::from_utf8(name).map_err(|_| DeploymentError::NameNotUtf8)?;
        if name.is_empty() {
            return Err(DeploymentError::EmptyName);
        }
        let replicas = u16::try_from(replicas)
            .ok()
            .filter(|r| (1..=MAX_REPLICAS).contains(r))
            .ok_or(DeploymentError::ReplicasOutOfRange(i128::from(replicas)))?;
        Ok(Deployment {
            name: name.to_owned(),
            version: version.to_owned(),
            replicas,
            status: status.parse()?,
        })
    }
}

// ANCHOR: deployments
/// The services the lesson's names come from, some not ASCII.
pub const SERVICES: [&str; 8] = [
    "api", "auth", "billing", "search", "checkout", "paiement", "zählung", "ログ",
];
/// The versions the lesson's deployments run.
pub const VERSIONS: [&str; 5] = ["1.0.0", "1.2.3", "2.0.0", "2.1.0", "3.0.0-rc1"];

/// The lesson's `n` deployments, the same on every machine (and in the
/// Python script): deployment `i` is `{service}-{i}`, on a version, with
/// `1 + 37i mod 100` replicas, in a status.
pub fn deployments(n: usize) -> Vec<Deployment> {
    (0..n)
        .map(|i| Deployment {
            name: format!("{}-{i}", SERVICES[i % SERVICES.len()]),
            version: VERSIONS[(i * 7) % VERSIONS.len()].to_owned(),
            replicas: 1 + (i * 37 % 100) as u16,
            status: Status::ALL[i % Status::ALL.len()],
        })
        .collect()
}
// ANCHOR_END: deployments

// ANCHOR: store
/// A store of deployments, in the order they were given. Every store, the
/// exercise's too, answers the same on the same deployments.
pub trait Store: Sized {
    /// A store of `deployments`, in their order.
    fn build(deployments: &[Deployment]) -> Self;
    /// How many deployments it holds.
    fn len(&self) -> usize;
    /// Whether it holds none.
    fn is_empty(&self) -> bool {
        self.len() == 0
    }
    /// The replicas of every deployment, added up: the scan.
    fn total_replicas(&self) -> u64;
    /// Remove the first deployment named `name`, keeping the others in
    /// order; whether there was one.
    fn remove(&mut self, name: &str) -> bool;
    /// Every deployment, in order, as owned records.
    fn to_vec(&self) -> Vec<Deployment>;
}
// ANCHOR_END: store

#[cfg(test)]
mod tests {
    use super::*;

    /// Each bad part is its own error, with what to do.
    #[test]
    fn bad_parts_are_typed_errors() {
        assert_eq!(
            Deployment::parse(b"a", "1", 0, "running"),
            Err(DeploymentError::ReplicasOutOfRange(0))
        );
        assert_eq!(
            Deployment::parse(b"a", "1", 101, "running"),
            Err(DeploymentError::ReplicasOutOfRange(101))
        );
        assert_eq!(
            Deployment::parse(b"a", "1", 1, "gone"),
            Err(DeploymentError::UnknownStatus("gone".into()))
        );
        assert_eq!(
            Deployment::parse(b"", "1", 1, "running"),
            Err(DeploymentError::EmptyName)
        );
        assert_eq!(
            Deployment::parse(b"\xff", "1", 1, "running"),
            Err(DeploymentError::NameNotUtf8)
        );
        assert!(Deployment::parse("ログ-1".as_bytes(), "1", 100, "failed").is_ok());
        assert!(
            DeploymentError::UnknownStatus("x".into())
                .to_string()
                .contains("use pending")
        );
    }

    /// The lesson's deployments are what the Python script makes.
    #[test]
    fn the_lessons_deployments_are_fixed() {
        let d = deployments(10);
        assert_eq!(d[7].name, "ログ-7");
        assert_eq!(d[1].version, "2.0.0");
        assert_eq!(d[1].replicas, 38);
        assert_eq!(d[3].status, Status::Failed);
    }
}

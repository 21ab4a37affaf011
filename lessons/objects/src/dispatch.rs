//! Question 4: registries and dispatch. The article's `RegistryMeta`
//! records each subclass by name when it is defined, and
//! `create_deployment` looks the name up on every call. A closed set of
//! kinds is an `enum` in Rust, matched at compile time; an open set is a
//! trait object.

use std::collections::HashMap;

/// What deploying a kind of deployment does here: its cost units (never
/// inlined, so every variant makes the same call).
#[inline(never)]
pub fn deploy_cost(kind: u8) -> u64 {
    u64::from(kind) * 10 + 1
}

// ANCHOR: registry
/// A class the registry can make: a constructor behind a name.
pub type Factory = fn() -> Box<dyn Deploy>;

/// The article's `RegistryMeta.registry`: class names to classes.
pub fn registry() -> HashMap<&'static str, Factory, foldhash::fast::FixedState> {
    let mut registry: HashMap<&'static str, Factory, _> = HashMap::default();
    registry.insert("KubernetesDeployment", || Box::new(Kubernetes));
    registry.insert("ECSDeployment", || Box::new(Ecs));
    registry.insert("LambdaDeployment", || Box::new(Lambda));
    registry
}

/// The article's `create_deployment(deployment_type)`: the name looked up
/// on every call, an error for an unknown one.
pub fn create_deployment(
    registry: &HashMap<&'static str, Factory, foldhash::fast::FixedState>,
    deployment_type: &str,
) -> Result<Box<dyn Deploy>, String> {
    registry
        .get(deployment_type)
        .map(|make| make())
        .ok_or_else(|| format!("Unknown deployment type: {deployment_type}"))
}
// ANCHOR_END: registry

// ANCHOR: open
/// An open set of kinds: any crate may add one.
pub trait Deploy {
    /// Deploy it; its cost.
    fn deploy(&self) -> u64;
}

/// Kubernetes.
pub struct Kubernetes;
/// ECS.
pub struct Ecs;
/// Lambda.
pub struct Lambda;

impl Deploy for Kubernetes {
    fn deploy(&self) -> u64 {
        deploy_cost(0)
    }
}
impl Deploy for Ecs {
    fn deploy(&self) -> u64 {
        deploy_cost(1)
    }
}
impl Deploy for Lambda {
    fn deploy(&self) -> u64 {
        deploy_cost(2)
    }
}
// ANCHOR_END: open

// ANCHOR: closed
/// A closed set of kinds: the compiler knows them all, and a `match` that
/// forgets one does not compile.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Kind {
    /// Kubernetes.
    Kubernetes,
    /// ECS.
    Ecs,
    /// Lambda.
    Lambda,
}

impl Kind {
    /// Deploy it; its cost.
    pub fn deploy(self) -> u64 {
        match self {
            Kind::Kubernetes => deploy_cost(0),
            Kind::Ecs => deploy_cost(1),
            Kind::Lambda => deploy_cost(2),
        }
    }
}
// ANCHOR_END: closed

/// The type names the calls cycle through.
pub const NAMES: [&str; 3] = ["KubernetesDeployment", "ECSDeployment", "LambdaDeployment"];

/// `n` calls of `create_deployment(name).deploy()`, cycling through the
/// names; the total cost, or the first error.
pub fn registry_lookup(n: u64) -> Result<u64, String> {
    let registry = registry();
    let mut total = 0;
    for i in 0..n {
        let name = NAMES[std::hint::black_box(i as usize) % NAMES.len()];
        total += create_deployment(&registry, name)?.deploy();
    }
    Ok(total)
}

/// `n` calls through trait objects made once, one per kind.
pub fn trait_object(n: u64) -> Result<u64, String> {
    let kinds: [Box<dyn Deploy>; 3] = [Box::new(Kubernetes), Box::new(Ecs), Box::new(Lambda)];
    Ok((0..n)
        .map(|i| kinds[std::hint::black_box(i as usize) % kinds.len()].deploy())
        .sum())
}

/// `n` calls through the `enum`.
pub fn enum_match(n: u64) -> Result<u64, String> {
    const KINDS: [Kind; 3] = [Kind::Kubernetes, Kind::Ecs, Kind::Lambda];
    Ok((0..n)
        .map(|i| KINDS[std::hint::black_box(i as usize) % KINDS.len()].deploy())
        .sum())
}

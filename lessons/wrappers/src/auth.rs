//! `require_permission` as a type. The article's decorator looks the user
//! up in `**kwargs` and asks for the permission on every call; a
//! capability token is checked once, when it is made, and a function that
//! needs it cannot be called without one. The compiler checks the second,
//! and it costs nothing at run time:
//!
//! ```compile_fail,E0451
//! use wrappers::auth::{Admin, delete_deployment};
//! // `Admin` has a private field: only `Admin::verify` makes one.
//! delete_deployment(&Admin { _checked: () }, 7);
//! ```
//!
//! ```
//! use wrappers::auth::{Admin, User, delete_deployment};
//! let alice = User::new("alice", &["deployments.delete"]);
//! let admin = Admin::verify(&alice).expect("alice may delete deployments");
//! assert_eq!(delete_deployment(&admin, 7), 7);
//! ```

use std::collections::{HashMap, HashSet};
use std::rc::Rc;

use crate::stack::PyError;

/// The permission the article's example asks for.
pub const PERMISSION: &str = "deployments.delete";

/// A user and the permissions they hold.
#[derive(Debug)]
pub struct User {
    /// The name.
    pub name: String,
    permissions: HashSet<String, foldhash::fast::FixedState>,
}

impl User {
    /// `name`, holding `permissions`.
    pub fn new(name: &str, permissions: &[&str]) -> User {
        User {
            name: name.to_owned(),
            permissions: permissions.iter().map(|p| (*p).to_owned()).collect(),
        }
    }

    /// `user.has_permission(permission)`.
    pub fn has_permission(&self, permission: &str) -> bool {
        self.permissions.contains(permission)
    }
}

/// The lesson's user: holds `permissions` permissions, the one asked for
/// last.
pub fn lesson_user(permissions: usize) -> User {
    let mut names: Vec<String> = (1..permissions)
        .map(|i| format!("service.{i}.read"))
        .collect();
    names.push(PERMISSION.to_owned());
    User::new(
        "alice",
        &names.iter().map(String::as_str).collect::<Vec<_>>(),
    )
}

/// Python's `**kwargs` for this call: the deployment and the user.
pub type Kwargs = HashMap<&'static str, Arg, foldhash::fast::FixedState>;

/// A keyword argument.
#[derive(Clone, Debug)]
pub enum Arg {
    /// `deployment_id`.
    Id(u64),
    /// `user`.
    User(Rc<User>),
}

// ANCHOR: require_permission
/// The article's `@require_permission('deployments.delete')` around
/// `delete_deployment(deployment_id, user=None)`: the user found in the
/// call's kwargs and asked for the permission, every call.
pub fn require_permission(kwargs: &Kwargs) -> Result<u64, PyError> {
    let Some(Arg::User(user)) = kwargs.get("user") else {
        return Err(PyError("User context required".into()));
    };
    if !user.has_permission(PERMISSION) {
        return Err(PyError(format!("Permission denied: {PERMISSION}")));
    }
    match kwargs.get("deployment_id") {
        Some(Arg::Id(id)) => Ok(deleted(*id)),
        _ => Err(PyError("missing deployment_id".into())),
    }
}
// ANCHOR_END: require_permission

/// What deleting does here: nothing but answer with the id (never
/// inlined, so every variant makes the same call).
#[inline(never)]
pub fn deleted(id: u64) -> u64 {
    id
}

// ANCHOR: capability
/// Proof that a user may delete deployments. Its field is private, so the
/// only way to get one is [`Admin::verify`]; it takes no space.
#[derive(Debug)]
pub struct Admin {
    _checked: (),
}

impl Admin {
    /// The proof, if `user` holds the permission: the one check.
    pub fn verify(user: &User) -> Option<Admin> {
        user.has_permission(PERMISSION)
            .then_some(Admin { _checked: () })
    }
}

/// Needs the proof, so it cannot be called without one; checks nothing.
pub fn delete_deployment(_: &Admin, id: u64) -> u64 {
    deleted(id)
}
// ANCHOR_END: capability

/// `n` calls of the article's decorated function, each with its kwargs
/// dict built as Python builds it; the sum of the ids, or the first error.
pub fn kwargs_lookup(user: &Rc<User>, n: u64) -> Result<u64, PyError> {
    let mut total = 0u64;
    for id in 0..n {
        let mut kwargs = Kwargs::with_capacity_and_hasher(2, Default::default());
        kwargs.insert("deployment_id", Arg::Id(std::hint::black_box(id)));
        kwargs.insert("user", Arg::User(Rc::clone(user)));
        total = total.wrapping_add(require_permission(&kwargs)?);
    }
    Ok(total)
}

/// `n` calls with typed arguments, the permission still looked up on
/// every call.
pub fn checked_each_call(user: &User, n: u64) -> Result<u64, PyError> {
    let mut total = 0u64;
    for id in 0..n {
        if !user.has_permission(std::hint::black_box(PERMISSION)) {
            return Err(PyError(format!("Permission denied: {PERMISSION}")));
        }
        total = total.wrapping_add(deleted(std::hint::black_box(id)));
    }
    Ok(total)
}

/// `n` calls with the capability, checked once before them.
pub fn capability(user: &User, n: u64) -> Result<u64, PyError> {
    let admin =
        Admin::verify(user).ok_or_else(|| PyError(format!("Permission denied: {PERMISSION}")))?;
    Ok((0..n).fold(0u64, |total, id| {
        total.wrapping_add(delete_deployment(&admin, std::hint::black_box(id)))
    }))
}

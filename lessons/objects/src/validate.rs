//! Question 2: validation where it belongs. The article's `TypedProperty`
//! checks the type of every value on every set, at run time; a Rust type
//! checks it once, when the program is compiled, and a validated newtype
//! checks the range once, when the value is made.
//!
//! A wrong type cannot be stored at all:
//!
//! ```compile_fail,E0308
//! use objects::validate::{Replicas, Typed};
//! let mut d = Typed { replicas: Replicas::new(3).unwrap() };
//! d.replicas = "invalid"; // a &str is not Replicas
//! ```

use std::any::Any;
use std::collections::HashMap;
use std::rc::Rc;

use crate::api::{DeploymentError, MAX_REPLICAS};

/// What a descriptor's `__set__` raises.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub enum SetError {
    /// The value's type is not the attribute's.
    Type(String),
    /// The value is out of range.
    Value(DeploymentError),
}

// ANCHOR: descriptor
/// The article's `TypedProperty(int)` on `replicas`, literally: an object
/// whose attributes are a map of shared, dynamically typed values, and a
/// `__set__` that checks the value's type at run time (`isinstance`), and
/// here its range too.
#[derive(Default)]
pub struct Descriptor {
    attributes: HashMap<&'static str, Rc<dyn Any>, foldhash::fast::FixedState>,
}

impl Descriptor {
    /// `obj.replicas = value`.
    pub fn set(&mut self, name: &'static str, value: Rc<dyn Any>) -> Result<(), SetError> {
        let Some(&n) = value.downcast_ref::<i64>() else {
            return Err(SetError::Type(format!("{name} must be int")));
        };
        if !(1..=i64::from(MAX_REPLICAS)).contains(&n) {
            return Err(SetError::Value(DeploymentError::ReplicasOutOfRange(
                i128::from(n),
            )));
        }
        self.attributes.insert(name, value);
        Ok(())
    }

    /// `obj.replicas`.
    pub fn get(&self, name: &str) -> Option<i64> {
        self.attributes.get(name)?.downcast_ref::<i64>().copied()
    }
}
// ANCHOR_END: descriptor

// ANCHOR: newtype
/// Replicas, checked once when made: 1 to 100. Parse, don't validate:
/// every `Replicas` that exists is valid, so nothing checks it again.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Replicas(u16);

impl Replicas {
    /// `n` replicas, if 1 to 100.
    pub fn new(n: i64) -> Result<Replicas, DeploymentError> {
        u16::try_from(n)
            .ok()
            .filter(|r| (1..=MAX_REPLICAS).contains(r))
            .map(Replicas)
            .ok_or(DeploymentError::ReplicasOutOfRange(i128::from(n)))
    }

    /// The count.
    pub fn get(self) -> u16 {
        self.0
    }
}

/// A deployment whose field can only hold a valid count.
pub struct Typed {
    /// Always 1 to 100: its type says so.
    pub replicas: Replicas,
}
// ANCHOR_END: newtype

thread_local! {
    /// The ints 1 to 100, made once, as CPython keeps its small ints: a
    /// set shares one, it does not allocate.
    static SMALL_INTS: Vec<Rc<dyn Any>> =
        (1..=100i64).map(|i| Rc::new(i) as Rc<dyn Any>).collect();
}

/// `n` sets through the descriptor (values `1 + i mod 100`), then one
/// read; the last value, or the first error.
pub fn descriptor(n: u64) -> Result<i64, SetError> {
    let mut d = Descriptor::default();
    SMALL_INTS.with(|ints| {
        (0..n).try_for_each(|i| {
            d.set(
                "replicas",
                Rc::clone(&ints[std::hint::black_box(i as usize) % 100]),
            )
        })
    })?;
    Ok(d.get("replicas").unwrap_or(0))
}

/// The same sets through the newtype: the range checked as each value is
/// made, the store a plain assignment.
pub fn newtype(n: u64) -> Result<i64, SetError> {
    let mut d = Typed {
        replicas: Replicas::new(1).map_err(SetError::Value)?,
    };
    for i in 0..n {
        d.replicas =
            Replicas::new(1 + std::hint::black_box(i as i64) % 100).map_err(SetError::Value)?;
    }
    Ok(i64::from(d.replicas.get()))
}

//! Question 1: what a deployment costs in memory, and what a scan of
//! them costs in time, four ways to lay them out.

use std::collections::HashMap;
use std::rc::Rc;

use crate::api::{Deployment, Status, Store};

/// A Python value, as far as these objects need one.
#[derive(Clone, Debug, PartialEq)]
pub enum Value {
    /// An `int`.
    Int(i64),
    /// A `str`, shared as Python shares it between objects.
    Str(Rc<str>),
}

// ANCHOR: dict_objects
/// A plain Python object, literally: its `__dict__`, a map from attribute
/// names to values. The names are shared `&'static str`s, as CPython shares
/// one set of keys between a class's instances; the map hashes with a
/// fixed, fast hasher, as CPython caches a string's hash.
pub type PyObject = HashMap<&'static str, Value, foldhash::fast::FixedState>;

/// The deployments as Python objects: a list of dicts.
pub struct DictObjects(Vec<PyObject>);

impl Store for DictObjects {
    fn build(deployments: &[Deployment]) -> Self {
        // Versions and statuses are shared strings, as Python's are: one
        // string per distinct value (a handful here).
        let mut pool: Vec<Rc<str>> = Vec::new();
        let mut share = |s: &str| -> Rc<str> {
            if let Some(rc) = pool.iter().find(|rc| &***rc == s) {
                return Rc::clone(rc);
            }
            let rc: Rc<str> = Rc::from(s);
            pool.push(Rc::clone(&rc));
            rc
        };
        DictObjects(
            deployments
                .iter()
                .map(|d| {
                    let mut object = PyObject::default();
                    object.insert("name", Value::Str(Rc::from(d.name.as_str())));
                    object.insert("version", Value::Str(share(&d.version)));
                    object.insert("replicas", Value::Int(i64::from(d.replicas)));
                    object.insert("status", Value::Str(share(d.status.name())));
                    object
                })
                .collect(),
        )
    }

    fn len(&self) -> usize {
        self.0.len()
    }

    fn total_replicas(&self) -> u64 {
        // `sum(d.replicas for d in deployments)`: a lookup by name per object.
        self.0
            .iter()
            .map(|object| match object.get("replicas") {
                Some(Value::Int(n)) => *n as u64,
                _ => 0,
            })
            .sum()
    }

    fn remove(&mut self, name: &str) -> bool {
        let at = self
            .0
            .iter()
            .position(|o| matches!(o.get("name"), Some(Value::Str(n)) if &**n == name));
        at.map(|i| self.0.remove(i)).is_some()
    }

    fn to_vec(&self) -> Vec<Deployment> {
        let text = |o: &PyObject, key| match o.get(key) {
            Some(Value::Str(s)) => s.to_string(),
            _ => String::new(),
        };
        self.0
            .iter()
            .map(|o| Deployment {
                name: text(o, "name"),
                version: text(o, "version"),
                replicas: match o.get("replicas") {
                    Some(Value::Int(n)) => *n as u16,
                    _ => 0,
                },
                status: text(o, "status").parse().unwrap_or(Status::Failed),
            })
            .collect()
    }
}
// ANCHOR_END: dict_objects

// ANCHOR: structs
/// Owned fields in place: what `__slots__` approaches. Each name and
/// version is a `String` of its own (a pointer, a length, a capacity, and
/// a heap block).
pub struct Structs(Vec<Deployment>);
// ANCHOR_END: structs

impl Store for Structs {
    fn build(deployments: &[Deployment]) -> Self {
        Structs(deployments.to_vec())
    }
    fn len(&self) -> usize {
        self.0.len()
    }
    fn total_replicas(&self) -> u64 {
        self.0.iter().map(|d| u64::from(d.replicas)).sum()
    }
    fn remove(&mut self, name: &str) -> bool {
        let at = self.0.iter().position(|d| d.name == name);
        at.map(|i| self.0.remove(i)).is_some()
    }
    fn to_vec(&self) -> Vec<Deployment> {
        self.0.clone()
    }
}

/// The same structs, each in a box of its own: a pointer to follow per
/// deployment, as a Python list of objects has.
// The boxes are the point: a pointer to follow per deployment.
#[allow(clippy::vec_box)]
pub struct BoxedStructs(Vec<Box<Deployment>>);

impl Store for BoxedStructs {
    fn build(deployments: &[Deployment]) -> Self {
        BoxedStructs(deployments.iter().cloned().map(Box::new).collect())
    }
    fn len(&self) -> usize {
        self.0.len()
    }
    fn total_replicas(&self) -> u64 {
        self.0.iter().map(|d| u64::from(d.replicas)).sum()
    }
    fn remove(&mut self, name: &str) -> bool {
        let at = self.0.iter().position(|d| d.name == name);
        at.map(|i| self.0.remove(i)).is_some()
    }
    fn to_vec(&self) -> Vec<Deployment> {
        self.0.iter().map(|d| (**d).clone()).collect()
    }
}

// ANCHOR: compact
/// A struct with compact fields: `Box<str>` for the strings (a pointer
/// and a length, no spare capacity), `u16` replicas, a one-byte status.
/// Forty bytes in place, against a `String`-based struct's fifty-six.
pub struct Compact {
    name: Box<str>,
    version: Box<str>,
    replicas: u16,
    status: Status,
}
// ANCHOR_END: compact

/// Compact structs in a `Vec`.
pub struct CompactStructs(Vec<Compact>);

impl Store for CompactStructs {
    fn build(deployments: &[Deployment]) -> Self {
        CompactStructs(
            deployments
                .iter()
                .map(|d| Compact {
                    name: d.name.as_str().into(),
                    version: d.version.as_str().into(),
                    replicas: d.replicas,
                    status: d.status,
                })
                .collect(),
        )
    }
    fn len(&self) -> usize {
        self.0.len()
    }
    fn total_replicas(&self) -> u64 {
        self.0.iter().map(|d| u64::from(d.replicas)).sum()
    }
    fn remove(&mut self, name: &str) -> bool {
        let at = self.0.iter().position(|d| &*d.name == name);
        at.map(|i| self.0.remove(i)).is_some()
    }
    fn to_vec(&self) -> Vec<Deployment> {
        self.0
            .iter()
            .map(|d| Deployment {
                name: d.name.to_string(),
                version: d.version.to_string(),
                replicas: d.replicas,
                status: d.status,
            })
            .collect()
    }
}

// ANCHOR: columns
/// Text columns: every string's bytes in one buffer, and where each ends,
/// as Apache Arrow lays out strings: four bytes of overhead a string,
/// not twenty-four and a heap block.
#[derive(Default)]
pub struct TextColumn {
    bytes: String,
    ends: Vec<u32>,
}

impl TextColumn {
    /// String `i`.
    pub fn get(&self, i: usize) -> &str {
        let start = if i == 0 { 0 } else { self.ends[i - 1] as usize };
        &self.bytes[start..self.ends[i] as usize]
    }

    /// Append `s`.
    pub fn push(&mut self, s: &str) {
        self.bytes.push_str(s);
        self.ends
            .push(u32::try_from(self.bytes.len()).expect("under 4 GiB of text"));
    }

    /// Remove string `i`, keeping the others in order.
    pub fn remove(&mut self, i: usize) {
        let start = if i == 0 { 0 } else { self.ends[i - 1] as usize };
        let end = self.ends[i] as usize;
        self.bytes.replace_range(start..end, "");
        self.ends.remove(i);
        let gone = (end - start) as u32;
        self.ends[i..].iter_mut().for_each(|e| *e -= gone);
    }
}

/// One column per field, as numpy and pandas keep a table: the scan reads
/// one array of `u16`, thirty-two replicas per cache line.
#[derive(Default)]
pub struct Columns {
    names: TextColumn,
    versions: TextColumn,
    replicas: Vec<u16>,
    statuses: Vec<Status>,
}

impl Store for Columns {
    fn build(deployments: &[Deployment]) -> Self {
        // Every column sized once: no growth, no spare capacity.
        let n = deployments.len();
        let text = |field: fn(&Deployment) -> &str| TextColumn {
            bytes: String::with_capacity(deployments.iter().map(|d| field(d).len()).sum()),
            ends: Vec::with_capacity(n),
        };
        let mut columns = Columns {
            names: text(|d| &d.name),
            versions: text(|d| &d.version),
            replicas: Vec::with_capacity(n),
            statuses: Vec::with_capacity(n),
        };
        for d in deployments {
            columns.names.push(&d.name);
            columns.versions.push(&d.version);
            columns.replicas.push(d.replicas);
            columns.statuses.push(d.status);
        }
        columns
    }
    fn len(&self) -> usize {
        self.replicas.len()
    }
    fn total_replicas(&self) -> u64 {
        self.replicas.iter().map(|&r| u64::from(r)).sum()
    }
    fn remove(&mut self, name: &str) -> bool {
        let Some(i) = (0..self.len()).find(|&i| self.names.get(i) == name) else {
            return false;
        };
        // Every column loses the same row, or the rows no longer line up.
        self.names.remove(i);
        self.versions.remove(i);
        self.replicas.remove(i);
        self.statuses.remove(i);
        true
    }
    fn to_vec(&self) -> Vec<Deployment> {
        (0..self.len())
            .map(|i| Deployment {
                name: self.names.get(i).to_owned(),
                version: self.versions.get(i).to_owned(),
                replicas: self.replicas[i],
                status: self.statuses[i],
            })
            .collect()
    }
}
// ANCHOR_END: columns

/// The article's layout: a list of dicts.
pub fn dict_objects(deployments: &[Deployment]) -> DictObjects {
    DictObjects::build(deployments)
}

/// Owned structs in a `Vec`.
pub fn structs(deployments: &[Deployment]) -> Structs {
    Structs::build(deployments)
}

/// Owned structs, each boxed.
pub fn boxed_structs(deployments: &[Deployment]) -> BoxedStructs {
    BoxedStructs::build(deployments)
}

/// Compact structs in a `Vec`.
pub fn compact_structs(deployments: &[Deployment]) -> CompactStructs {
    CompactStructs::build(deployments)
}

/// One column per field.
pub fn columns(deployments: &[Deployment]) -> Columns {
    Columns::build(deployments)
}

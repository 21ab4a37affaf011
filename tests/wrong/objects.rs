//! Known-wrong answers to the objects exercise (`ColumnStore`), each the
//! way a learner writes it, and where the judge must stop it; and one
//! right answer unlike the reference solution.

use std::collections::HashMap;

use objects::api::{Deployment, Status, Store};
use workbench::check::objects::judge_type;

use super::{Expect, Wrong};

/// The article's objects kept: a list of maps, one per deployment.
struct ListOfMaps(Vec<HashMap<&'static str, String>>);

impl Store for ListOfMaps {
    fn build(ds: &[Deployment]) -> Self {
        ListOfMaps(
            ds.iter()
                .map(|d| {
                    HashMap::from([
                        ("name", d.name.clone()),
                        ("version", d.version.clone()),
                        ("replicas", d.replicas.to_string()),
                        ("status", d.status.name().to_owned()),
                    ])
                })
                .collect(),
        )
    }
    fn len(&self) -> usize {
        self.0.len()
    }
    fn total_replicas(&self) -> u64 {
        self.0
            .iter()
            .map(|m| m["replicas"].parse::<u64>().unwrap_or(0))
            .sum()
    }
    fn remove(&mut self, name: &str) -> bool {
        let at = self.0.iter().position(|m| m["name"] == name);
        at.map(|i| self.0.remove(i)).is_some()
    }
    fn to_vec(&self) -> Vec<Deployment> {
        self.0
            .iter()
            .map(|m| Deployment {
                name: m["name"].clone(),
                version: m["version"].clone(),
                replicas: m["replicas"].parse().unwrap_or(0),
                status: m["status"].parse().unwrap_or(Status::Failed),
            })
            .collect()
    }
}

/// Structs, each in a box: a pointer to follow per deployment.
// The boxes are the point: a pointer to follow per deployment.
#[allow(clippy::vec_box)]
struct BoxedStructs(Vec<Box<Deployment>>);

impl Store for BoxedStructs {
    fn build(ds: &[Deployment]) -> Self {
        BoxedStructs(ds.iter().cloned().map(Box::new).collect())
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

/// Columns, but a `Vec<String>` per text field: a `String`'s 24 bytes and
/// a heap block for every name and version.
#[derive(Default)]
struct StringColumns {
    names: Vec<String>,
    versions: Vec<String>,
    replicas: Vec<u16>,
    statuses: Vec<Status>,
}

impl Store for StringColumns {
    fn build(ds: &[Deployment]) -> Self {
        let mut c = StringColumns::default();
        for d in ds {
            c.names.push(d.name.clone());
            c.versions.push(d.version.clone());
            c.replicas.push(d.replicas);
            c.statuses.push(d.status);
        }
        c
    }
    fn len(&self) -> usize {
        self.replicas.len()
    }
    fn total_replicas(&self) -> u64 {
        self.replicas.iter().map(|&r| u64::from(r)).sum()
    }
    fn remove(&mut self, name: &str) -> bool {
        let Some(i) = self.names.iter().position(|n| n == name) else {
            return false;
        };
        self.names.remove(i);
        self.versions.remove(i);
        self.replicas.remove(i);
        self.statuses.remove(i);
        true
    }
    fn to_vec(&self) -> Vec<Deployment> {
        (0..self.len())
            .map(|i| Deployment {
                name: self.names[i].clone(),
                version: self.versions[i].clone(),
                replicas: self.replicas[i],
                status: self.statuses[i],
            })
            .collect()
    }
}

/// Packed text columns whose `remove` forgets the versions: from the
/// removed row on, every deployment shows the next one's version.
#[derive(Default)]
struct LosesOnRemove {
    names: Vec<Box<str>>,
    versions: Vec<Box<str>>,
    replicas: Vec<u16>,
    statuses: Vec<Status>,
}

impl Store for LosesOnRemove {
    fn build(ds: &[Deployment]) -> Self {
        LosesOnRemove {
            names: ds.iter().map(|d| d.name.as_str().into()).collect(),
            versions: ds.iter().map(|d| d.version.as_str().into()).collect(),
            replicas: ds.iter().map(|d| d.replicas).collect(),
            statuses: ds.iter().map(|d| d.status).collect(),
        }
    }
    fn len(&self) -> usize {
        self.replicas.len()
    }
    fn total_replicas(&self) -> u64 {
        self.replicas.iter().map(|&r| u64::from(r)).sum()
    }
    fn remove(&mut self, name: &str) -> bool {
        let Some(i) = self.names.iter().position(|n| &**n == name) else {
            return false;
        };
        self.names.remove(i);
        self.replicas.remove(i);
        self.statuses.remove(i);
        true
    }
    fn to_vec(&self) -> Vec<Deployment> {
        (0..self.len())
            .map(|i| Deployment {
                name: self.names[i].to_string(),
                version: self
                    .versions
                    .get(i)
                    .map_or_else(String::new, |v| v.to_string()),
                replicas: self.replicas[i],
                status: self.statuses[i],
            })
            .collect()
    }
}

/// A column store that swaps the last row into the removed one's place:
/// quick, but the order is lost.
#[derive(Default)]
struct SwapRemove(Vec<Deployment>, Vec<u16>);

impl Store for SwapRemove {
    fn build(ds: &[Deployment]) -> Self {
        SwapRemove(ds.to_vec(), ds.iter().map(|d| d.replicas).collect())
    }
    fn len(&self) -> usize {
        self.0.len()
    }
    fn total_replicas(&self) -> u64 {
        self.1.iter().map(|&r| u64::from(r)).sum()
    }
    fn remove(&mut self, name: &str) -> bool {
        let Some(i) = self.0.iter().position(|d| d.name == name) else {
            return false;
        };
        self.0.swap_remove(i);
        self.1.swap_remove(i);
        true
    }
    fn to_vec(&self) -> Vec<Deployment> {
        self.0.clone()
    }
}

/// Packed text with `u32` ends, as the solution, but every name and
/// version kept in one shared buffer, the two interleaved: right, and
/// inside the budget. Accepted.
#[derive(Default)]
struct OneBuffer {
    text: String,
    ends: Vec<(u32, u32)>,
    replicas: Vec<u16>,
    statuses: Vec<Status>,
}

impl OneBuffer {
    fn span(&self, i: usize) -> (usize, usize, usize) {
        let start = if i == 0 {
            0
        } else {
            self.ends[i - 1].1 as usize
        };
        (start, self.ends[i].0 as usize, self.ends[i].1 as usize)
    }
}

impl Store for OneBuffer {
    fn build(ds: &[Deployment]) -> Self {
        let bytes = ds.iter().map(|d| d.name.len() + d.version.len()).sum();
        let mut s = OneBuffer {
            text: String::with_capacity(bytes),
            ends: Vec::with_capacity(ds.len()),
            replicas: Vec::with_capacity(ds.len()),
            statuses: Vec::with_capacity(ds.len()),
        };
        for d in ds {
            s.text.push_str(&d.name);
            let name_end = s.text.len() as u32;
            s.text.push_str(&d.version);
            s.ends.push((name_end, s.text.len() as u32));
            s.replicas.push(d.replicas);
            s.statuses.push(d.status);
        }
        s
    }
    fn len(&self) -> usize {
        self.replicas.len()
    }
    fn total_replicas(&self) -> u64 {
        self.replicas.iter().map(|&r| u64::from(r)).sum()
    }
    fn remove(&mut self, name: &str) -> bool {
        let Some(i) = (0..self.len()).find(|&i| {
            let (a, b, _) = self.span(i);
            &self.text[a..b] == name
        }) else {
            return false;
        };
        let (a, _, c) = self.span(i);
        self.text.replace_range(a..c, "");
        self.ends.remove(i);
        let gone = (c - a) as u32;
        for e in &mut self.ends[i..] {
            e.0 -= gone;
            e.1 -= gone;
        }
        self.replicas.remove(i);
        self.statuses.remove(i);
        true
    }
    fn to_vec(&self) -> Vec<Deployment> {
        (0..self.len())
            .map(|i| {
                let (a, b, c) = self.span(i);
                Deployment {
                    name: self.text[a..b].to_owned(),
                    version: self.text[b..c].to_owned(),
                    replicas: self.replicas[i],
                    status: self.statuses[i],
                }
            })
            .collect()
    }
}

/// `build` reads the deployment one past the end, an off-by-one.
struct Panics(u16);

impl Store for Panics {
    fn build(ds: &[Deployment]) -> Self {
        Panics(ds[ds.len()].replicas)
    }
    fn len(&self) -> usize {
        1
    }
    fn total_replicas(&self) -> u64 {
        u64::from(self.0)
    }
    fn remove(&mut self, _: &str) -> bool {
        false
    }
    fn to_vec(&self) -> Vec<Deployment> {
        Vec::new()
    }
}

/// `len` counts down a counter that never reaches zero.
struct Hangs;

impl Store for Hangs {
    fn build(_: &[Deployment]) -> Self {
        Hangs
    }
    fn len(&self) -> usize {
        let mut i = 1usize;
        while std::hint::black_box(i) != 0 {
            i = i.wrapping_add(2);
        }
        0
    }
    fn total_replicas(&self) -> u64 {
        0
    }
    fn remove(&mut self, _: &str) -> bool {
        false
    }
    fn to_vec(&self) -> Vec<Deployment> {
        Vec::new()
    }
}

/// The submissions.
pub const WRONG: &[Wrong] = &[
    Wrong {
        name: "list_of_maps",
        expect: Expect::Failed("memory"),
        run: judge_type::<ListOfMaps>,
    },
    Wrong {
        name: "boxed_structs",
        expect: Expect::Failed("memory"),
        run: judge_type::<BoxedStructs>,
    },
    Wrong {
        name: "string_columns",
        expect: Expect::Failed("memory"),
        run: judge_type::<StringColumns>,
    },
    Wrong {
        name: "loses_on_remove",
        expect: Expect::Failed("agrees"),
        run: judge_type::<LosesOnRemove>,
    },
    Wrong {
        name: "swap_remove",
        expect: Expect::Failed("agrees"),
        run: judge_type::<SwapRemove>,
    },
    Wrong {
        name: "one_buffer",
        expect: Expect::Accepted,
        run: judge_type::<OneBuffer>,
    },
    Wrong {
        name: "panics",
        expect: Expect::Panicked("started"),
        run: judge_type::<Panics>,
    },
    Wrong {
        name: "hangs",
        expect: Expect::Hangs("started"),
        run: judge_type::<Hangs>,
    },
];

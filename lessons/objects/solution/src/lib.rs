//! The reference solution to the objects exercise: deployments in
//! columns. Same API as `lessons/objects/exercise`; `workbench check
//! objects --solution` judges it.

use objects_api::{Deployment, Status, Store};

// ANCHOR: solution
/// Strings of one field, back to back in one buffer, and where each ends:
/// four bytes of bookkeeping a string instead of a `String`'s twenty-four
/// and a heap block of its own.
#[derive(Default)]
struct Text {
    bytes: String,
    ends: Vec<u32>,
}

impl Text {
    fn with_capacity(strings: usize, bytes: usize) -> Text {
        Text {
            bytes: String::with_capacity(bytes),
            ends: Vec::with_capacity(strings),
        }
    }

    fn start(&self, i: usize) -> usize {
        if i == 0 { 0 } else { self.ends[i - 1] as usize }
    }

    fn get(&self, i: usize) -> &str {
        &self.bytes[self.start(i)..self.ends[i] as usize]
    }

    fn push(&mut self, s: &str) {
        self.bytes.push_str(s);
        // More than 4 GiB of one field's text does not fit the offsets:
        // a store that large would need `u64` ends.
        let end = u32::try_from(self.bytes.len()).expect("under 4 GiB of text per field");
        self.ends.push(end);
    }

    fn remove(&mut self, i: usize) {
        let (start, end) = (self.start(i), self.ends[i] as usize);
        self.bytes.replace_range(start..end, "");
        self.ends.remove(i);
        // The strings after it moved down by its length.
        let gone = (end - start) as u32;
        for e in &mut self.ends[i..] {
            *e -= gone;
        }
    }
}

/// Deployments in columns: one per field, each as compact as its values
/// allow. The scan reads the replicas alone, packed two bytes apiece.
pub struct ColumnStore {
    names: Text,
    versions: Text,
    replicas: Vec<u16>,
    statuses: Vec<Status>,
}

impl Store for ColumnStore {
    fn build(deployments: &[Deployment]) -> Self {
        // Every column sized once: no growth, no spare capacity.
        let n = deployments.len();
        let text = |field: fn(&Deployment) -> &str| {
            Text::with_capacity(n, deployments.iter().map(|d| field(d).len()).sum())
        };
        let mut store = ColumnStore {
            names: text(|d| &d.name),
            versions: text(|d| &d.version),
            replicas: Vec::with_capacity(n),
            statuses: Vec::with_capacity(n),
        };
        for d in deployments {
            store.names.push(&d.name);
            store.versions.push(&d.version);
            store.replicas.push(d.replicas);
            store.statuses.push(d.status);
        }
        store
    }

    fn len(&self) -> usize {
        self.replicas.len()
    }

    fn total_replicas(&self) -> u64 {
        // A sum over one packed array: the compiler adds many at a time.
        self.replicas.iter().map(|&r| u64::from(r)).sum()
    }

    fn remove(&mut self, name: &str) -> bool {
        let Some(i) = (0..self.len()).find(|&i| self.names.get(i) == name) else {
            return false;
        };
        // The same row from every column, or the rows stop lining up.
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
// ANCHOR_END: solution

//! The article's `deployment_cost` loop: the total of instances × cost
//! per instance × hours over every deployment. As the article's Python
//! keeps it (a dict per deployment), and over columns of `f64`, indexed,
//! with iterators, without bounds checks, and in `f32` as the article's
//! Cython sums it.
//!
//! The loops over columns are `#[inline(never)]`: each stays one function
//! of its own, so that the assembly the book shows and a profile's frames
//! are that loop, wherever it is called from (the compiler would otherwise
//! copy a loop this small into its caller's crate).

use std::collections::HashMap;

use crate::api::Deployment;

/// A deployment as the article's Python holds it: a dict from field name
/// to value.
pub type Dict = HashMap<String, f64>;

/// The deployments as dicts, one per deployment (not timed).
pub fn to_dicts(deployments: &[Deployment]) -> Vec<Dict> {
    deployments
        .iter()
        .map(|d| {
            HashMap::from([
                ("instances".to_owned(), d.instances),
                ("cost_per_instance".to_owned(), d.cost_per_instance),
                ("hours".to_owned(), d.hours),
            ])
        })
        .collect()
}

// ANCHOR: dicts
/// The article's `calculate_deployment_cost_python`, line for line: each
/// field found by name in the deployment's dict.
pub fn dicts(deployments: &[Dict]) -> f64 {
    let mut total = 0.0;
    for dep in deployments {
        total += dep["instances"] * dep["cost_per_instance"] * dep["hours"];
    }
    total
}
// ANCHOR_END: dicts

/// The deployments as three columns of the same length, as NumPy would
/// hold them.
#[derive(Clone, Debug, Default)]
pub struct Columns {
    /// Instances, one per deployment.
    pub instances: Vec<f64>,
    /// Cost per instance-hour, one per deployment.
    pub cost_per_instance: Vec<f64>,
    /// Hours, one per deployment.
    pub hours: Vec<f64>,
}

impl Columns {
    /// The columns of `deployments` (not timed).
    pub fn new(deployments: &[Deployment]) -> Columns {
        Columns {
            instances: deployments.iter().map(|d| d.instances).collect(),
            cost_per_instance: deployments.iter().map(|d| d.cost_per_instance).collect(),
            hours: deployments.iter().map(|d| d.hours).collect(),
        }
    }
}

// ANCHOR: indexed
/// The loop as a C programmer writes it: an index into three columns.
/// Every `[i]` is checked against its column's length; the compiler can
/// drop the check on `instances` (the loop's own bound) but not on the
/// other two, whose lengths it does not know.
#[inline(never)]
pub fn indexed(c: &Columns) -> f64 {
    let mut total = 0.0;
    for i in 0..c.instances.len() {
        total += c.instances[i] * c.cost_per_instance[i] * c.hours[i];
    }
    total
}
// ANCHOR_END: indexed

// ANCHOR: iterators
/// The same loop with iterators: `zip` stops at the shortest column, so
/// there is no index to check.
#[inline(never)]
pub fn iterators(c: &Columns) -> f64 {
    let mut total = 0.0;
    for ((n, cost), hours) in c.instances.iter().zip(&c.cost_per_instance).zip(&c.hours) {
        total += n * cost * hours;
    }
    total
}
// ANCHOR_END: iterators

// ANCHOR: unchecked
/// The indexed loop with the checks removed by hand: one assert of the
/// lengths, then `get_unchecked`. What it saves, iterators already save
/// without `unsafe`.
#[inline(never)]
pub fn unchecked(c: &Columns) -> f64 {
    let n = c.instances.len();
    assert!(c.cost_per_instance.len() == n && c.hours.len() == n);
    let mut total = 0.0;
    for i in 0..n {
        // SAFETY: `i < n`, and every column has length `n` (asserted).
        unsafe {
            total += c.instances.get_unchecked(i)
                * c.cost_per_instance.get_unchecked(i)
                * c.hours.get_unchecked(i);
        }
    }
    total
}
// ANCHOR_END: unchecked

// ANCHOR: f32_total
/// The article's Cython, `cdef float total`: each product is a double,
/// each sum is rounded to a 32-bit float when it is stored. Past 2²⁴ a
/// float cannot hold every integer, and the total drifts.
#[inline(never)]
pub fn f32_total(c: &Columns) -> f64 {
    let mut total: f32 = 0.0;
    for ((n, cost), hours) in c.instances.iter().zip(&c.cost_per_instance).zip(&c.hours) {
        total = (f64::from(total) + n * cost * hours) as f32;
    }
    f64::from(total)
}
// ANCHOR_END: f32_total

/// How far `got` is from `exact`, relative to `exact`.
pub fn relative_error(got: f64, exact: f64) -> f64 {
    if exact == 0.0 {
        got.abs()
    } else {
        ((got - exact) / exact).abs()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_loops_agree_and_the_float_drifts() {
        let d = crate::api::deployments(100_000);
        let c = Columns::new(&d);
        let want = dicts(&to_dicts(&d));
        assert_eq!(indexed(&c).to_bits(), want.to_bits());
        assert_eq!(iterators(&c).to_bits(), want.to_bits());
        assert_eq!(unchecked(&c).to_bits(), want.to_bits());
        assert!(relative_error(f32_total(&c), want) > 1e-6);
    }
}

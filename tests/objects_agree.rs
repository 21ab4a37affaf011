//! The objects lesson's variants compute the same thing: every layout
//! holds the same deployments and sums the same replicas, on the lesson's
//! deployments and on random stores, before and after removals; the
//! validated, lazy, singleton and dispatch variants give the same answers,
//! and bad parts are typed errors.

use objects::api::{self, Deployment, DeploymentError, Status, Store};
use objects::layout::{BoxedStructs, Columns, CompactStructs, DictObjects, Structs};
use objects::{dispatch, lazy, validate};
use proptest::prelude::*;

/// Every layout, and the exercise's solution, hold `ds` the same way, and
/// stay the same after each removal.
fn all_agree(ds: &[Deployment], removals: &[String]) -> Result<(), TestCaseError> {
    let mut dicts = DictObjects::build(ds);
    let mut structs = Structs::build(ds);
    let mut boxed = BoxedStructs::build(ds);
    let mut columns = Columns::build(ds);
    let mut compact = CompactStructs::build(ds);
    let mut solution = objects_solution::ColumnStore::build(ds);
    prop_assert_eq!(dicts.to_vec(), ds.to_vec());
    let total: u64 = ds.iter().map(|d| u64::from(d.replicas)).sum();
    for name in std::iter::once(None).chain(removals.iter().map(Some)) {
        if let Some(name) = name {
            let removed = dicts.remove(name);
            prop_assert_eq!(structs.remove(name), removed);
            prop_assert_eq!(boxed.remove(name), removed);
            prop_assert_eq!(columns.remove(name), removed);
            prop_assert_eq!(compact.remove(name), removed);
            prop_assert_eq!(solution.remove(name), removed);
        }
        let want = dicts.to_vec();
        prop_assert_eq!(&structs.to_vec(), &want);
        prop_assert_eq!(&boxed.to_vec(), &want);
        prop_assert_eq!(&columns.to_vec(), &want);
        prop_assert_eq!(&compact.to_vec(), &want);
        prop_assert_eq!(&solution.to_vec(), &want);
        let sum = dicts.total_replicas();
        prop_assert_eq!(structs.total_replicas(), sum);
        prop_assert_eq!(boxed.total_replicas(), sum);
        prop_assert_eq!(columns.total_replicas(), sum);
        prop_assert_eq!(compact.total_replicas(), sum);
        prop_assert_eq!(solution.total_replicas(), sum);
        prop_assert_eq!(solution.len(), dicts.len());
    }
    if removals.is_empty() {
        prop_assert_eq!(dicts.total_replicas(), total);
    }
    Ok(())
}

/// On the lesson's deployments the sums are the Python script's.
#[test]
fn every_layout_agrees_on_the_lessons_deployments() {
    for (n, total) in [(1_000, 50_500), (100_000, 5_050_000)] {
        let ds = api::deployments(n);
        let names = vec![
            ds[0].name.clone(),
            ds[n - 1].name.clone(),
            "ログ-7".into(),
            "absent".into(),
        ];
        all_agree(&ds, &names).unwrap();
        assert_eq!(Columns::build(&ds).total_replicas(), total);
    }
}

proptest! {
    /// Random stores: unicode names, repeats, empty versions, removals of
    /// present and absent names.
    #[test]
    fn every_layout_agrees_on_random_stores(
        ds in prop::collection::vec(
            ("\\PC{1,6}", "\\PC{0,4}", 1u16..=100, prop::sample::select(Status::ALL.to_vec()))
                .prop_map(|(name, version, replicas, status)| Deployment { name, version, replicas, status }),
            0..30,
        ),
        picks in prop::collection::vec(0usize..40, 0..6),
    ) {
        let removals: Vec<String> = picks
            .iter()
            .map(|&i| ds.get(i).map_or_else(|| "absent".to_owned(), |d| d.name.clone()))
            .collect();
        all_agree(&ds, &removals)?;
    }
}

/// The other questions' variants agree with their baselines.
#[test]
fn validated_lazy_singleton_and_dispatch_agree() {
    for n in [1, 1_000] {
        assert_eq!(validate::descriptor(n), validate::newtype(n));
        assert_eq!(lazy::recompute(n), lazy::once_lock(n));
        assert_eq!(lazy::recompute(n), lazy::dict_cache(n));
        assert_eq!(lazy::recompute(n), lazy::mutex_option(n));
        assert_eq!(lazy::mutex_registry(n), lazy::once_lock_static(n));
        assert_eq!(dispatch::registry_lookup(n), dispatch::enum_match(n));
        assert_eq!(dispatch::registry_lookup(n), dispatch::trait_object(n));
    }
    for threads in [1, 2, 8] {
        assert_eq!(
            lazy::mutex_registry_threads(threads),
            lazy::once_lock_threads(threads)
        );
    }
    assert!(std::ptr::eq(
        lazy::static_instance(),
        lazy::static_instance()
    ));
    assert!(std::ptr::eq(
        lazy::registry_instance(),
        lazy::registry_instance()
    ));
}

/// Bad values are typed errors that say what to do, never a panic.
#[test]
fn bad_values_are_typed_errors() {
    let mut d = validate::Descriptor::default();
    assert_eq!(
        d.set("replicas", std::rc::Rc::new("invalid")),
        Err(validate::SetError::Type("replicas must be int".into()))
    );
    assert_eq!(
        d.set("replicas", std::rc::Rc::new(0i64)),
        Err(validate::SetError::Value(
            DeploymentError::ReplicasOutOfRange(0)
        ))
    );
    assert_eq!(
        validate::Replicas::new(101),
        Err(DeploymentError::ReplicasOutOfRange(101))
    );
    assert_eq!(
        validate::Replicas::new(-1).unwrap_err().to_string(),
        "replicas must be 1 to 100, not -1: scale within that range"
    );
    assert!(dispatch::create_deployment(&dispatch::registry(), "Nope").is_err());
    assert!(Deployment::parse(b"ok", "1", 7, "running").is_ok());
    assert!(
        "paused"
            .parse::<Status>()
            .unwrap_err()
            .to_string()
            .contains("use pending")
    );
}

//! Properties every lesson in the catalog must have, whatever it teaches.

use std::collections::HashSet;

use workbench::catalog::{self, Role};

/// Every question names exactly one baseline, so every ratio has one meaning.
#[test]
fn every_question_has_exactly_one_baseline() {
    for lesson in catalog::lessons() {
        for q in &lesson.questions {
            let baselines = q
                .variants
                .iter()
                .filter(|v| v.role == Role::Baseline)
                .count();
            assert_eq!(baselines, 1, "{}/{}", lesson.name, q.name);
        }
    }
}

/// Variant names are unique within a lesson (the JSON keys exponents by them)
/// and sweeps ascend and contain the default, so the tour is one sweep point.
#[test]
fn names_are_unique_and_sweeps_ascend_through_the_default() {
    for lesson in catalog::lessons() {
        let mut seen = HashSet::new();
        for v in lesson.variants() {
            assert!(
                seen.insert(v.name),
                "{}: variant {} twice",
                lesson.name,
                v.name
            );
        }
        for q in &lesson.questions {
            let sweep = q.param.sweep;
            assert!(
                sweep.windows(2).all(|w| w[0] < w[1]),
                "{}/{} sweep not ascending",
                lesson.name,
                q.name
            );
            assert!(
                sweep.contains(&q.param.default),
                "{}/{} default not in sweep",
                lesson.name,
                q.name
            );
            assert!(
                q.baseline().runs_at(q.param.default),
                "{}/{} baseline skips the default",
                lesson.name,
                q.name
            );
        }
    }
}

/// Through the catalog's type-erased cases, every variant gives the
/// baseline's answer at the two smallest sweep values: the same check `run`
/// makes before it times anything. A flawed variant is shown for its wrong
/// answers, so it is exempt, as it is in `run`.
#[test]
fn every_catalog_variant_agrees_with_its_baseline() {
    for lesson in catalog::lessons() {
        for q in &lesson.questions {
            for &value in &q.param.sweep[..2] {
                let expected = (q.baseline().prepare)(value).answer();
                for v in q.variants.iter().filter(|v| v.role != Role::Flawed) {
                    let got = (v.prepare)(value).answer();
                    assert_eq!(
                        got, expected,
                        "{}/{}: {} at {value}",
                        lesson.name, q.name, v.name
                    );
                }
            }
        }
    }
}

/// Every lesson has a judge for its exercise, and every judge a lesson.
#[test]
fn every_lesson_has_a_judge_and_every_judge_a_lesson() {
    let lessons = catalog::lessons();
    for lesson in &lessons {
        assert!(
            workbench::check::judge_of(lesson.name).is_some(),
            "{} has no judge in check::JUDGES",
            lesson.name
        );
    }
    for (name, ..) in workbench::check::JUDGES {
        assert!(
            lessons.iter().any(|l| l.name == *name),
            "check::JUDGES names {name}, which the catalog does not have"
        );
    }
}

/// Every parameter's bound admits its default and its whole sweep, so the
/// tour, `run` and the benches never ask for a value `run` would refuse.
#[test]
fn every_bound_admits_the_default_and_the_sweep() {
    for lesson in catalog::lessons() {
        for q in &lesson.questions {
            let p = &q.param;
            for v in p.sweep.iter().chain([&p.default]) {
                assert!(
                    *v <= p.max.value,
                    "{}/{}: {v} is past the bound {}",
                    lesson.name,
                    q.name,
                    p.max.value
                );
            }
            assert!(
                !p.max.why.is_empty(),
                "{}/{}: a bound needs its reason",
                lesson.name,
                q.name
            );
        }
    }
}

/// The gungraun benches count every gated question's baseline and
/// optimized variant, the calls `workbench gate` holds to its bound: a new
/// gate without its benches fails here.
#[test]
fn the_gungraun_benches_cover_every_gate() {
    let benches = std::fs::read_to_string(
        std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("benches/instructions.rs"),
    )
    .expect("benches/instructions.rs is readable");
    for lesson in catalog::lessons() {
        for q in lesson.questions.iter().filter(|q| q.gate.is_some()) {
            for role in [Role::Baseline, Role::Optimized] {
                let v = q
                    .variants
                    .iter()
                    .find(|v| v.role == role)
                    .expect("a gated question has a baseline and an optimized variant");
                let path = format!("\"{}/{}/{}\"", lesson.name, q.name, v.name);
                assert!(
                    benches.contains(&path),
                    "benches/instructions.rs does not count {path}"
                );
            }
        }
    }
}

/// A row a gate sets apart is a variant of that question, not its
/// baseline or optimized row, and says why in words.
#[test]
fn rows_set_apart_exist_and_say_why() {
    for lesson in catalog::lessons() {
        for q in &lesson.questions {
            let Some(gate) = &q.gate else { continue };
            for (name, why) in gate.apart {
                let v = q.variants.iter().find(|v| v.name == *name);
                assert!(
                    v.is_some(),
                    "{}/{}: no variant {name} to set apart",
                    lesson.name,
                    q.name
                );
                let role = v.map(|v| v.role);
                assert!(
                    !matches!(role, Some(Role::Baseline | Role::Optimized)),
                    "{}/{}: {name} is the baseline or the answer; it cannot be set apart",
                    lesson.name,
                    q.name
                );
                assert!(
                    why.split_whitespace().count() >= 8,
                    "{}/{}: say why {name} is apart",
                    lesson.name,
                    q.name
                );
            }
        }
    }
}

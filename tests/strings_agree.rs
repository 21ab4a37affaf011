//! The log builders and the CSV renderers compute the same bytes: on the
//! article's input, on edge cases and on random inputs.

use proptest::prelude::*;
use strings::csv::{self, Deployment, csv_format_concat};
use strings::{entries, format_concat, join, memcpy_limit};
use workbench::catalog::strings::{BUILD, CSV, deployments_strategy};

/// On the article's 10,000 entries every builder returns the same 148,889
/// bytes: 10,000 lines, no newline after the last.
#[test]
fn every_builder_returns_the_articles_joined_log() {
    let entries = entries(10_000);
    let expected = join(&entries);
    assert_eq!(expected.len(), 148_889);
    assert_eq!(expected.lines().count(), 10_000);
    assert!(expected.starts_with("Log entry 0\nLog entry 1\n"));
    assert!(expected.ends_with("\nLog entry 9999"));
    for row in BUILD {
        assert_eq!((row.f)(&entries), expected, "{}", row.name);
    }
    assert_eq!(memcpy_limit(&expected), expected);
}

/// The article's loop (`log += f"{entry}\n"`) ends with a newline that its
/// `"\n".join(entries)` does not have: the two differ by the last byte,
/// which is why the baseline drops it.
#[test]
fn the_articles_loop_and_join_differ_by_the_last_newline() {
    let entries = entries(10_000);
    let mut article_loop = String::new();
    for entry in &entries {
        article_loop += &format!("{entry}\n");
    }
    let joined = join(&entries);
    assert_ne!(article_loop, joined);
    assert_eq!(article_loop.len(), joined.len() + 1);
    assert_eq!(article_loop.strip_suffix('\n'), Some(joined.as_str()));
}

/// No entries make an empty log, one entry makes a log without a newline,
/// and empty entries still count as lines.
#[test]
fn edge_cases_agree_with_the_contract() {
    let cases: [(&[&str], &str); 4] = [
        (&[], ""),
        (&["only"], "only"),
        (&["", ""], "\n"),
        (&["a\n", "b"], "a\n\nb"),
    ];
    for (input, want) in cases {
        let input: Vec<String> = input.iter().map(|s| s.to_string()).collect();
        for row in BUILD {
            assert_eq!((row.f)(&input), want, "{} on {input:?}", row.name);
        }
    }
}

/// The CSV starts with its header and has one line per deployment; the
/// renderers and the exercise's solution agree on 10,000 rows.
#[test]
fn every_csv_renderer_agrees_on_ten_thousand_deployments() {
    let table = csv::deployments(10_000);
    let expected = csv_format_concat(&table);
    assert_eq!(expected.lines().count(), 10_001);
    assert!(expected.starts_with(csv::HEADER));
    assert!(expected.ends_with("\nweb-9999,4,registry.example.com/web:1.3.0\n"));
    for row in CSV {
        assert_eq!((row.f)(&table), expected, "{}", row.name);
    }
    assert_eq!(strings_solution::render_csv(&table), expected);
}

/// An empty table is the header alone; replica counts at every digit
/// boundary are written in full.
#[test]
fn csv_edge_cases_agree_with_the_contract() {
    assert_eq!(strings_solution::render_csv(&[]), csv::HEADER);
    let table: Vec<Deployment> = [0, 9, 10, 99, 100, u32::MAX]
        .into_iter()
        .map(|replicas| Deployment {
            name: "web".into(),
            replicas,
            image: String::new(),
        })
        .collect();
    let expected = csv_format_concat(&table);
    assert!(expected.ends_with("web,100,\nweb,4294967295,\n"));
    assert_eq!(strings_solution::render_csv(&table), expected);
}

/// Lists of any strings: ASCII, multi-byte UTF-8, empty, with newlines.
fn entry_lists() -> impl Strategy<Value = Vec<String>> {
    prop_oneof![
        prop::collection::vec(any::<String>(), 0..50),
        prop::collection::vec("[a-z\n]{0,4}", 0..200),
        (0..500usize).prop_map(entries),
    ]
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(512))]

    /// Every builder returns exactly the baseline's bytes, on any list.
    #[test]
    fn every_builder_agrees_on_random_inputs(entries in entry_lists()) {
        let expected = format_concat(&entries);
        for row in BUILD {
            prop_assert_eq!(&(row.f)(&entries), &expected, "{}", row.name);
        }
        prop_assert_eq!(memcpy_limit(&expected), expected);
    }

    /// Every CSV renderer, and the exercise's solution, returns exactly the
    /// baseline's bytes, on any table.
    #[test]
    fn every_csv_renderer_agrees_on_random_tables(table in deployments_strategy()) {
        let expected = csv_format_concat(&table);
        for row in CSV {
            prop_assert_eq!(&(row.f)(&table), &expected, "{}", row.name);
        }
        prop_assert_eq!(strings_solution::render_csv(&table), expected);
    }
}

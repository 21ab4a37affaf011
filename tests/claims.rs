//! The claims page reads figures by variant name from the committed
//! results files; a renamed variant or Python row must fail here, not turn
//! into "not measured" on the page.

use workbench::claims::{self, Figure};

/// Every figure a claim cites is found in the committed results (except
/// the ones the claim marks as not measured, with its reason).
#[test]
fn every_claim_resolves_against_the_committed_results() {
    let dir = workbench::lint::root().join("book/src/results");
    for claim in claims::claims() {
        let sides = [
            (claim.python, format!("{}.python.json", claim.results)),
            (claim.rust, format!("{}.json", claim.results)),
        ];
        for (figure, file) in sides {
            if matches!(figure, Figure::Missing(_)) {
                continue;
            }
            let text = std::fs::read_to_string(dir.join(&file))
                .unwrap_or_else(|e| panic!("{}: {file}: {e} (run `report --python`)", claim.topic));
            let json: serde_json::Value =
                serde_json::from_str(&text).expect("results files are JSON");
            let figure = claims::evaluate(figure, Some(&json));
            assert!(figure.is_ok(), "{}: {file}: {figure:?}", claim.topic);
        }
    }
}

/// Each claim is about one of the article's sections and quotes its figure.
#[test]
fn every_claim_quotes_the_article() {
    for claim in claims::claims() {
        assert!(claim.section.starts_with("7."), "{}", claim.topic);
        assert!(
            claim.article.contains('"'),
            "{}: quote the article",
            claim.topic
        );
    }
}

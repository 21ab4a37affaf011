//! Log-log plots of time against the swept parameter, one line per
//! variant, as SVG for the book (plotters' SVG backend only).

use plotters::element::DashedPathElement;
use plotters::prelude::*;

use crate::catalog::Plot;
use crate::measure::Measurement;

/// Eight colours that stay apart on white and in print.
const COLOURS: [RGBColor; 8] = [
    RGBColor(0x1f, 0x77, 0xb4),
    RGBColor(0xd6, 0x27, 0x28),
    RGBColor(0x2c, 0xa0, 0x2c),
    RGBColor(0xff, 0x7f, 0x0e),
    RGBColor(0x94, 0x67, 0xbd),
    RGBColor(0x8c, 0x56, 0x4b),
    RGBColor(0xe3, 0x77, 0xc2),
    RGBColor(0x7f, 0x7f, 0x7f),
];

/// The y ticks of bytes: each power of two between `lo` and `hi`, every
/// other one where there are many, so they read as whole KiB and MiB.
fn ticks_binary(lo: f64, hi: f64) -> Vec<f64> {
    let all: Vec<f64> = (0..64)
        .map(|k| 2f64.powi(k))
        .filter(|t| (lo..=hi).contains(t))
        .collect();
    let step = all.len().div_ceil(8).max(1);
    all.into_iter().step_by(step).collect()
}

/// The y ticks: 1, 2 and 5 times each power of ten between `lo` and `hi`,
/// so the lowest and the highest point each have a labelled tick near it.
fn ticks_125(lo: f64, hi: f64) -> Vec<f64> {
    let mut ticks = Vec::new();
    let mut decade = 10f64.powi(lo.log10().floor() as i32);
    while decade <= hi {
        for step in [1.0, 2.0, 5.0] {
            let t = decade * step;
            if (lo..=hi).contains(&t) {
                ticks.push(t);
            }
        }
        decade *= 10.0;
    }
    ticks
}

/// How the n-th series is drawn: colour, dash (`None`: solid) and marker,
/// so series that run on top of each other stay apart.
fn style(i: usize) -> (RGBColor, Option<(i32, i32)>, usize) {
    const DASHES: [Option<(i32, i32)>; 3] = [None, Some((8, 5)), Some((2, 4))];
    (COLOURS[i % COLOURS.len()], DASHES[i % DASHES.len()], i % 4)
}

/// A marker of one of four shapes at `at`: a dot, a triangle, a ring, a
/// cross.
fn marker<'a, C>(shape: usize, at: C, colour: RGBColor) -> DynElement<'static, SVGBackend<'a>, C>
where
    C: Clone + 'static,
{
    let filled = colour.filled();
    match shape {
        0 => Circle::new(at, 4, filled).into_dyn(),
        1 => TriangleMarker::new(at, 5, filled).into_dyn(),
        2 => Circle::new(at, 4, colour.stroke_width(2)).into_dyn(),
        _ => Cross::new(at, 4, colour.stroke_width(2)).into_dyn(),
    }
}

/// A dashed grey line between two points, where its label goes, and the
/// label.
type Guide = ([(f64, f64); 2], (f64, f64), String);

/// What one plot shows on its y axis: each row's value, its name, how a
/// tick reads, and a horizontal line to draw (the speedup's ceiling).
struct YAxis {
    plot: Plot,
    desc: String,
    ceiling: Option<(f64, String)>,
}

impl YAxis {
    fn of(plot: Plot, cores: usize) -> YAxis {
        let (desc, ceiling) = match plot {
            Plot::Time | Plot::Spacing => ("median time per call (log scale)".to_owned(), None),
            Plot::Speedup => (
                "speed over the baseline (log scale)".to_owned(),
                Some((cores as f64, format!("{cores} cores: the ceiling"))),
            ),
            Plot::Metric(_, what) => (format!("{what} (log scale)"), None),
        };
        YAxis {
            plot,
            desc,
            ceiling,
        }
    }

    fn value(&self, row: &Measurement) -> Option<f64> {
        match self.plot {
            Plot::Time | Plot::Spacing => Some(row.median_ns),
            Plot::Speedup => row.ratio_vs_baseline,
            Plot::Metric(name, _) => row.metrics.get(name).copied(),
        }
    }

    fn tick(&self, v: f64) -> String {
        match self.plot {
            Plot::Time | Plot::Spacing => crate::fmt::duration(v),
            Plot::Speedup => crate::fmt::ratio(v),
            Plot::Metric(name, _) => crate::output::metric(name, v),
        }
    }
}

/// An SVG plot of one question's rows against the parameter, both axes
/// logarithmic: what `plot` says (time per call, speedup under the
/// `cores` ceiling, or a metric), one line per variant. `per_call` says
/// what one call does, for the x axis (`n: entries per call`). `None` when
/// fewer than two parameter values were measured (nothing to draw a line
/// through).
pub fn svg(
    title: &str,
    per_call: &str,
    plot: Plot,
    cores: usize,
    rows: &[&Measurement],
) -> Option<String> {
    let y = YAxis::of(plot, cores);
    let points: Vec<(&str, f64, f64)> = rows
        .iter()
        .filter_map(|r| Some((r.variant, r.value as f64, y.value(r)?)))
        // A log axis has no place for 0 (no layers): such a row is in the
        // table only.
        .filter(|&(_, x, v)| x > 0.0 && v.is_finite() && v > 0.0)
        .collect();
    let (x_min, x_max) = bounds(points.iter().map(|p| p.1))?;
    let (y_min, y_max) = bounds(
        points
            .iter()
            .map(|p| p.2)
            .chain(y.ceiling.as_ref().map(|c| c.0)),
    )?;
    if x_min == x_max {
        return None;
    }
    // Ticks where the data is: the swept values, and 1-2-5 steps spanning
    // the values.
    let mut x_ticks: Vec<f64> = points.iter().map(|p| p.1).collect();
    x_ticks.sort_by(f64::total_cmp);
    x_ticks.dedup();
    let (y_lo, y_hi) = (y_min / 2.0, y_max * 2.0);
    let y_ticks = match plot {
        Plot::Metric(name, _) if name.contains("bytes") => ticks_binary(y_lo, y_hi),
        _ => ticks_125(y_lo, y_hi),
    };
    let variants = crate::output::first_appearances(points.iter().map(|p| p.0));

    let mut svg = String::new();
    {
        let root = SVGBackend::with_string(&mut svg, (760, 440)).into_drawing_area();
        root.fill(&WHITE).ok()?;
        // The legend gets its own column: inside the chart, some lesson's
        // line always runs under it.
        let (plot_area, legend_area) = root.split_horizontally(590);
        let mut chart = ChartBuilder::on(&plot_area)
            .caption(title, ("sans-serif", 18))
            .margin(12)
            .x_label_area_size(40)
            .y_label_area_size(70)
            .build_cartesian_2d(
                (x_min / 1.5..x_max * 1.5)
                    .log_scale()
                    .with_key_points(x_ticks),
                (y_lo..y_hi).log_scale().with_key_points(y_ticks),
            )
            .ok()?;
        chart
            .configure_mesh()
            .x_desc(format!("{per_call} (log scale)"))
            .y_desc(y.desc.as_str())
            .x_label_formatter(&|x| crate::fmt::count(x.round() as u64))
            .y_label_formatter(&|v| y.tick(*v))
            .light_line_style(WHITE.mix(0.0))
            .draw()
            .ok()?;
        for (i, variant) in variants.iter().enumerate() {
            let (colour, dash, shape) = style(i);
            let points: Vec<(f64, f64)> = points
                .iter()
                .filter(|p| p.0 == *variant)
                .map(|p| (p.1, p.2))
                .collect();
            let line = colour.stroke_width(2);
            let y = 60 + 22 * i as i32;
            let key = vec![(4, y), (34, y)];
            match dash {
                None => {
                    chart
                        .draw_series(LineSeries::new(points.clone(), line))
                        .ok()?;
                    legend_area.draw(&PathElement::new(key, line)).ok()?;
                }
                Some((size, gap)) => {
                    chart
                        .draw_series(DashedLineSeries::new(points.clone(), size, gap, line))
                        .ok()?;
                    legend_area
                        .draw(&DashedPathElement::new(key, size, gap, line))
                        .ok()?;
                }
            }
            chart
                .draw_series(points.into_iter().map(|p| marker(shape, p, colour)))
                .ok()?;
            legend_area.draw(&marker(shape, (19, y), colour)).ok()?;
            legend_area
                .draw(&Text::new(
                    variant.to_string(),
                    (42, y - 7),
                    ("sans-serif", 13),
                ))
                .ok()?;
        }
        // Guides: a dashed grey line from one point to another, and its
        // label. Where a distance in bytes crosses a cache line, and the
        // pair of lines the CPU fetches together (the boundaries the prose
        // reads), each label a step lower than the one before: close lines
        // on a log axis would otherwise put them side by side, overlapping.
        // And the speedup's ceiling.
        let line = crate::machine::cache_line().filter(|_| plot == Plot::Spacing);
        let mut guides: Vec<Guide> = line
            .into_iter()
            .flat_map(|l| {
                [
                    (l, format!("{l}-byte line")),
                    (2 * l, "line pair".to_owned()),
                ]
            })
            .enumerate()
            .map(|(i, (at, label))| {
                let at = at as f64;
                let label_y = y_hi / 1.3 / 2f64.powi(i as i32);
                ([(at, y_lo), (at, y_hi)], (at * 1.04, label_y), label)
            })
            .collect();
        if let Some((level, label)) = &y.ceiling {
            let ends = [(x_min / 1.5, *level), (x_max * 1.5, *level)];
            guides.push((ends, (x_min, *level * 1.08), label.clone()));
        }
        let grey = RGBColor(0x55, 0x55, 0x55);
        for (ends, label_at, label) in guides {
            chart
                .draw_series(DashedLineSeries::new(ends, 6, 4, grey.stroke_width(1)))
                .ok()?;
            chart
                .draw_series([Text::new(
                    label,
                    label_at,
                    ("sans-serif", 13).into_font().color(&grey),
                )])
                .ok()?;
        }
        root.present().ok()?;
    }
    Some(svg)
}

fn bounds(xs: impl Iterator<Item = f64>) -> Option<(f64, f64)> {
    xs.filter(|x| x.is_finite() && *x > 0.0)
        .fold(None, |acc, x| match acc {
            None => Some((x, x)),
            Some((lo, hi)) => Some((lo.min(x), hi.max(x))),
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Ticks span the data: 1-2-5 steps for times and ratios, powers of
    /// two for bytes, never more than eight of those.
    #[test]
    fn ticks_span_the_data() {
        assert_eq!(
            ticks_125(3.0, 700.0),
            [5.0, 10.0, 20.0, 50.0, 100.0, 200.0, 500.0]
        );
        assert_eq!(
            ticks_binary(100.0, 5_000.0),
            [128.0, 256.0, 512.0, 1024.0, 2048.0, 4096.0]
        );
        let wide = ticks_binary(1.0, 1e9);
        assert!(wide.len() <= 8, "{wide:?}");
        assert_eq!(wide[0], 1.0);
    }
}

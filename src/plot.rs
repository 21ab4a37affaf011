//! Log-log plots of time against the swept parameter, one line per
//! variant, as SVG for the book (plotters' SVG backend only).

use plotters::prelude::*;

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

/// An SVG plot of median time per call against the parameter, both axes
/// logarithmic, for the rows of one question. `None` when fewer than two
/// parameter values were measured (nothing to draw a line through).
pub fn loglog_svg(title: &str, rows: &[&Measurement]) -> Option<String> {
    let values = || rows.iter().map(|r| r.value as f64);
    let times = || rows.iter().map(|r| r.median_ns);
    let (x_min, x_max) = bounds(values())?;
    let (y_min, y_max) = bounds(times())?;
    if x_min == x_max {
        return None;
    }
    let param = rows.first().map_or("n", |r| r.param);
    let variants = crate::output::first_appearances(rows.iter().map(|r| r.variant));

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
                (x_min / 1.5..x_max * 1.5).log_scale(),
                (y_min / 2.0..y_max * 2.0).log_scale(),
            )
            .ok()?;
        chart
            .configure_mesh()
            .x_desc(format!("{param} (log scale)"))
            .y_desc("median time per call (log scale)")
            .x_label_formatter(&|x| crate::fmt::count(x.round() as u64))
            .y_label_formatter(&|ns| crate::fmt::duration(*ns))
            .light_line_style(WHITE.mix(0.0))
            .draw()
            .ok()?;
        for (i, variant) in variants.iter().enumerate() {
            let colour = COLOURS[i % COLOURS.len()];
            let points: Vec<(f64, f64)> = rows
                .iter()
                .filter(|r| r.variant == *variant)
                .map(|r| (r.value as f64, r.median_ns))
                .collect();
            chart
                .draw_series(LineSeries::new(points.clone(), colour.stroke_width(2)))
                .ok()?;
            let y = 60 + 22 * i as i32;
            legend_area
                .draw(&PathElement::new(
                    vec![(4, y), (24, y)],
                    colour.stroke_width(2),
                ))
                .ok()?;
            legend_area
                .draw(&Text::new(
                    variant.to_string(),
                    (30, y - 7),
                    ("sans-serif", 13),
                ))
                .ok()?;
            chart
                .draw_series(
                    points
                        .into_iter()
                        .map(|p| Circle::new(p, 3, colour.filled())),
                )
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

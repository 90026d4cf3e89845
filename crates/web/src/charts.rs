//! Bar charts drawn as SVG on the server: no script, no library to load, and the figures
//! beside each bar as text, so the chart reads without colour and the table beneath it reads
//! without the chart.

use std::fmt::Write;

use maud::{Markup, PreEscaped, html};

use super::i18n::t;

const LABEL_WIDTH: u64 = 210;
const BAR_SPACE: u64 = 380;
const ROW: u64 = 24;

/// A horizontal bar chart of `rows` (label, value), each value written by `shown` (with its
/// unit, as the page's language writes it).
pub(crate) fn bars(
    id: &str,
    title: &str,
    rows: &[(String, u64)],
    shown: impl Fn(u64) -> String,
) -> Markup {
    let largest = rows.iter().map(|(_, v)| *v).max().unwrap_or(0).max(1);
    let height = ROW * rows.len() as u64 + 8;
    let width = LABEL_WIDTH + BAR_SPACE + 90;
    let mut svg = String::new();
    let _ = write!(
        svg,
        r#"<svg class="chart" viewBox="0 0 {width} {height}" width="{width}" height="{height}" role="img" aria-labelledby="{id}-title"><title id="{id}-title">{}</title>"#,
        maud::html! { (title) }.into_string()
    );
    for (i, (label, value)) in rows.iter().enumerate() {
        let y = 4 + i as u64 * ROW;
        // Integer arithmetic: a bar's length is its share of the largest, in whole pixels.
        let length = (value * BAR_SPACE / largest).max(u64::from(*value > 0));
        let _ = write!(
            svg,
            r#"<text class="label" x="{}" y="{}" text-anchor="end">{}</text><rect class="bar" x="{LABEL_WIDTH}" y="{}" width="{length}" height="{}"/><text class="value" x="{}" y="{}">{}</text>"#,
            LABEL_WIDTH - 8,
            y + 15,
            maud::html! { (label) }.into_string(),
            y + 3,
            ROW - 8,
            LABEL_WIDTH + length + 6,
            y + 15,
            maud::html! { (shown(*value)) }.into_string(),
        );
    }
    svg.push_str("</svg>");
    html! {
        figure.chart id=(id) {
            figcaption { h2 { (title) } }
            @if rows.is_empty() {
                p.empty { (t!("stats-chart-empty")) }
            } @else {
                div.scroll { (PreEscaped(svg)) }
                details {
                    summary { (t!("stats-chart-as-table")) }
                    table {
                        thead { tr { th scope="col" { "" } th scope="col" { (t!("stats-chart-value")) } } }
                        tbody {
                            @for (label, value) in rows {
                                tr { th scope="row" { (label) } td { (shown(*value)) } }
                            }
                        }
                    }
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bars_are_in_proportion_and_labels_are_escaped() {
        let drawn = bars(
            "t",
            "Cases <by> state",
            &[
                ("a<b".to_owned(), 10),
                ("c".to_owned(), 5),
                ("d".to_owned(), 0),
            ],
            |n| format!("{n} <u>"),
        )
        .into_string();
        assert!(drawn.contains(r#"width="380""#), "{drawn}");
        assert!(drawn.contains(r#"width="190""#), "{drawn}");
        assert!(drawn.contains(r#"width="0""#), "{drawn}");
        assert!(drawn.contains("a&lt;b"));
        assert!(drawn.contains("Cases &lt;by&gt; state"));
        assert!(!drawn.contains("a<b"));
        assert!(
            drawn.contains("10 &lt;u&gt;</text>"),
            "values escaped: {drawn}"
        );
        assert!(drawn.contains("<td>5 &lt;u&gt;</td>"), "{drawn}");
        assert!(drawn.contains("Tallene som tabell"), "{drawn}");
    }
}

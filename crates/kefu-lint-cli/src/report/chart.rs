//! Charts as inline SVG: horizontal bars (findings per rule, per agent) and
//! a histogram of response times against their threshold. Each bar and bin
//! carries its figure as `data-count`, for tests and for scripts reading
//! the report.

use maud::{Markup, html};

use super::tally::Histogram;

/// Width of every chart, in CSS pixels.
const WIDTH: usize = 720;

/// Characters of a bar's label shown left of it (the whole label is its tooltip).
const LABEL_CHARS: usize = 20;

/// One bar: its label, its count and a CSS class (a severity's name, for its colour).
pub struct Bar {
    /// Shown left of the bar.
    pub label: String,
    /// The bar's length and figure.
    pub count: usize,
    /// CSS class of the bar.
    pub class: &'static str,
}

/// A horizontal bar chart of `bars` in the order given, titled `title`.
pub fn bars(id: &str, title: &str, bars: &[Bar]) -> Markup {
    const LABEL: usize = 280;
    const ROW: usize = 24;
    let most = bars.iter().map(|b| b.count).max().unwrap_or(0).max(1);
    let room = WIDTH - LABEL - 70;
    let height = ROW * bars.len().max(1);
    html! {
        svg id=(id) class="chart" role="img" aria-label=(title) viewBox=(format!("0 0 {WIDTH} {height}"))
            width=(WIDTH) height=(height) {
            title { (title) }
            @for (n, bar) in bars.iter().enumerate() {
                @let y = n * ROW;
                @let length = (bar.count * room).div_ceil(most);
                g class=(format!("bar {}", bar.class)) data-label=(bar.label) data-count=(bar.count) {
                    title { (bar.label) " " (bar.count) }
                    text x=(LABEL - 8) y=(y + 16) text-anchor="end" { (crate::session::cut(&bar.label, LABEL_CHARS)) }
                    rect x=(LABEL) y=(y + 4) width=(length) height=(ROW - 8) rx="2" {}
                    text x=(LABEL + length + 6) y=(y + 16) { (bar.count) }
                }
            }
        }
    }
}

/// A histogram of `histogram`'s bins, the bins over the threshold marked
/// `over`, and a dashed line where the threshold falls.
pub fn histogram(id: &str, title: &str, histogram: &Histogram) -> Markup {
    const HEIGHT: usize = 200;
    const TOP: usize = 20;
    const BOTTOM: usize = 40;
    let bins = histogram.counts.len();
    let width = WIDTH / bins;
    let most = histogram.counts.iter().copied().max().unwrap_or(0).max(1);
    let room = HEIGHT - TOP - BOTTOM;
    let slow = histogram.first_slow_bin();
    html! {
        svg id=(id) class="chart histogram" role="img" aria-label=(title) data-threshold=(histogram.threshold)
            data-total=(histogram.total()) data-over=(histogram.over)
            viewBox=(format!("0 0 {WIDTH} {HEIGHT}")) width=(WIDTH) height=(HEIGHT) {
            title { (title) }
            @for (n, &count) in histogram.counts.iter().enumerate() {
                @let x = n * width;
                @let tall = (count * room).div_ceil(most);
                g class=(if n >= slow { "bin over" } else { "bin" }) data-count=(count) {
                    rect x=(x + 4) y=(HEIGHT - BOTTOM - tall) width=(width - 8) height=(tall) {}
                    text x=(x + width / 2) y=(HEIGHT - BOTTOM - tall - 4) text-anchor="middle" { (count) }
                    text x=(x + width / 2) y=(HEIGHT - BOTTOM + 16) text-anchor="middle" class="axis" {
                        (bin_label(&histogram.uppers, n))
                    }
                }
            }
            line class="threshold" x1=(slow * width) x2=(slow * width) y1=(TOP - 10) y2=(HEIGHT - BOTTOM) {}
            text class="axis" x=(slow * width + 4) y=(HEIGHT - BOTTOM + 32) { "slow: > " (histogram.threshold) " s" }
        }
    }
}

/// The label of bin `n` of bins bounded by `uppers`: `≤ 5 s`, then
/// `5–10 s` for the waits over 5 s and at most 10 s (to the millisecond),
/// and `> 1800 s` for the last.
fn bin_label(uppers: &[i64], n: usize) -> String {
    match (n.checked_sub(1).map(|m| uppers[m]), uppers.get(n)) {
        (None, Some(upper)) => format!("≤ {upper} s"),
        (Some(lower), Some(upper)) => format!("{lower}–{upper} s"),
        (Some(lower), None) => format!("> {lower} s"),
        (None, None) => "any".to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bin_labels_name_the_seconds_each_bin_holds() {
        let uppers = [5, 10, 11];
        assert_eq!(bin_label(&uppers, 0), "≤ 5 s");
        assert_eq!(bin_label(&uppers, 1), "5–10 s");
        assert_eq!(bin_label(&uppers, 2), "10–11 s");
        assert_eq!(bin_label(&uppers, 3), "> 11 s");
    }

    #[test]
    fn the_longest_bar_fills_the_room_and_labels_are_escaped() {
        let chart = bars(
            "c",
            "t",
            &[
                Bar {
                    label: "<script>".into(),
                    count: 10,
                    class: "error",
                },
                Bar {
                    label: "b".into(),
                    count: 5,
                    class: "info",
                },
            ],
        )
        .into_string();
        assert!(
            chart.contains("&lt;script&gt;") && !chart.contains("<script>"),
            "{chart}"
        );
        assert!(chart.contains(r#"width="370""#), "{chart}");
        assert!(chart.contains(r#"width="185""#), "{chart}");
    }
}

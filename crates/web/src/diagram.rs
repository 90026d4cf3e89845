//! The lifecycle as an SVG drawing, made on the server from the domain's one transition table,
//! with the case's state marked and the ways out of it drawn stronger. The places of the
//! states are set by hand (a layout engine would move them about as the table grows); the
//! match below is exhaustive, so a new state cannot be left off the drawing.

use std::collections::BTreeSet;
use std::fmt::Write;

use maud::{Markup, PreEscaped, html};
use retur_domain::lifecycle::TRANSITIONS;
use retur_domain::{CommandKind, Status};

use super::i18n::t;
use super::{phrase, words};

const BOX_WIDTH: i32 = 190;
const BOX_HEIGHT: i32 = 28;
const ROW_PITCH: i32 = 42;
const COLUMNS: [i32; 3] = [40, 270, 500];
const WIDTH: i32 = 730;
const HEIGHT: i32 = 10 + 12 * ROW_PITCH + BOX_HEIGHT + 10;

/// Column and row of a state: the way to payout runs down the middle, refusals and appeals
/// to the left, the ways a case ends early to the right.
fn place(status: Status) -> (usize, i32) {
    use Status as S;
    match status {
        S::New => (1, 0),
        S::Submitted => (1, 1),
        S::UnderReview => (1, 2),
        S::Approved => (1, 3),
        S::HandedToIom => (1, 4),
        S::TravelDocumentsPending => (1, 5),
        S::ReadyToBook => (1, 6),
        S::DepartureBooked => (1, 7),
        S::Departed => (1, 8),
        S::Arrived => (1, 9),
        S::PayoutInProgress => (1, 10),
        S::PaidOut => (1, 11),
        S::Closed => (1, 12),
        S::LateAppealLodged => (0, 2),
        S::Refused => (0, 3),
        S::AppealLodged => (0, 4),
        S::ForwardedToUne => (0, 5),
        S::RefusedFinal => (0, 6),
        S::RevokedFinal => (0, 7),
        S::Revoked => (0, 8),
        S::Withdrawn => (2, 1),
        S::ForcedReturn => (2, 3),
        S::Lapsed => (2, 5),
        S::NoShow => (2, 8),
        S::RepaymentClaimed => (2, 11),
    }
}

fn origin(status: Status) -> (i32, i32) {
    let (column, row) = place(status);
    (COLUMNS[column], 10 + row * ROW_PITCH)
}

/// The path of an edge: side to side between columns, bottom to top between neighbours in a
/// column, and a curve out to the side past the states between.
fn path(from: Status, to: Status) -> String {
    let ((fc, fr), (tc, tr)) = (place(from), place(to));
    let ((fx, fy), (tx, ty)) = (origin(from), origin(to));
    let middle = BOX_HEIGHT / 2;
    if fc != tc {
        let (x1, x2) = if tc > fc {
            (fx + BOX_WIDTH, tx)
        } else {
            (fx, tx + BOX_WIDTH)
        };
        format!("M{x1},{} L{x2},{}", fy + middle, ty + middle)
    } else if (fr - tr).abs() == 1 {
        let (y1, y2) = if tr > fr {
            (fy + BOX_HEIGHT, ty)
        } else {
            (fy, ty + BOX_HEIGHT)
        };
        let x = fx + BOX_WIDTH / 2;
        format!("M{x},{y1} L{x},{y2}")
    } else {
        // Past the states between: out of the left side (the right one in the last column).
        let (x, bulge) = if fc == 2 {
            (fx + BOX_WIDTH, 30)
        } else {
            (fx, -30)
        };
        format!(
            "M{x},{} C{},{} {},{} {x},{}",
            fy + middle,
            x + bulge,
            fy + middle,
            x + bulge,
            ty + middle,
            ty + middle
        )
    }
}

/// The states `from` can move to, with the commands that move it there.
pub(crate) fn ways_out(from: Status) -> Vec<(Status, Vec<&'static str>)> {
    let mut ways: Vec<(Status, Vec<&'static str>)> = Vec::new();
    for t in TRANSITIONS
        .iter()
        .filter(|t| t.from == from && t.to != from)
    {
        match ways.iter_mut().find(|(to, _)| *to == t.to) {
            Some((_, commands)) => {
                if !commands.contains(&t.command.name()) {
                    commands.push(t.command.name())
                }
            }
            None => ways.push((t.to, vec![t.command.name()])),
        }
    }
    ways
}

/// Commands that end or turn a case from nearly every state before departure. Drawn from
/// every state they apply to, they would hide the rest; they are drawn only from the case's
/// own state, and the caption says the rest.
const SWEEPING: [CommandKind; 4] = [
    CommandKind::Withdraw,
    CommandKind::RecordForcedReturn,
    CommandKind::RevokeApproval,
    CommandKind::LapseTravelDeadline,
];

/// The edges drawn when the case is in `current`.
fn edges(current: Status) -> BTreeSet<(Status, Status)> {
    TRANSITIONS
        .iter()
        .filter(|t| t.from != t.to && (t.from == current || !SWEEPING.contains(&t.command)))
        .map(|t| (t.from, t.to))
        .collect()
}

/// Text made safe to write into the SVG.
fn escaped(text: &str) -> String {
    html! { (text) }.into_string()
}

/// The diagram with `current` marked, and in words beneath it where the case can go next.
pub(crate) fn state_diagram(current: Status) -> Markup {
    let edges = edges(current);
    let next: BTreeSet<Status> = ways_out(current).into_iter().map(|(to, _)| to).collect();
    let mut svg = String::new();
    let _ = write!(
        svg,
        r##"<svg class="lifecycle" viewBox="0 0 {WIDTH} {HEIGHT}" width="{WIDTH}" height="{HEIGHT}" role="img" aria-labelledby="diagram-title"><title id="diagram-title">{}</title><defs><marker id="arrow" viewBox="0 0 10 10" refX="10" refY="5" markerWidth="7" markerHeight="7" orient="auto-start-reverse"><path d="M0,0 L10,5 L0,10 z" fill="#6b7280"/></marker><marker id="arrow-next" viewBox="0 0 10 10" refX="10" refY="5" markerWidth="7" markerHeight="7" orient="auto-start-reverse"><path d="M0,0 L10,5 L0,10 z" fill="#0b5cad"/></marker></defs>"##,
        escaped(&t!("diagram-title", state = phrase(current.name())))
    );
    for (from, to) in &edges {
        let strong = *from == current;
        let _ = write!(
            svg,
            r#"<path class="edge{}" d="{}" marker-end="url(#{})"/>"#,
            if strong { " next" } else { "" },
            path(*from, *to),
            if strong { "arrow-next" } else { "arrow" }
        );
    }
    for status in Status::ALL {
        let (x, y) = origin(status);
        let class = if status == current {
            "state current"
        } else if next.contains(&status) {
            "state next"
        } else if status.is_terminal() {
            "state end"
        } else {
            "state"
        };
        let _ = write!(
            svg,
            r#"<g class="{class}" data-state="{}"><rect x="{x}" y="{y}" width="{BOX_WIDTH}" height="{BOX_HEIGHT}" rx="6"/><text x="{}" y="{}" text-anchor="middle">{}</text></g>"#,
            status.name(),
            x + BOX_WIDTH / 2,
            y + BOX_HEIGHT / 2 + 4,
            escaped(&words(status.name())),
        );
    }
    svg.push_str("</svg>");
    let ways = ways_out(current);
    html! {
        figure.diagram {
            div.scroll { (PreEscaped(svg)) }
            figcaption {
                (t!("diagram-this-case-is")) " " strong { (phrase(current.name())) } ". "
                @if ways.is_empty() {
                    (t!("diagram-no-way-on"))
                } @else {
                    (t!("diagram-ways-out")) " "
                    @for (i, (to, commands)) in ways.iter().enumerate() {
                        @if i > 0 { "; " }
                        (phrase(to.name())) " ("
                        @for (j, command) in commands.iter().enumerate() {
                            @if j > 0 { " " (t!("or")) " " }
                            (phrase(command))
                        }
                        ")"
                    }
                    "."
                }
                " " (t!("diagram-sweeping"))
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn no_two_states_share_a_place() {
        let places: BTreeSet<_> = Status::ALL.iter().map(|s| place(*s)).collect();
        assert_eq!(places.len(), Status::ALL.len());
        for status in Status::ALL {
            let (x, y) = origin(status);
            assert!(
                x >= 30 && x + BOX_WIDTH + 30 <= WIDTH,
                "{status} fits across"
            );
            assert!(y >= 0 && y + BOX_HEIGHT <= HEIGHT, "{status} fits down");
        }
    }

    #[test]
    fn the_current_state_and_its_ways_out_are_marked() {
        let drawn = crate::PageContext::with_lang(crate::i18n::Lang::En, || {
            state_diagram(Status::UnderReview).into_string()
        });
        assert!(drawn.contains(r#"<g class="state current" data-state="under_review">"#));
        assert!(drawn.contains(r#"<g class="state next" data-state="approved">"#));
        assert!(drawn.contains(r#"<g class="state next" data-state="refused">"#));
        assert!(drawn.contains(r#"<g class="state end" data-state="closed">"#));
        // One edge per pair of states that a row of the table joins, but for the sweeping
        // commands from other states than this one.
        assert_eq!(
            drawn.matches(r#"<path class="edge"#).count(),
            edges(Status::UnderReview).len()
        );
        assert!(edges(Status::UnderReview).contains(&(Status::UnderReview, Status::Withdrawn)));
        assert!(!edges(Status::UnderReview).contains(&(Status::Submitted, Status::Withdrawn)));
        assert!(edges(Status::UnderReview).contains(&(Status::NoShow, Status::DepartureBooked)));
        assert_eq!(
            drawn.matches(r#"<path class="edge next""#).count(),
            ways_out(Status::UnderReview).len()
        );
        assert!(drawn.contains("approved (approve)"), "{drawn}");
    }

    #[test]
    fn a_state_with_several_commands_to_one_place_lists_them_once() {
        let ways = ways_out(Status::ForwardedToUne);
        let to_refused: Vec<_> = ways
            .iter()
            .filter(|(to, _)| *to == Status::RefusedFinal)
            .collect();
        assert_eq!(to_refused.len(), 1);
        assert_eq!(to_refused[0].1, ["reject_appeal", "dismiss_appeal_at_une"]);
    }
}

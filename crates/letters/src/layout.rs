//! Pages, lines and wrapping: a letter's blocks of text set on A4 pages, then drawn with krilla.
//!
//! Text is measured by shaping it with rustybuzz, the shaper krilla draws with, so a line is as
//! wide as it was measured (kerning, ligatures and Arabic joining included). Lines break at
//! spaces. Each line is ordered by the Unicode bidirectional algorithm, so a Latin name or a date
//! inside an Arabic sentence reads left to right where it stands; a right-to-left paragraph is
//! set against the right margin.

// Positions on a page, in points: geometry, not money.
#![allow(clippy::float_arithmetic)]

use std::ops::Range;

use krilla::Document;
use krilla::geom::Point;
use krilla::metadata::Metadata;
use krilla::page::PageSettings;
use krilla::text::{Font, TextDirection};
use rustybuzz::{Direction, Face, UnicodeBuffer};
use unicode_bidi::{Level, ParagraphBidiInfo};

/// DejaVu Sans (Bitstream Vera licence, `fonts/LICENSE`): Latin with the Norwegian letters, and
/// Arabic.
static REGULAR: &[u8] = include_bytes!("../fonts/DejaVuSans.ttf");
static BOLD: &[u8] = include_bytes!("../fonts/DejaVuSans-Bold.ttf");

/// A4 in points.
const PAGE_WIDTH: f32 = 595.28;
const PAGE_HEIGHT: f32 = 841.89;
const MARGIN: f32 = 56.0;
const TEXT_WIDTH: f32 = PAGE_WIDTH - 2.0 * MARGIN;
/// The leading of body text: what a heading must keep room for below it.
const BODY_LEADING: f32 = 15.0;

/// What a block of text is, which decides how it looks.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Kind {
    /// The system's name, small, at the top.
    Letterhead,
    /// The agency the letter is from.
    Agency,
    /// A line of the heading: reference, date, addressee.
    Meta,
    Title,
    Heading,
    Paragraph,
    /// One entry of a list, indented.
    Item,
    /// The end of the letter: the agency's greeting.
    Closing,
}

/// A block of text: a paragraph, a heading, a line of the heading.
#[derive(Clone, Debug)]
pub(crate) struct Block {
    kind: Kind,
    text: String,
    /// Text as someone wrote it (reasons, rules): its direction is its own, found from its first
    /// letter, not the letter's language. Norwegian reasons in an Arabic letter read left to right.
    as_written: bool,
}

impl Block {
    /// A block in the letter's language.
    pub(crate) fn new(kind: Kind, text: impl Into<String>) -> Self {
        Block {
            kind,
            text: text.into(),
            as_written: false,
        }
    }

    /// A block of text as someone wrote it.
    pub(crate) fn as_written(kind: Kind, text: impl Into<String>) -> Self {
        Block {
            as_written: true,
            ..Block::new(kind, text)
        }
    }
}

/// A letter in one language: it starts on a new page.
#[derive(Clone, Debug)]
pub(crate) struct Section {
    pub(crate) right_to_left: bool,
    pub(crate) blocks: Vec<Block>,
}

/// A piece of one line in one direction, where it is drawn.
#[derive(Clone, Debug, PartialEq)]
pub(crate) struct Run {
    pub(crate) x: f32,
    pub(crate) baseline: f32,
    pub(crate) bold: bool,
    pub(crate) size: f32,
    pub(crate) right_to_left: bool,
    pub(crate) text: String,
}

/// What is drawn on one page.
pub(crate) type Page = Vec<Run>;

/// How a kind of block looks, in points.
struct Look {
    bold: bool,
    size: f32,
    leading: f32,
    /// Space above the block, unless it opens a page.
    before: f32,
    indent: f32,
    /// Room to keep below the block on its page, so a heading is not left alone at the foot.
    keep: f32,
}

impl Kind {
    fn look(self) -> Look {
        let body = Look {
            bold: false,
            size: 11.0,
            leading: BODY_LEADING,
            before: 6.0,
            indent: 0.0,
            keep: 0.0,
        };
        match self {
            Kind::Letterhead => Look {
                size: 9.0,
                leading: 12.0,
                before: 0.0,
                ..body
            },
            Kind::Agency => Look {
                bold: true,
                size: 13.0,
                leading: 17.0,
                before: 0.0,
                ..body
            },
            Kind::Meta => Look {
                size: 10.0,
                leading: 13.0,
                before: 0.0,
                ..body
            },
            Kind::Title => Look {
                bold: true,
                size: 15.0,
                leading: 20.0,
                before: 22.0,
                keep: 2.0 * BODY_LEADING,
                ..body
            },
            Kind::Heading => Look {
                bold: true,
                before: 14.0,
                keep: 2.0 * BODY_LEADING,
                ..body
            },
            Kind::Item => Look {
                before: 2.0,
                indent: 14.0,
                ..body
            },
            Kind::Closing => Look {
                before: 18.0,
                ..body
            },
            Kind::Paragraph => body,
        }
    }
}

/// The sections set on pages, each section from the top of a new page.
pub(crate) fn lay_out(sections: &[Section]) -> Vec<Page> {
    let faces = Faces::new();
    let mut pages = Pages {
        done: Vec::new(),
        page: Vec::new(),
        top: MARGIN,
    };
    for (i, section) in sections.iter().enumerate() {
        if i > 0 {
            pages.turn();
        }
        for block in &section.blocks {
            let look = block.kind.look();
            let base = match (block.as_written, section.right_to_left) {
                (true, _) => None,
                (false, true) => Some(Level::rtl()),
                (false, false) => Some(Level::ltr()),
            };
            let face = faces.get(look.bold);
            let (right_to_left, lines) =
                wrap(face, &block.text, base, look.size, TEXT_WIDTH - look.indent);
            if lines.is_empty() {
                continue;
            }
            if pages.top > MARGIN {
                pages.top += look.before;
            }
            // A heading moves to the next page with the first lines of what it heads.
            if look.keep > 0.0 {
                pages.make_room(look.leading * lines.len() as f32 + look.keep);
            }
            for line in lines {
                pages.make_room(look.leading);
                // The baseline sits about one em below the line's top, where the ascent puts it.
                let baseline = pages.top + look.size;
                let mut x = if right_to_left {
                    PAGE_WIDTH - MARGIN - look.indent - line.width
                } else {
                    MARGIN + look.indent
                };
                for (text, run_right_to_left, width) in line.runs {
                    pages.page.push(Run {
                        x,
                        baseline,
                        bold: look.bold,
                        size: look.size,
                        right_to_left: run_right_to_left,
                        text,
                    });
                    x += width;
                }
                pages.top += look.leading;
            }
        }
    }
    pages.turn();
    pages.done
}

/// The pages set so far, the page being set, and how far down it the text has come.
struct Pages {
    done: Vec<Page>,
    page: Page,
    top: f32,
}

impl Pages {
    fn turn(&mut self) {
        self.done.push(std::mem::take(&mut self.page));
        self.top = MARGIN;
    }

    /// A new page unless `height` more fits on this one (or this one is still empty).
    fn make_room(&mut self, height: f32) {
        if self.top + height > PAGE_HEIGHT - MARGIN && !self.page.is_empty() {
            self.turn();
        }
    }
}

/// The pages drawn as a PDF. krilla writes no date and derives the document's ids from its
/// content, so the same pages give the same bytes.
pub(crate) fn draw(pages: &[Page], title: &str, language: &str) -> Vec<u8> {
    // The fonts are this crate's own files, read by every test: they are valid.
    let regular = Font::new(REGULAR.into(), 0).expect("DejaVu Sans is a font krilla reads");
    let bold = Font::new(BOLD.into(), 0).expect("DejaVu Sans Bold is a font krilla reads");
    let size = PageSettings::from_wh(PAGE_WIDTH, PAGE_HEIGHT).expect("A4 is a page size");
    let mut document = Document::new();
    for runs in pages {
        let mut page = document.start_page_with(size.clone());
        let mut surface = page.surface();
        for run in runs {
            let direction = if run.right_to_left {
                TextDirection::RightToLeft
            } else {
                TextDirection::LeftToRight
            };
            let font = if run.bold { &bold } else { &regular };
            surface.draw_text(
                Point::from_xy(run.x, run.baseline),
                font.clone(),
                run.size,
                &run.text,
                false,
                direction,
            );
        }
        surface.finish();
        page.finish();
    }
    document.set_metadata(
        Metadata::new()
            .title(title.to_owned())
            .language(language.to_owned()),
    );
    // Nothing here can fail: no validation profile is asked for, and the fonts are valid.
    document.finish().expect("krilla writes the letter")
}

/// The two faces, as rustybuzz reads them for measuring.
struct Faces {
    regular: Face<'static>,
    bold: Face<'static>,
}

impl Faces {
    fn new() -> Self {
        Faces {
            regular: Face::from_slice(REGULAR, 0).expect("DejaVu Sans is a font"),
            bold: Face::from_slice(BOLD, 0).expect("DejaVu Sans Bold is a font"),
        }
    }

    fn get(&self, bold: bool) -> &Face<'static> {
        if bold { &self.bold } else { &self.regular }
    }
}

/// One line: its runs in visual order (left to right on the page), each with its direction
/// and width, and its whole width.
struct Line {
    runs: Vec<(String, bool, f32)>,
    width: f32,
}

/// `text` broken into lines no wider than `width` (a word wider than a line gets a line of its
/// own), and whether the paragraph runs right to left. `base` is the paragraph's direction;
/// `None` takes it from its first letter.
fn wrap(
    face: &Face<'_>,
    text: &str,
    base: Option<Level>,
    size: f32,
    width: f32,
) -> (bool, Vec<Line>) {
    let bidi = ParagraphBidiInfo::new(text, base);
    let right_to_left = bidi.paragraph_level.is_rtl();
    let measure = |range: Range<usize>| -> Line {
        let end = range.start + text[range.clone()].trim_end_matches(' ').len();
        let (levels, runs) = bidi.visual_runs(range.start..end);
        let mut line = Line {
            runs: Vec::new(),
            width: 0.0,
        };
        for run in runs {
            let shown = visible(&text[run.clone()]);
            if shown.is_empty() {
                continue;
            }
            let run_right_to_left = levels[run.start].is_rtl();
            let advance = advance(face, &shown, run_right_to_left, size);
            line.width += advance;
            line.runs.push((shown, run_right_to_left, advance));
        }
        line
    };
    // Where a line may break: a space, but not the one after `§`, which stays with its number.
    let next_space = |from: usize| {
        text[from..]
            .match_indices(' ')
            .map(|(i, _)| from + i)
            .find(|&i| !text[..i].ends_with('§'))
            .unwrap_or(text.len())
    };
    let mut lines = Vec::new();
    let mut start = 0;
    loop {
        start += text[start..].len() - text[start..].trim_start_matches(' ').len();
        if start >= text.len() {
            break;
        }
        let mut end = next_space(start);
        let mut line = measure(start..end);
        while end < text.len() {
            let further = next_space(end + 1);
            let longer = measure(start..further);
            if longer.width > width {
                break;
            }
            (end, line) = (further, longer);
        }
        lines.push(line);
        start = end;
    }
    (right_to_left, lines)
}

/// The text without the invisible marks that steer the bidirectional algorithm (Fluent puts
/// isolates around each value it fills in): they have done their work once the line is ordered,
/// and drawn they would be boxes.
fn visible(text: &str) -> String {
    text.chars()
        .filter(|c| !matches!(c, '\u{200e}' | '\u{200f}' | '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}'))
        .map(|c| if c.is_control() { ' ' } else { c })
        .collect()
}

/// How wide `text` is when shaped as krilla shapes it for drawing, in points.
fn advance(face: &Face<'_>, text: &str, right_to_left: bool, size: f32) -> f32 {
    let mut buffer = UnicodeBuffer::new();
    buffer.push_str(text);
    buffer.guess_segment_properties();
    buffer.set_direction(if right_to_left {
        Direction::RightToLeft
    } else {
        Direction::LeftToRight
    });
    let shaped = rustybuzz::shape(face, &[], buffer);
    let units: i32 = shaped.glyph_positions().iter().map(|p| p.x_advance).sum();
    units as f32 * size / face.units_per_em() as f32
}

#[cfg(test)]
mod tests {
    use super::*;

    fn section(right_to_left: bool, blocks: Vec<Block>) -> Section {
        Section {
            right_to_left,
            blocks,
        }
    }

    #[test]
    fn lines_break_at_spaces_within_the_margins() {
        let words = "Søknaden din om støtte til assistert retur er avslått. ".repeat(20);
        let pages = lay_out(&[section(false, vec![Block::new(Kind::Paragraph, words)])]);
        let runs = &pages[0];
        assert!(runs.len() > 5, "a long paragraph takes several lines");
        let faces = Faces::new();
        for run in runs {
            let width = advance(faces.get(false), &run.text, false, run.size);
            assert!(run.x >= MARGIN - 0.01, "{run:?}");
            assert!(run.x + width <= PAGE_WIDTH - MARGIN + 0.01, "{run:?}");
            assert!(!run.text.starts_with(' ') && !run.text.ends_with(' '));
            assert!(run.text.ends_with('.') || run.text.ends_with(|c: char| c.is_alphabetic()));
        }
    }

    #[test]
    fn a_full_page_continues_on_the_next() {
        let blocks = (0..80)
            .map(|i| Block::new(Kind::Paragraph, format!("Avsnitt {i}.")))
            .collect();
        let pages = lay_out(&[section(false, blocks)]);
        assert!(pages.len() >= 2, "{} pages", pages.len());
        for page in &pages {
            for run in page {
                assert!(run.baseline <= PAGE_HEIGHT - MARGIN, "{run:?}");
            }
        }
        let last = pages
            .last()
            .and_then(|page| page.last())
            .map(|run| run.text.as_str());
        assert_eq!(last, Some("Avsnitt 79."));
    }

    #[test]
    fn a_paragraph_sign_stays_with_its_number() {
        let faces = Faces::new();
        let text = "Se forvaltningsloven § 32.";
        let width = advance(faces.get(false), "Se forvaltningsloven §", false, 11.0);
        let (_, lines) = wrap(faces.get(false), text, None, 11.0, width + 1.0);
        let texts: Vec<_> = lines.iter().map(|line| line.runs[0].0.as_str()).collect();
        assert_eq!(texts, ["Se forvaltningsloven", "§ 32."]);
    }

    #[test]
    fn each_section_starts_a_page() {
        let one = || section(false, vec![Block::new(Kind::Title, "Vedtak")]);
        assert_eq!(lay_out(&[one(), one()]).len(), 2);
    }

    #[test]
    fn arabic_is_set_against_the_right_margin_with_latin_and_digits_left_to_right() {
        // As Fluent fills in values: each between isolation marks (FSI … PDI).
        let text = "رقم القضية: \u{2068}2026-000123\u{2069} إلى: \u{2068}Amina Haddad\u{2069}";
        let pages = lay_out(&[section(true, vec![Block::new(Kind::Paragraph, text)])]);
        let runs = &pages[0];
        let faces = Faces::new();
        let last = runs.last().expect("runs");
        let right = last.x + advance(faces.get(false), &last.text, last.right_to_left, last.size);
        assert!(
            (right - (PAGE_WIDTH - MARGIN)).abs() < 0.01,
            "right edge at {right}"
        );
        let latin: Vec<_> = runs.iter().filter(|run| !run.right_to_left).collect();
        assert!(
            latin.iter().any(|run| run.text.contains("Amina Haddad")),
            "{runs:?}"
        );
        assert!(
            latin.iter().any(|run| run.text.contains("2026-000123")),
            "{runs:?}"
        );
        // The name comes last in reading order, so leftmost on the line.
        let name = runs.iter().position(|run| run.text.contains("Amina"));
        let number = runs.iter().position(|run| run.text.contains("2026"));
        assert!(name < number, "{runs:?}");
    }

    #[test]
    fn text_as_written_keeps_its_own_direction() {
        let pages = lay_out(&[section(
            true,
            vec![Block::as_written(Kind::Paragraph, "Utlendingsloven § 90")],
        )]);
        assert_eq!(pages[0][0].x, MARGIN, "left-aligned in an Arabic letter");
    }

    #[test]
    fn isolation_marks_are_not_drawn() {
        assert_eq!(visible("Til: \u{2068}Amina\u{2069}"), "Til: Amina");
    }
}

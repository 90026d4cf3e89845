//! `docs/domain.md` shows the lifecycle as the code has it: its generated sections are rendered
//! from the transition table, and this test fails when they differ. Regenerate with
//! `RETUR_BLESS=1 cargo test -p retur-domain --test domain docs`.

use std::path::PathBuf;

use retur_domain::lifecycle;

fn sections() -> [(&'static str, String); 3] {
    [
        (
            "state-diagram",
            format!("```mermaid\n{}```", lifecycle::mermaid_state_diagram()),
        ),
        (
            "commands-keeping-state",
            lifecycle::markdown_commands_keeping_state()
                .trim_end()
                .to_owned(),
        ),
        (
            "command-owners",
            lifecycle::markdown_command_owners().trim_end().to_owned(),
        ),
    ]
}

#[test]
// A test of the docs reads and writes them; the domain itself touches no file (its clippy.toml).
#[allow(clippy::disallowed_methods)]
fn docs_domain_md_is_in_step_with_the_lifecycle() {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../docs/domain.md");
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    let mut updated = text.clone();
    for (name, body) in sections() {
        let begin = format!("<!-- BEGIN GENERATED: {name} -->\n");
        let end = format!("<!-- END GENERATED: {name} -->");
        let start = updated
            .find(&begin)
            .unwrap_or_else(|| panic!("docs/domain.md has no {begin:?}"))
            + begin.len();
        let stop = start
            + updated[start..]
                .find(&end)
                .unwrap_or_else(|| panic!("docs/domain.md has no {end:?}"));
        updated.replace_range(start..stop, &format!("{body}\n"));
    }
    if updated != text && std::env::var_os("RETUR_BLESS").is_some() {
        std::fs::write(&path, &updated).expect("docs/domain.md is writable");
        return;
    }
    assert!(
        updated == text,
        "docs/domain.md differs from the lifecycle in the code; regenerate it with \
         RETUR_BLESS=1 cargo test -p retur-domain --test domain docs"
    );
}

#[test]
fn the_diagram_has_every_state_and_every_changing_transition() {
    let diagram = lifecycle::mermaid_state_diagram();
    for status in retur_domain::Status::ALL {
        assert!(
            diagram.contains(status.name()),
            "{status} is missing from the diagram"
        );
    }
    let edges = diagram.lines().filter(|line| line.contains(" : ")).count();
    let changing = lifecycle::TRANSITIONS
        .iter()
        .filter(|t| t.from != t.to)
        .count();
    assert_eq!(edges, changing);
}

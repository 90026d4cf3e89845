//! The frame every page shares: who is signed in, where they can go, and a way out.

use maud::{DOCTYPE, Markup, html};
use retur_domain::Role;

use super::{SignedIn, role_label};

/// A whole page: `title` names it in the tab and for screen readers; `body` is its main part.
pub(crate) fn page(title: &str, signed_in: Option<&SignedIn>, body: Markup) -> Markup {
    frame(title, signed_in, false, body)
}

/// A page saying why something cannot be shown: whoever is signed in can still sign out.
pub(crate) fn error_page(title: &str, body: Markup) -> Markup {
    frame(title, None, true, body)
}

fn frame(title: &str, signed_in: Option<&SignedIn>, errand: bool, body: Markup) -> Markup {
    html! {
        (DOCTYPE)
        html lang="en" {
            head {
                meta charset="utf-8";
                meta name="viewport" content="width=device-width, initial-scale=1";
                title { (title) " · retur" }
                link rel="stylesheet" href="/ui/style.css";
            }
            body {
                a.skip href="#main" { "Skip to the content" }
                header.top {
                    a.brand href="/ui" { "retur" }
                    @if signed_in.is_none() && errand {
                        div.who {
                            form method="post" action="/ui/sign-out" {
                                button.link type="submit" { "Sign out" }
                            }
                        }
                    }
                    @if let Some(signed_in) = signed_in {
                        nav aria-label="Main" {
                            ul {
                                @for (href, label) in links(signed_in.caller.actor.role) {
                                    li { a href=(href) { (label) } }
                                }
                            }
                        }
                        div.who {
                            span data-testid="who" {
                                "Signed in as " strong { (signed_in.caller.actor.id.as_str()) }
                                " (" (role_label(signed_in.caller.actor.role)) ")"
                            }
                            form method="post" action="/ui/sign-out" {
                                button.link type="submit" { "Sign out" }
                            }
                        }
                    }
                }
                @if let Some(now) = super::PageContext::current().manual_clock {
                    div.banner.training role="status" data-testid="manual-clock" {
                        strong { "Training server: the clock is set by hand." }
                        " Its time is " (super::local_time(now)) " (Norway). "
                        "Nothing done here is real."
                    }
                }
                main id="main" tabindex="-1" { (body) }
            }
        }
    }
}

/// The places a role goes to.
fn links(role: Role) -> Vec<(&'static str, &'static str)> {
    match role {
        Role::Udi | Role::Une | Role::Iom => {
            vec![("/ui/queues", "Work queues"), ("/ui/stats", "Statistics")]
        }
        Role::Auditor => vec![
            ("/ui/audit", "Audit"),
            ("/ui/queues", "Queues"),
            ("/ui/stats", "Statistics"),
        ],
        Role::Applicant => vec![("/ui", "My cases")],
        Role::System => vec![],
    }
}

/// A message above the page's content: `kind` is `notice`, `error` or `conflict`.
pub(crate) fn banner(kind: &str, body: Markup) -> Markup {
    let role = if kind == "notice" { "status" } else { "alert" };
    html! {
        div class={ "banner " (kind) } role=(role) { (body) }
    }
}

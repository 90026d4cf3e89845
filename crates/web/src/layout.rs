//! The frame every page shares: who is signed in, where they can go, and a way out.

use maud::{DOCTYPE, Markup, html};
use retur_domain::Role;

use super::i18n::{self, Lang, t};
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
    let lang = i18n::lang();
    let caseworker = signed_in.is_some_and(|s| s.caller.actor.role != Role::Applicant);
    html! {
        (DOCTYPE)
        html lang=(lang.code()) dir=(lang.dir()) {
            head {
                meta charset="utf-8";
                meta name="viewport" content="width=device-width, initial-scale=1";
                title { (title) " · retur" }
                link rel="stylesheet" href="/ui/style.css";
            }
            body {
                a.skip href="#main" { (t!("skip-to-content")) }
                header.top {
                    a.brand href="/ui" { "retur" }
                    @if signed_in.is_none() && errand {
                        div.who {
                            form method="post" action="/ui/sign-out" {
                                button.link type="submit" { (t!("sign-out")) }
                            }
                        }
                    }
                    @if let Some(signed_in) = signed_in {
                        nav aria-label=(t!("nav-main")) {
                            ul {
                                @for (href, label) in links(signed_in.caller.actor.role) {
                                    li { a href=(href) { (label) } }
                                }
                            }
                        }
                        div.who {
                            span data-testid="who" {
                                (t!("signed-in-as")) " " strong { bdi { (signed_in.caller.actor.id.as_str()) } }
                                " (" (role_label(signed_in.caller.actor.role)) ")"
                            }
                            form method="post" action="/ui/sign-out" {
                                button.link type="submit" { (t!("sign-out")) }
                            }
                        }
                    }
                    (languages(lang, caseworker))
                }
                @if signed_in.is_some_and(|s| retur_app::may_read(s.caller.actor.role, retur_app::Read::People)) {
                    div.finder { (super::search::search_box()) }
                }
                @if let Some(now) = super::PageContext::current().manual_clock {
                    div.banner.training role="status" data-testid="manual-clock" {
                        strong { (t!("training-clock")) }
                        " " (t!("training-clock-time")) " " (super::local_time(now)) ". "
                        (t!("training-not-real"))
                    }
                }
                main id="main" tabindex="-1" { (body) }
            }
        }
    }
}

/// The switch between the languages the page exists in: one button each, named in its own
/// language, sending the reader back to the page they are on.
fn languages(current: Lang, caseworker: bool) -> Markup {
    let back = super::PageContext::current().path;
    html! {
        form.languages method="post" action="/ui/language" aria-label=(t!("language-switch")) {
            input type="hidden" name="back" value=(back);
            @for lang in Lang::ALL {
                @if !caseworker || lang.for_caseworkers() {
                    button.link type="submit" name="lang" value=(lang.code()) lang=(lang.code())
                        dir=(lang.dir()) aria-current=[(lang == current).then_some("true")]
                        disabled[lang == current] { (lang.own_name()) }
                }
            }
        }
    }
}

/// The places a role goes to.
fn links(role: Role) -> Vec<(&'static str, String)> {
    match role {
        Role::Udi | Role::Une | Role::Iom => vec![
            ("/ui/queues", t!("nav-work-queues")),
            ("/ui/stats", t!("nav-statistics")),
        ],
        Role::Auditor => vec![
            ("/ui/audit", t!("nav-audit")),
            ("/ui/queues", t!("nav-queues")),
            ("/ui/stats", t!("nav-statistics")),
        ],
        Role::Applicant => vec![("/ui", t!("nav-my-cases"))],
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

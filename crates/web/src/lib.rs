//! The web pages: what UDI, UNE and IOM caseworkers, applicants and auditors work in. A crate of
//! its own above the app: it reads and commands only through `Cases` and the app's rules
//! (`may_read`, need-to-know), and reads its forms through the API's wire format, so no page can
//! decide what a role may do.
//!
//! Plain HTML rendered on the server (maud), one small stylesheet, no script and no build step:
//! every page works with a keyboard and a screen reader because it is only links, forms,
//! tables and labelled fields. The pages sit on the same token check and call the same
//! `Cases` methods as the API's routes, so what a role may see and do is decided in one place;
//! the session is the token itself, kept in an `HttpOnly`, `SameSite=Strict` cookie.

mod applicant;
mod audit;
mod case;
mod charts;
mod confirm;
mod diagram;
mod forms;
mod i18n;
mod layout;
mod letters;
mod notes;
mod person;
mod queues;
mod search;
mod session;
mod stats;
mod timeline;

use std::sync::Arc;

use axum::Router;
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use maud::html;
use retur_app::{CommandError, Rejection};

use i18n::t;
use retur_api::ApiState;
pub(crate) use session::SignedIn;

/// What every page is sent with: pages hold personal data, so no cache keeps them; no other
/// site may frame them or send their forms elsewhere; nothing but our own stylesheet loads.
const HEADERS: [(&str, &str); 5] = [
    ("cache-control", "no-store"),
    (
        "content-security-policy",
        "default-src 'none'; style-src 'self'; img-src 'self'; form-action 'self'; \
         frame-ancestors 'none'; base-uri 'none'",
    ),
    ("x-content-type-options", "nosniff"),
    ("referrer-policy", "same-origin"),
    ("x-frame-options", "DENY"),
];

async fn page_headers(response: Response) -> Response {
    with_page_headers(response)
}

fn with_page_headers(mut response: Response) -> Response {
    let headers = response.headers_mut();
    for (name, value) in HEADERS {
        // The stylesheet keeps its own caching.
        if name == "cache-control" && headers.contains_key(header::CACHE_CONTROL) {
            continue;
        }
        headers.insert(name, header::HeaderValue::from_static(value));
    }
    response
}

/// The pages, under `/ui`; `/` leads there. Each request's body is read whole first (a body over
/// the limit gets a page saying so), and each is logged and counted as the API's are.
pub fn router(state: Arc<ApiState>) -> Router {
    pages()
        .layer(axum::middleware::map_response(page_headers))
        .layer(axum::middleware::from_fn_with_state(
            state.clone(),
            with_context,
        ))
        .layer(axum::extract::DefaultBodyLimit::max(
            retur_api::body::BODY_LIMIT,
        ))
        .layer(axum::middleware::from_fn(|request, next| {
            retur_api::body::read_whole_answering(request, next, too_large)
        }))
        .layer(axum::middleware::from_fn(retur_api::request_context))
        .with_state(state)
}

tokio::task_local! {
    /// What every page of one request shows in its frame, whichever handler makes it: its
    /// language and the time of a clock set by hand. A task-local, because pages are also made
    /// where no state reaches (an error turned into its page), and all of them run inside the
    /// request's task.
    static CONTEXT: std::cell::RefCell<PageContext>;
}

/// See [`CONTEXT`].
#[derive(Clone, Debug, Default)]
pub(crate) struct PageContext {
    /// The page's own path and query, for a form that comes back to it.
    pub(crate) path: String,
    /// The case system's time, when its clock is set by hand.
    pub(crate) manual_clock: Option<chrono::DateTime<chrono::Utc>>,
    /// The language of the page: the one the reader chose on the pages, else the first their
    /// browser asks for that the pages are written in, else bokmål.
    pub(crate) lang: i18n::Lang,
    /// The same for a caseworker's or an auditor's page, which exist in fewer languages.
    pub(crate) work_lang: i18n::Lang,
}

impl PageContext {
    /// The context of the request being answered (none outside one, as in a unit test).
    pub(crate) fn current() -> PageContext {
        CONTEXT
            .try_with(|context| context.borrow().clone())
            .unwrap_or_default()
    }

    /// The language of the request's pages.
    pub(crate) fn lang() -> i18n::Lang {
        CONTEXT
            .try_with(|context| context.borrow().lang)
            .unwrap_or_default()
    }

    /// From here on, the request's pages are a caseworker's or an auditor's, in their language.
    pub(crate) fn at_work() {
        let _ = CONTEXT.try_with(|context| {
            let mut current = context.borrow_mut();
            current.lang = current.work_lang;
        });
    }

    /// Runs `f` as though it made a page in `lang` (for tests of what pages write).
    #[cfg(test)]
    pub(crate) fn with_lang<T>(lang: i18n::Lang, f: impl FnOnce() -> T) -> T {
        let context = PageContext {
            lang,
            work_lang: lang,
            ..PageContext::default()
        };
        CONTEXT.sync_scope(std::cell::RefCell::new(context), f)
    }
}

async fn with_context(
    axum::extract::State(state): axum::extract::State<Arc<ApiState>>,
    request: axum::extract::Request,
    next: axum::middleware::Next,
) -> Response {
    let chosen = session::cookie(request.headers(), i18n::COOKIE)
        .as_deref()
        .and_then(i18n::Lang::parse);
    let asked = request
        .headers()
        .get(header::ACCEPT_LANGUAGE)
        .and_then(|value| value.to_str().ok())
        .unwrap_or_default();
    let lang = chosen
        .or_else(|| i18n::Lang::from_accept_language(asked, i18n::Lang::any))
        .unwrap_or_default();
    let work_lang = chosen
        .filter(|lang| lang.for_caseworkers())
        .or_else(|| i18n::Lang::from_accept_language(asked, i18n::Lang::for_caseworkers))
        .unwrap_or_default();
    // A page answering a form comes back to the page the form was on, never to the form's
    // own address, which is no page.
    let path = if request.method() == axum::http::Method::GET {
        request
            .uri()
            .path_and_query()
            .map(|p| p.as_str().to_owned())
    } else {
        request
            .headers()
            .get(header::REFERER)
            .and_then(|value| value.to_str().ok())
            .and_then(|referer| referer.parse::<axum::http::Uri>().ok())
            .and_then(|uri| uri.path_and_query().map(|p| p.as_str().to_owned()))
    }
    .filter(|path| path.starts_with("/ui"))
    .unwrap_or_else(|| "/ui".to_owned());
    let context = PageContext {
        path,
        manual_clock: state.manual_clock.as_ref().map(|_| state.cases.now()),
        lang,
        work_lang,
    };
    CONTEXT
        .scope(std::cell::RefCell::new(context), next.run(request))
        .await
}

fn pages() -> Router<Arc<ApiState>> {
    Router::new()
        .route("/", get(|| async { Redirect::to("/ui") }))
        .route("/ui", get(home))
        .route("/ui/style.css", get(style))
        .route("/ui/sign-in", get(session::form).post(session::sign_in))
        .route("/ui/sign-out", post(session::sign_out))
        .route("/ui/language", post(session::choose_language))
        .route("/ui/queues", get(queues::page))
        .route("/ui/cases/{case_id}", get(case::page))
        .route("/ui/cases/{case_id}/claim", post(queues::claim))
        .route("/ui/cases/{case_id}/release", post(queues::release))
        .route("/ui/cases/{case_id}/notes", post(notes::write))
        .route(
            "/ui/cases/{case_id}/letters/{position}",
            get(letters::download),
        )
        .route("/ui/cases/{case_id}/commands/{command}", post(forms::send))
        .route("/ui/time-travel", get(case::time_travel))
        .route("/ui/audit", get(audit::page).post(audit::against))
        .route("/ui/stats", get(stats::page))
        .route("/ui/search", get(search::page))
        .route("/ui/people/{person_id}", get(person::page))
}

/// Where each role starts: its queues, the audit, or an applicant's own cases.
async fn home(
    axum::extract::State(state): axum::extract::State<Arc<ApiState>>,
    signed_in: SignedIn,
) -> Result<Response, PageError> {
    use retur_domain::Role;
    Ok(match signed_in.caller.actor.role {
        Role::Udi | Role::Une | Role::Iom => Redirect::to("/ui/queues").into_response(),
        Role::Auditor => Redirect::to("/ui/audit").into_response(),
        Role::Applicant => applicant::own_cases(&state, &signed_in)
            .await?
            .into_response(),
        Role::System => layout::page(
            &t!("system-title"),
            Some(&signed_in),
            html! {
                h1 { (t!("system-title")) }
                p { (t!("system-text")) }
            },
        )
        .into_response(),
    })
}

async fn style() -> Response {
    (
        [
            (header::CONTENT_TYPE, "text/css; charset=utf-8"),
            (header::CACHE_CONTROL, "public, max-age=3600"),
        ],
        include_str!("style.css"),
    )
        .into_response()
}

/// Why a page cannot be shown: a page of its own, with the status code the API would give.
#[derive(Debug)]
pub(crate) enum PageError {
    /// The caller's role may not see this.
    Forbidden(String),
    NotFound(String),
    /// The request itself is wrong (a malformed id in the address).
    BadRequest(String),
    /// The system could not do its work; logged, and the caller told so.
    Failed(String),
}

impl From<retur_app::Forbidden> for PageError {
    fn from(forbidden: retur_app::Forbidden) -> Self {
        PageError::Forbidden(i18n::in_page_language(forbidden.reason, || {
            t!("error-forbidden-text", role = role_label(forbidden.role))
        }))
    }
}

impl From<CommandError> for PageError {
    fn from(error: CommandError) -> Self {
        match error {
            CommandError::Rejected(Rejection::Forbidden(forbidden)) => forbidden.into(),
            CommandError::Rejected(Rejection::NoSuchCase { case_id }) => {
                PageError::NotFound(t!("case-none", case = case_id.to_string()))
            }
            CommandError::Rejected(Rejection::Refused(refusal)) => {
                PageError::BadRequest(i18n::refusal(&refusal))
            }
            CommandError::Rejected(rejection) => {
                PageError::BadRequest(i18n::in_page_language(rejection.to_string(), || {
                    t!("error-rejected")
                }))
            }
            CommandError::Failed(failure) => PageError::Failed(failure.to_string()),
        }
    }
}

impl From<retur_app::Failure> for PageError {
    fn from(failure: retur_app::Failure) -> Self {
        PageError::Failed(failure.to_string())
    }
}

/// The page for a path no route has, with every page's headers (for the running system's
/// fallback, which no router's layers reach).
pub fn not_found(detail: &str) -> Response {
    with_page_headers(PageError::NotFound(detail.to_owned()).into_response())
}

impl IntoResponse for PageError {
    fn into_response(self) -> Response {
        let (status, title, detail) = match self {
            PageError::Forbidden(reason) => (StatusCode::FORBIDDEN, t!("error-forbidden"), reason),
            PageError::NotFound(what) => (StatusCode::NOT_FOUND, t!("error-not-found"), what),
            PageError::BadRequest(what) => (StatusCode::BAD_REQUEST, t!("error-bad-request"), what),
            PageError::Failed(problem) => {
                tracing::error!(%problem, "a page could not be made");
                (
                    StatusCode::INTERNAL_SERVER_ERROR,
                    t!("error-failed"),
                    t!("error-failed-text"),
                )
            }
        };
        let body = html! {
            h1 { (title) }
            p { (detail) }
            p { a href="/ui" { (t!("back-to-start")) } }
        };
        (status, layout::error_page(&title, body)).into_response()
    }
}

/// A path on these pages that a form names to go to afterwards (`next`, `back`): none, or one
/// that starts with a single `/` and holds no control character. A redirect carries it in a
/// header, where a line break would end the header; such a form is refused before anything is
/// done. Whether it is one of our pages is the caller's to check.
pub(crate) fn local_path<'a>(
    field: &str,
    path: Option<&'a str>,
) -> Result<Option<&'a str>, PageError> {
    match path {
        Some(path) if path.chars().any(char::is_control) => Err(PageError::BadRequest(t!(
            "error-control-characters",
            field = field
        ))),
        Some(path) if !path.starts_with('/') || path.starts_with("//") => Ok(None),
        other => Ok(other),
    }
}

/// The page for a body over the limit.
fn too_large(detail: &str) -> Response {
    let body = html! {
        h1 { (t!("error-too-large")) }
        p { (detail) }
        p { (t!("nothing-changed")) }
        p { a href="/ui" { (t!("back-to-start")) } }
    };
    (
        StatusCode::PAYLOAD_TOO_LARGE,
        layout::error_page(&t!("error-too-large"), body),
    )
        .into_response()
}

/// A case id from the address, or a page that says it is not one.
pub(crate) fn case_id(text: &str) -> Result<retur_domain::CaseId, PageError> {
    text.trim()
        .parse()
        .map_err(|_: retur_domain::InvalidValue| {
            PageError::BadRequest(t!("error-not-a-case", text = text.trim().to_owned()))
        })
}

/// A code (`hand_over_to_iom`, `under_review`) as words in the page's language (`Overfør til
/// IOM`, `Under behandling`): every code the pages show has its message `code-…`. A code without
/// one (a new one) reads as the English words its parts make, never as itself.
pub(crate) fn words(name: &str) -> String {
    i18n::code(name).unwrap_or_else(|| english_words(name))
}

fn english_words(name: &str) -> String {
    let mut text = String::with_capacity(name.len());
    for (i, word) in name.split('_').enumerate() {
        if i > 0 {
            text.push(' ');
        }
        match word {
            "udi" | "une" | "iom" | "duf" | "eea" | "usd" | "nok" => {
                text.push_str(&word.to_uppercase())
            }
            _ if i == 0 => {
                let mut chars = word.chars();
                if let Some(first) = chars.next() {
                    text.extend(first.to_uppercase());
                    text.push_str(chars.as_str());
                }
            }
            _ => text.push_str(word),
        }
    }
    text
}

/// A code as words inside a sentence (`handed_to_iom`: `handed to IOM`): the first letter is
/// small unless its word is an abbreviation.
pub(crate) fn phrase(name: &str) -> String {
    let text = words(name);
    let first_word = text.split(' ').next().unwrap_or_default();
    if first_word.chars().filter(|c| c.is_alphabetic()).count() > 1
        && first_word.chars().all(|c| !c.is_lowercase())
    {
        return text;
    }
    let mut chars = text.chars();
    match chars.next() {
        Some(first) => first.to_lowercase().chain(chars).collect(),
        None => text,
    }
}

/// What a role is called on the page.
pub(crate) fn role_label(role: retur_domain::Role) -> String {
    use retur_domain::Role;
    match role {
        Role::Applicant => t!("role-applicant"),
        Role::Udi => t!("role-udi"),
        Role::Une => t!("role-une"),
        Role::Iom => t!("role-iom"),
        Role::System => t!("role-system"),
        Role::Auditor => t!("role-auditor"),
    }
}

/// A moment as the people at work read it: Norwegian local time with its zone, the exact time
/// beneath.
pub(crate) fn local_time(at: chrono::DateTime<chrono::Utc>) -> maud::Markup {
    html! { time datetime=(at.to_rfc3339()) { (i18n::time(at)) } }
}

/// Today, as the programme reckons dates: in Norway.
pub(crate) fn today(state: &ApiState) -> chrono::NaiveDate {
    retur_domain::calendar::oslo_date(state.cases.now())
}

#[cfg(test)]
mod tests {
    use super::i18n::Lang;
    use super::{PageContext, phrase, words};

    #[test]
    fn codes_read_as_words_in_the_pages_language() {
        PageContext::with_lang(Lang::En, || {
            assert_eq!(words("hand_over_to_iom"), "Hand over to IOM");
            assert_eq!(words("under_review"), "Under review");
            assert_eq!(words("dismiss_appeal_at_une"), "Dismiss appeal at UNE");
            assert_eq!(phrase("handed_to_iom"), "handed to IOM");
            assert_eq!(phrase("iom_or_airline"), "IOM or airline");
            // A code nobody has given words yet still reads as words.
            assert_eq!(words("not_yet_named_iom"), "Not yet named IOM");
        });
        PageContext::with_lang(Lang::Nb, || {
            assert_eq!(words("under_review"), "Under behandling");
            assert_eq!(words("hand_over_to_iom"), "Overfør til IOM");
            assert_eq!(phrase("under_review"), "under behandling");
            assert_eq!(phrase("forwarded_to_une"), "sendt til UNE");
        });
        PageContext::with_lang(Lang::Ar, || {
            assert_eq!(words("approved"), "تمت الموافقة");
            // The caseworkers' codes are not in Arabic: English, not the code.
            assert_eq!(words("begin_review"), "Begin review");
        });
    }

    /// Every state, command, event and queue has words in bokmål and English (a code the
    /// pages show as itself is a test failure); the applicant's states in Arabic too.
    #[test]
    fn every_code_the_pages_show_has_words() {
        use retur_domain::lifecycle::CommandKind;
        use retur_domain::{Relation, Status};
        let mut codes: Vec<String> = Status::ALL.iter().map(|s| s.name().to_owned()).collect();
        codes.extend(CommandKind::ALL.iter().map(|k| k.name().to_owned()));
        codes.extend(
            retur_domain::event::EVENT_TYPES
                .iter()
                .map(|t| (*t).to_owned()),
        );
        codes.extend(
            Status::ALL
                .iter()
                .filter_map(|s| s.queue())
                .map(str::to_owned),
        );
        for relation in [
            Relation::PrincipalApplicant,
            Relation::Child,
            Relation::OtherRelative,
        ] {
            codes.push(
                serde_json::to_value(relation)
                    .unwrap()
                    .as_str()
                    .unwrap()
                    .to_owned(),
            );
        }
        for lang in [Lang::Nb, Lang::En] {
            PageContext::with_lang(lang, || {
                let missing: Vec<_> = codes
                    .iter()
                    .filter(|code| super::i18n::code(code).is_none())
                    .collect();
                assert!(missing.is_empty(), "{lang:?} has no words for {missing:?}");
            });
        }
        PageContext::with_lang(Lang::Ar, || {
            for status in Status::ALL {
                let arabic = words(status.name());
                assert!(
                    arabic.chars().any(|c| ('\u{600}'..='\u{6ff}').contains(&c)),
                    "{status:?} reads {arabic:?} in Arabic"
                );
            }
        });
    }
}

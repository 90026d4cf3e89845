//! Signing in and out. The session is the bearer token itself, checked on every request exactly
//! as the API checks it, and kept in a cookie the page's script could not read even if there
//! were one (`HttpOnly`) and that no other site's form can send (`SameSite=Strict`). Every form
//! that changes something is also refused when the browser says it came from another origin.

use std::sync::Arc;

use axum::extract::{Form, FromRequestParts, Query, State};
use axum::http::request::Parts;
use axum::http::{HeaderMap, Method, StatusCode, header};
use axum::response::{IntoResponse, Redirect, Response};
use maud::html;
use retur_app::Caller;
use serde::Deserialize;

use super::i18n::t;
use super::layout;
use retur_api::ApiState;

const COOKIE: &str = "retur_session";

/// A caller signed in to the pages.
#[derive(Debug)]
pub(crate) struct SignedIn {
    pub(crate) caller: Caller,
}

impl FromRequestParts<Arc<ApiState>> for SignedIn {
    type Rejection = Response;

    async fn from_request_parts(
        parts: &mut Parts,
        state: &Arc<ApiState>,
    ) -> Result<Self, Self::Rejection> {
        if parts.method != Method::GET && parts.method != Method::HEAD {
            same_origin(&parts.headers)?;
        }
        let back = parts
            .uri
            .path_and_query()
            .map_or("/ui", |p| p.as_str())
            .to_owned();
        let Some(token) = cookie(&parts.headers, COOKIE) else {
            return Err(to_sign_in(&back, None));
        };
        match state.keys.caller(&token) {
            Ok(caller) => {
                if caller.actor.role != retur_domain::Role::Applicant {
                    super::PageContext::at_work();
                }
                Ok(SignedIn { caller })
            }
            Err(error) => Err(to_sign_in(&back, Some(error.to_string()))),
        }
    }
}

/// To the sign-in page, coming back to `back` afterwards; a stale cookie is cleared.
fn to_sign_in(back: &str, problem: Option<String>) -> Response {
    let mut target = format!("/ui/sign-in?next={}", encode(back));
    if problem.is_some() {
        target.push_str("&expired=1");
    }
    let mut response = Redirect::to(&target).into_response();
    if problem.is_some() {
        response
            .headers_mut()
            .insert(header::SET_COOKIE, clear_cookie());
    }
    response
}

/// Refuses a form sent from another origin. Browsers say where a request comes from in
/// `Sec-Fetch-Site` and `Origin`; where neither is sent (an old browser, curl), the
/// `SameSite=Strict` cookie is the defence.
#[allow(clippy::result_large_err)]
fn same_origin(headers: &HeaderMap) -> Result<(), Response> {
    let text = |name: &str| headers.get(name).and_then(|v| v.to_str().ok());
    let refused = || super::PageError::Forbidden(t!("error-cross-site")).into_response();
    if let Some(site) = text("sec-fetch-site")
        && !matches!(site, "same-origin" | "none")
    {
        return Err(refused());
    }
    if let (Some(origin), Some(host)) = (text("origin"), text("host")) {
        let origin_host = origin.split_once("://").map_or(origin, |(_, rest)| rest);
        if origin_host != host {
            return Err(refused());
        }
    }
    Ok(())
}

pub(crate) fn cookie(headers: &HeaderMap, name: &str) -> Option<String> {
    headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|value| value.to_str().ok())
        .flat_map(|value| value.split(';'))
        .filter_map(|pair| pair.trim().split_once('='))
        .find(|(key, _)| *key == name)
        .map(|(_, value)| value.to_owned())
        .filter(|value| !value.is_empty())
}

fn clear_cookie() -> header::HeaderValue {
    header::HeaderValue::from_static(
        "retur_session=; Path=/ui; HttpOnly; SameSite=Strict; Max-Age=0",
    )
}

/// Percent-encodes a path for a query parameter.
pub(crate) fn encode(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for byte in text.bytes() {
        if byte.is_ascii_alphanumeric() || b"-_.~/".contains(&byte) {
            out.push(byte as char);
        } else {
            out.push_str(&format!("%{byte:02X}"));
        }
    }
    out
}

/// Only a page of ours to go back to: never another site.
fn safe_next(next: Option<&str>) -> &str {
    next.filter(|n| n.starts_with("/ui") && !n.starts_with("/ui/sign-"))
        .unwrap_or("/ui")
}

#[derive(Deserialize)]
pub(crate) struct SignInQuery {
    next: Option<String>,
    expired: Option<String>,
    signed_out: Option<String>,
}

pub(crate) async fn form(Query(query): Query<SignInQuery>) -> Response {
    let notice = if query.signed_out.is_some() {
        Some(("notice", t!("signed-out")))
    } else if query.expired.is_some() {
        Some(("error", t!("session-ended")))
    } else {
        None
    };
    sign_in_page(query.next.as_deref(), notice, None, StatusCode::OK)
}

fn sign_in_page(
    next: Option<&str>,
    notice: Option<(&str, String)>,
    error: Option<&str>,
    status: StatusCode,
) -> Response {
    let body = html! {
        h1 { (t!("sign-in")) }
        @if let Some((kind, text)) = notice { (layout::banner(kind, html! { (text) })) }
        form.card method="post" action="/ui/sign-in" {
            input type="hidden" name="next" value=(safe_next(next));
            div.field.invalid[error.is_some()] {
                label for="token" { (t!("sign-in-token")) }
                p.hint id="token-hint" { (t!("sign-in-token-hint")) }
                @if let Some(error) = error {
                    p.error id="token-error" { (error) }
                }
                textarea id="token" name="token" rows="4" required autocomplete="off"
                    spellcheck="false"
                    aria-describedby={ "token-hint" @if error.is_some() { " token-error" } }
                    aria-invalid=[error.map(|_| "true")] {}
            }
            button type="submit" { (t!("sign-in")) }
        }
    };
    (status, layout::page(&t!("sign-in"), None, body)).into_response()
}

#[derive(Deserialize)]
pub(crate) struct SignInForm {
    token: String,
    next: Option<String>,
}

pub(crate) async fn sign_in(
    State(state): State<Arc<ApiState>>,
    headers: HeaderMap,
    Form(form): Form<SignInForm>,
) -> Response {
    if let Err(refused) = same_origin(&headers) {
        return refused;
    }
    if let Err(refused) = super::local_path("next", form.next.as_deref()) {
        return refused.into_response();
    }
    let token = form.token.trim();
    let next = form.next.as_deref();
    if token.is_empty() {
        return sign_in_page(
            next,
            None,
            Some(&t!("sign-in-paste")),
            StatusCode::UNPROCESSABLE_ENTITY,
        );
    }
    let claims = match state.keys.check(token).and_then(|claims| {
        state.keys.caller(token)?;
        Ok(claims)
    }) {
        Ok(claims) => claims,
        Err(error) => {
            return sign_in_page(
                next,
                None,
                Some(&t!("sign-in-refused", problem = error.to_string())),
                StatusCode::UNPROCESSABLE_ENTITY,
            );
        }
    };
    let seconds = (claims.exp - chrono::Utc::now().timestamp()).max(0);
    // Behind a proxy that ends TLS, the cookie is never sent over plain HTTP.
    let secure = headers
        .get("x-forwarded-proto")
        .is_some_and(|proto| proto.as_bytes().eq_ignore_ascii_case(b"https"));
    let cookie = format!(
        "{COOKIE}={token}; Path=/ui; HttpOnly; SameSite=Strict; Max-Age={seconds}{}",
        if secure { "; Secure" } else { "" }
    );
    let mut response = Redirect::to(safe_next(next)).into_response();
    if let Ok(value) = header::HeaderValue::from_str(&cookie) {
        response.headers_mut().insert(header::SET_COOKIE, value);
    }
    response
}

pub(crate) async fn sign_out(headers: HeaderMap) -> Response {
    if let Err(refused) = same_origin(&headers) {
        return refused;
    }
    let mut response = Redirect::to("/ui/sign-in?signed_out=1").into_response();
    response
        .headers_mut()
        .insert(header::SET_COOKIE, clear_cookie());
    response
}

#[derive(Deserialize)]
pub(crate) struct LanguageForm {
    lang: String,
    back: Option<String>,
}

/// The reader chooses the pages' language; a cookie remembers it for a year, on this browser.
pub(crate) async fn choose_language(
    headers: HeaderMap,
    Form(form): Form<LanguageForm>,
) -> Response {
    if let Err(refused) = same_origin(&headers) {
        return refused;
    }
    let back = match super::local_path("back", form.back.as_deref()) {
        Ok(back) => back.filter(|back| back.starts_with("/ui")).unwrap_or("/ui"),
        Err(refused) => return refused.into_response(),
    };
    let Some(lang) = super::i18n::Lang::parse(&form.lang) else {
        return super::PageError::BadRequest(t!("language-unknown", lang = form.lang.clone()))
            .into_response();
    };
    let mut response = Redirect::to(back).into_response();
    let cookie = format!(
        "{}={}; Path=/; SameSite=Lax; Max-Age=31536000",
        super::i18n::COOKIE,
        lang.code()
    );
    if let Ok(value) = header::HeaderValue::from_str(&cookie) {
        response.headers_mut().insert(header::SET_COOKIE, value);
    }
    response
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn goes_back_only_to_our_own_pages() {
        assert_eq!(safe_next(Some("/ui/cases/x")), "/ui/cases/x");
        assert_eq!(safe_next(Some("https://elsewhere.example/ui")), "/ui");
        assert_eq!(safe_next(Some("//elsewhere.example")), "/ui");
        assert_eq!(safe_next(Some("/ui/sign-out")), "/ui");
        assert_eq!(safe_next(None), "/ui");
    }

    #[test]
    fn forms_from_another_site_are_refused() {
        let mut headers = HeaderMap::new();
        headers.insert("host", "127.0.0.1:8080".parse().unwrap());
        headers.insert("origin", "http://127.0.0.1:8080".parse().unwrap());
        assert!(same_origin(&headers).is_ok());
        headers.insert("origin", "http://evil.example".parse().unwrap());
        assert!(same_origin(&headers).is_err());
        headers.remove("origin");
        headers.insert("sec-fetch-site", "cross-site".parse().unwrap());
        assert!(same_origin(&headers).is_err());
        headers.insert("sec-fetch-site", "same-origin".parse().unwrap());
        assert!(same_origin(&headers).is_ok());
    }

    #[test]
    fn reads_its_cookie_among_others() {
        let mut headers = HeaderMap::new();
        headers.insert("cookie", "a=1; retur_session=tok.en; b=2".parse().unwrap());
        assert_eq!(cookie(&headers, COOKIE).as_deref(), Some("tok.en"));
        headers.insert("cookie", "retur_session=".parse().unwrap());
        assert_eq!(cookie(&headers, COOKIE), None);
    }
}

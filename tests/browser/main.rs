//! The web pages in a real browser: Debian's headless Chromium, driven over WebDriver by
//! chromedriver (fantoccini), against a real server on port 0 with its projections running, as
//! `retur serve` runs them.
//!
//! Each main page is also checked with axe-core, the accessibility engine of the field, against
//! WCAG 2.1 A and AA (labels, contrast, names of controls, structure); `.ci/run` installs it
//! from npm into `target/axe` (or `RETUR_AXE` names its `axe.min.js`).
//!
//! Without Chromium and chromedriver (or axe-core) the tests say so and pass, unless
//! `RETUR_REQUIRE_BROWSER=1` (as CI sets it), when they fail. `RETUR_SCREENSHOTS=dir` keeps a
//! screenshot of each main page there (as in `docs/screenshots`).

mod languages;
mod pages;

use std::io::Write;
use std::path::PathBuf;
use std::process::Stdio;
use std::sync::Arc;
use std::time::Duration;

use chrono::{NaiveTime, Utc};
use fantoccini::{Client, ClientBuilder, Locator};
use retur_api::{Keys, TokenClaims};
use retur_app::{Cases, Clock, ManualClock};
use retur_testkit::TestDatabase;
use serde_json::json;
use uuid::Uuid;

const SECRET: &[u8] = b"a test secret that is long enough for HS256 signing";
/// How long a page may take to show what a test waits for.
const PATIENCE: Duration = Duration::from_secs(15);

/// A running server, as `retur serve` runs it: the pages, the API, and the projections
/// catching up beside them.
struct Server {
    base: String,
    keys: Keys,
    clock: Arc<ManualClock>,
    cases: Cases,
    _running: retur::Running,
    _database: TestDatabase,
}

async fn server() -> Server {
    let database = TestDatabase::sqlite();
    let now = chrono::NaiveDate::from_ymd_opt(2025, 3, 3)
        .expect("date")
        .and_time(NaiveTime::from_hms_opt(9, 0, 0).expect("morning"))
        .and_utc();
    let clock = Arc::new(ManualClock::new(now));
    let system = retur::System::open(&database.url(), clock.clone())
        .await
        .expect("the system");
    let serving = retur::Serving {
        keys: Arc::new(Keys::from_secret(SECRET).expect("keys")),
        manual_clock: Some(clock.clone()),
        deadlines_every: None,
        projections: true,
    };
    let running = retur::spawn_app(&system, serving)
        .await
        .expect("the server");
    Server {
        base: running.base.clone(),
        keys: Keys::from_secret(SECRET).expect("keys"),
        clock,
        cases: system.cases.clone(),
        _running: running,
        _database: database,
    }
}

impl Server {
    fn token(&self, role: &str, actor: &str, cases: &[Uuid]) -> String {
        self.keys
            .issue(&TokenClaims {
                sub: actor.into(),
                role: role.into(),
                cases: cases.to_vec(),
                exp: Utc::now().timestamp() + 3600,
                nbf: None,
            })
            .expect("a token")
    }

    fn later(&self, days: i64) {
        self.clock.advance(chrono::Duration::days(days));
    }

    fn today(&self) -> String {
        retur_domain::calendar::oslo_date(self.clock.now()).to_string()
    }
}

/// The browser and its driver, or why there is none.
struct Driver {
    _process: tokio::process::Child,
    url: String,
}

fn tool(variable: &str, default: &str) -> Option<PathBuf> {
    let path = std::env::var_os(variable).map_or_else(|| PathBuf::from(default), PathBuf::from);
    path.exists().then_some(path)
}

/// chromedriver on a free port, or `None` (after saying so) when the browser is not installed.
async fn driver() -> Option<Driver> {
    let (Some(chromedriver), Some(_)) = (
        tool("RETUR_CHROMEDRIVER", "/usr/bin/chromedriver"),
        tool("RETUR_CHROMIUM", "/usr/bin/chromium"),
    ) else {
        let message = "the browser tests were SKIPPED: no Chromium and chromedriver \
                       (Debian: apt-get install chromium chromium-driver)";
        if require_browser() {
            panic!("RETUR_REQUIRE_BROWSER=1, but {message}");
        }
        // Straight to the terminal: the test harness captures `eprintln!` of passing tests.
        let _ = writeln!(std::io::stderr(), "NOTE: {message}");
        return None;
    };
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .expect("a free port")
        .port();
    let process = tokio::process::Command::new(chromedriver)
        .arg(format!("--port={port}"))
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .kill_on_drop(true)
        .spawn()
        .expect("start chromedriver");
    let url = format!("http://127.0.0.1:{port}");
    let http = reqwest::Client::new();
    for _ in 0..100 {
        if http
            .get(format!("{url}/status"))
            .send()
            .await
            .is_ok_and(|r| r.status().is_success())
        {
            return Some(Driver {
                _process: process,
                url,
            });
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    panic!("chromedriver did not answer on port {port}");
}

/// One browser window, headless.
struct Browser {
    client: Client,
    base: String,
    shots: Option<PathBuf>,
    /// axe-core's script, to check pages with.
    axe: Option<String>,
}

fn require_browser() -> bool {
    std::env::var_os("RETUR_REQUIRE_BROWSER").is_some_and(|v| v == "1")
}

/// axe-core's script, or `None` (after saying so) when it is not installed.
fn axe() -> Option<String> {
    let path = std::env::var_os("RETUR_AXE").map_or_else(
        || {
            PathBuf::from(env!("CARGO_MANIFEST_DIR"))
                .join("../target/axe/node_modules/axe-core/axe.min.js")
        },
        PathBuf::from,
    );
    match std::fs::read_to_string(&path) {
        Ok(script) => Some(script),
        Err(_) => {
            let message = format!(
                "the accessibility checks were SKIPPED: no axe-core at {} \
                 (npm install --prefix target/axe axe-core@4.14.1)",
                path.display()
            );
            if require_browser() {
                panic!("RETUR_REQUIRE_BROWSER=1, but {message}");
            }
            let _ = writeln!(std::io::stderr(), "NOTE: {message}");
            None
        }
    }
}

async fn browser(driver: &Driver, base: &str) -> Browser {
    browser_in(driver, base, "en-GB,en").await
}

/// A browser whose reader asks for pages in `language` (an `Accept-Language` list).
async fn browser_in(driver: &Driver, base: &str, language: &str) -> Browser {
    let chromium = tool("RETUR_CHROMIUM", "/usr/bin/chromium").expect("checked");
    let profile = std::env::temp_dir().join(format!("retur-chromium-{}", Uuid::new_v4()));
    let mut capabilities = serde_json::Map::new();
    capabilities.insert(
        "goog:chromeOptions".into(),
        json!({
            "binary": chromium,
            "args": [
                "--headless", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                "--no-first-run", "--disable-background-networking",
                "--disable-component-update", "--disable-sync", "--disable-quic",
                "--window-size=1280,1000", format!("--lang={language}"),
                format!("--user-data-dir={}", profile.display()),
            ],
            // Headless Chromium asks for the language of its preferences, not of `--lang`.
            "prefs": { "intl.accept_languages": language },
        }),
    );
    let client = ClientBuilder::new(hyper_util::client::legacy::connect::HttpConnector::new())
        .capabilities(capabilities)
        .connect(&driver.url)
        .await
        .expect("a browser session");
    let shots = std::env::var_os("RETUR_SCREENSHOTS").map(PathBuf::from);
    Browser {
        client,
        base: base.to_owned(),
        shots,
        axe: axe(),
    }
}

impl Browser {
    async fn open(&self, path: &str) {
        self.client
            .goto(&format!("{}{path}", self.base))
            .await
            .expect("open a page");
    }

    async fn path(&self) -> String {
        let url = self.client.current_url().await.expect("the address");
        match url.query() {
            Some(query) => format!("{}?{query}", url.path()),
            None => url.path().to_owned(),
        }
    }

    /// The page's HTML, folded parts included.
    async fn source(&self) -> String {
        self.client.source().await.expect("the page's source")
    }

    /// What the page says, as a reader sees it.
    async fn text(&self) -> String {
        // A page that is being replaced may lose its body between finding and reading it.
        let mut tries = 0;
        loop {
            let body = self.client.find(Locator::Css("body")).await;
            match body {
                Ok(body) => match body.text().await {
                    Ok(text) => return text,
                    Err(error) if tries > 20 => panic!("the page's text: {error}"),
                    Err(_) => {}
                },
                Err(error) if tries > 20 => panic!("the page's body: {error}"),
                Err(_) => {}
            }
            tries += 1;
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
    }

    /// Waits until the page says `needle`, reloading it if `reload` (a read model catching up).
    async fn wait_for_text(&self, needle: &str, reload: bool) -> String {
        let start = std::time::Instant::now();
        loop {
            let text = self.text().await;
            if text.contains(needle) {
                return text;
            }
            if start.elapsed() > PATIENCE {
                panic!(
                    "the page at {} never said {needle:?}; it says:\n{text}",
                    self.path().await
                );
            }
            tokio::time::sleep(Duration::from_millis(200)).await;
            if reload {
                self.client.refresh().await.expect("reload");
            }
        }
    }

    async fn find(&self, css: &str) -> fantoccini::elements::Element {
        match self.client.find(Locator::Css(css)).await {
            Ok(element) => element,
            Err(error) => panic!(
                "no {css} on {}: {error}\n{}",
                self.path().await,
                self.text().await
            ),
        }
    }

    async fn exists(&self, css: &str) -> bool {
        !self
            .client
            .find_all(Locator::Css(css))
            .await
            .expect("a search")
            .is_empty()
    }

    /// Opens the sign-in page, pastes a token and sends it.
    async fn send_token(&self, token: &str) {
        self.open("/ui/sign-in").await;
        self.paste_token(token).await;
    }

    /// Pastes a token into the sign-in form on the page and sends it.
    async fn paste_token(&self, token: &str) {
        self.find("#token")
            .await
            .send_keys(token)
            .await
            .expect("type");
        self.find("form[action='/ui/sign-in'] button[type=submit]")
            .await
            .click()
            .await
            .expect("sign in");
    }

    async fn sign_in(&self, token: &str) {
        self.send_token(token).await;
        let start = std::time::Instant::now();
        while self.path().await.starts_with("/ui/sign-in") {
            assert!(start.elapsed() < PATIENCE, "still on the sign-in page");
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
    }

    async fn sign_out(&self) {
        self.find("header form[action='/ui/sign-out'] button")
            .await
            .click()
            .await
            .expect("sign out");
        let start = std::time::Instant::now();
        while !self.path().await.starts_with("/ui/sign-in?signed_out=1") {
            assert!(start.elapsed() < PATIENCE, "never signed out");
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
    }

    /// Reloads the page until it links to `case` (a queue the case is yet to reach).
    async fn wait_for_case(&self, case: Uuid) {
        let link = format!("a[href='/ui/cases/{case}']");
        let start = std::time::Instant::now();
        while !self.exists(&link).await {
            assert!(
                start.elapsed() < PATIENCE,
                "{} never listed case {case}: {}",
                self.path().await,
                self.text().await
            );
            tokio::time::sleep(Duration::from_millis(200)).await;
            self.client.refresh().await.expect("reload");
        }
    }

    /// Fills a command's form on the case page (opening it if it is folded) and sends it.
    async fn give(&self, command: &str, fields: &[(&str, &str)]) {
        let form = format!("form[data-command='{command}']");
        let summary = format!("details:has(> {form}) > summary");
        if self.exists(&summary).await
            && !self.exists(&format!("details[open]:has(> {form})")).await
        {
            self.find(&summary)
                .await
                .click()
                .await
                .expect("open the form");
        }
        for (name, value) in fields {
            let field = self.find(&format!("{form} [name='{name}']")).await;
            let kind = field.attr("type").await.expect("type").unwrap_or_default();
            let tag = field.tag_name().await.expect("tag");
            if tag == "select" {
                field.select_by_value(value).await.expect("choose");
            } else if kind == "checkbox" {
                let box_ = self
                    .find(&format!("{form} [name='{name}'][value='{value}']"))
                    .await;
                box_.click().await.expect("tick");
            } else if kind == "date" || kind == "time" {
                // Typing into a date or time field follows the browser's locale; set the value.
                self.client
                    .execute(
                        "arguments[0].value = arguments[1];",
                        vec![serde_json::to_value(&field).expect("element"), json!(value)],
                    )
                    .await
                    .expect("set a date");
            } else {
                field.clear().await.expect("clear");
                field.send_keys(value).await.expect("type");
            }
        }
        // The page being left is marked, so that nothing on it is taken for the answer.
        self.leave().await;
        self.find(&format!("{form} button[type=submit]"))
            .await
            .click()
            .await
            .expect("send");
    }

    /// Marks the page as the one being left.
    async fn leave(&self) {
        self.client
            .execute("document.documentElement.dataset.left = 'yes';", vec![])
            .await
            .expect("mark the page");
    }

    /// Waits until the page a form was sent from has been replaced by the answer.
    async fn wait_for_answer(&self) {
        let start = std::time::Instant::now();
        while self.exists("html[data-left]").await {
            assert!(start.elapsed() < PATIENCE, "the form was never answered");
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
    }

    /// Gives a command and waits for the page to say it was recorded.
    async fn record(&self, command: &str, fields: &[(&str, &str)]) {
        self.give(command, fields).await;
        self.confirm_if_asked(command).await;
        self.wait_for_text_or_error("Recorded:").await;
        if !self.exists("[data-testid=recorded]").await {
            // What the page says went wrong, the form's problems first.
            let problems = self
                .client
                .execute(
                    "return [...document.querySelectorAll('.error-summary, p.error')]
                       .map(e => e.textContent.trim()).join(' | ');",
                    vec![],
                )
                .await
                .unwrap_or_default();
            panic!(
                "{command} was not recorded: {problems}\n{}",
                self.text().await
            );
        }
    }

    /// What cannot be undone asks for a second step: confirms it when the page asks.
    async fn confirm_if_asked(&self, command: &str) {
        self.wait_for_answer().await;
        let confirm = format!("form.confirm[data-confirm='{command}'] button[type=submit]");
        let start = std::time::Instant::now();
        while start.elapsed() < PATIENCE {
            if self.exists(&confirm).await {
                self.leave().await;
                self.find(&confirm).await.click().await.expect("confirm");
                self.wait_for_answer().await;
                return;
            }
            if self.exists("[data-testid=recorded]").await
                || self
                    .exists("p.error, .error-summary, .banner.conflict")
                    .await
            {
                return;
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
    }

    /// Waits for `needle` (or the banner saying a command was recorded, in any language), or
    /// for an error on the page (then returns the page, to be shown).
    async fn wait_for_text_or_error(&self, needle: &str) -> String {
        let start = std::time::Instant::now();
        loop {
            let text = self.text().await;
            if text.contains(needle)
                || self.exists("[data-testid=recorded]").await
                || self
                    .exists("p.error, .error-summary, .banner.conflict")
                    .await
                || start.elapsed() > PATIENCE
            {
                return text;
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
    }

    /// The case's state, by its code (the page shows it in words, in its language).
    async fn state(&self) -> String {
        self.find("[data-testid=state]")
            .await
            .attr("data-state")
            .await
            .expect("the state")
            .unwrap_or_default()
    }

    /// A main page: checked for accessibility, and kept as a screenshot when asked to.
    async fn check_page(&self, name: &str) {
        self.accessible(name).await;
        self.screenshot(name).await;
    }

    /// axe-core finds no violation of WCAG 2.1 A or AA on the page.
    async fn accessible(&self, name: &str) {
        let Some(axe) = &self.axe else { return };
        self.client
            .execute(&format!("{axe}\n;return true;"), vec![])
            .await
            .expect("load axe-core");
        let found = self
            .client
            .execute_async(
                r#"const done = arguments[arguments.length - 1];
                axe.run(document, { runOnly: { type: 'tag',
                        values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'] } })
                    .then(r => done(r.violations.map(v => ({ id: v.id, impact: v.impact,
                        help: v.help, nodes: v.nodes.slice(0, 5).map(n => n.target.join(' ')) }))))
                    .catch(e => done('axe failed: ' + e));"#,
                vec![],
            )
            .await
            .expect("run axe-core");
        assert_eq!(
            found,
            json!([]),
            "{name}: accessibility violations at {}",
            self.path().await
        );
    }

    /// Keeps a screenshot of the whole page, when asked to.
    async fn screenshot(&self, name: &str) {
        self.screenshot_at(name, 1280).await;
    }

    /// Keeps a screenshot of the whole page `width` pixels wide, when asked to.
    async fn screenshot_at(&self, name: &str, width: u32) {
        let Some(dir) = &self.shots else { return };
        let height = self
            .client
            .execute("return document.documentElement.scrollHeight;", vec![])
            .await
            .ok()
            .and_then(|h| h.as_u64())
            .unwrap_or(1000)
            .clamp(600, 4000);
        let _ = self
            .client
            .set_window_size(width, height as u32 + 120)
            .await;
        let png = self.client.screenshot().await.expect("a screenshot");
        std::fs::create_dir_all(dir).expect("the screenshot folder");
        std::fs::write(dir.join(format!("{name}.png")), png).expect("write a screenshot");
        let _ = self.client.set_window_size(1280, 1000).await;
    }

    async fn close(self) {
        let _ = self.client.close().await;
    }
}

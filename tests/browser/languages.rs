//! The pages in the reader's language and on any screen: a UDI caseworker in bokmål, an
//! applicant in Arabic, right to left, and every main page at 360 and at 1280 pixels wide
//! without sideways scrolling, accessible in each language.

use uuid::Uuid;

use crate::{Browser, PATIENCE, browser_in, driver, server};

impl Browser {
    /// How many elements match `css`.
    async fn count(&self, css: &str) -> usize {
        self.client
            .find_all(fantoccini::Locator::Css(css))
            .await
            .map_or(0, |found| found.len())
    }

    /// Whether the page is wider than the window, so that the reader must scroll sideways.
    async fn scrolls_sideways(&self) -> bool {
        self.client
            .execute(
                "return document.documentElement.scrollWidth > window.innerWidth;",
                vec![],
            )
            .await
            .expect("the page's width")
            .as_bool()
            .unwrap_or(true)
    }

    /// The page at 360 px (a small phone) and at 1280 px: no sideways scrolling at either,
    /// and no accessibility violation.
    async fn fits_any_screen(&self, name: &str) {
        for width in [360, 1280] {
            self.client
                .set_window_size(width, 900)
                .await
                .expect("resize");
            self.client.refresh().await.expect("reload");
            if self.scrolls_sideways().await {
                let wide = self
                    .client
                    .execute(
                        "return [...document.querySelectorAll('body *')]
                           .filter(e => e.getBoundingClientRect().right > window.innerWidth + 1)
                           .slice(0, 8)
                           .map(e => e.tagName + '.' + e.className + ' ' +
                                     Math.round(e.getBoundingClientRect().right));",
                        vec![],
                    )
                    .await
                    .expect("the widest elements");
                panic!(
                    "{name} scrolls sideways at {width} px: {}: {wide}",
                    self.path().await
                );
            }
            let shot = if width == 360 {
                format!("{name}-360")
            } else {
                name.to_owned()
            };
            self.screenshot_at(&shot, width).await;
        }
        self.accessible(name).await;
    }

    /// An attribute of the page's `<html>` (read by script: the page may be being replaced).
    async fn html_attribute(&self, name: &str) -> String {
        self.client
            .execute(
                "return document.documentElement.getAttribute(arguments[0]) || '';",
                vec![serde_json::json!(name)],
            )
            .await
            .ok()
            .and_then(|value| value.as_str().map(str::to_owned))
            .unwrap_or_default()
    }

    /// Chooses a language with the switch on every page.
    async fn choose_language(&self, code: &str) {
        self.find(&format!("form.languages button[value='{code}']"))
            .await
            .click()
            .await
            .expect("choose a language");
        let start = std::time::Instant::now();
        while self.html_attribute("lang").await != code {
            assert!(start.elapsed() < PATIENCE, "the page never turned {code}");
            tokio::time::sleep(std::time::Duration::from_millis(100)).await;
        }
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn an_applicant_in_arabic_and_a_caseworker_in_bokmal_on_any_screen() {
    let Some(driver) = driver().await else { return };
    let server = server().await;
    // A browser set to Arabic, then to bokmål: the reader's own language, not ours.
    let page = browser_in(&driver, &server.base, "ar").await;
    let case = Uuid::now_v7();

    // The applicant applies in Arabic, right to left, with countries named in Arabic.
    page.sign_in(&server.token("applicant", "applicant-selam", &[case]))
        .await;
    assert_eq!(page.html_attribute("lang").await, "ar");
    assert_eq!(page.html_attribute("dir").await, "rtl");
    page.open(&format!("/ui/cases/{case}")).await;
    let text = page.text().await;
    assert!(text.contains("طلب العودة الطوعية المدعومة"), "{text}");
    let source = page.source().await;
    assert!(source.contains(">إثيوبيا<"), "countries by name: {source}");
    page.fits_any_screen("apply-ar").await;
    // A household of any size: room for one more person each time it is asked for.
    assert_eq!(
        page.count("form[data-command=submit] fieldset.member")
            .await,
        3
    );
    page.find("button[name=_add_member]")
        .await
        .click()
        .await
        .expect("add a person");
    let start = std::time::Instant::now();
    while page
        .count("form[data-command=submit] fieldset.member")
        .await
        != 4
    {
        assert!(
            start.elapsed() < PATIENCE,
            "no room was made for a fourth person"
        );
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    page.record(
        "submit",
        &[
            ("household[0].full_name", "Selam Tesfaye"),
            ("household[0].date_of_birth", "1990-01-15"),
            ("household[3].relation", "child"),
            ("household[3].full_name", "Yonas Tesfaye"),
            ("household[3].date_of_birth", "2019-06-02"),
            ("nationality", "ET"),
            ("return_country", "ET"),
            ("final_destination", "Addis Ababa"),
            ("situation", "asylum_refused"),
            ("contact.phone", "+47 912 34 567"),
            ("contact.language", "ti"),
            ("contact.needs_interpreter", "true"),
        ],
    )
    .await;
    assert_eq!(page.state().await, "submitted");
    let text = page.text().await;
    assert!(
        text.contains("لقد استلمنا طلبك"),
        "where my case stands: {text}"
    );
    assert!(
        !text.contains("Version") && !text.contains("standard-2024"),
        "nothing internal: {text}"
    );
    assert!(
        !page.exists("svg.lifecycle").await,
        "no diagram for applicants"
    );
    // The reference is issued with the application and shown to the applicant.
    let reference = page
        .find("[data-testid=reference]")
        .await
        .text()
        .await
        .expect("a reference");
    assert!(reference.starts_with("2025-"), "{reference}");
    page.fits_any_screen("applicant-ar").await;
    // Withdrawing asks first, and says what it means, in Arabic.
    page.give("withdraw", &[]).await;
    let text = page.wait_for_text("لا يمكن التراجع عن هذا", false).await;
    assert!(text.contains("أنت تسحب طلبك"), "{text}");
    page.fits_any_screen("withdraw-ar").await;
    page.find("form.confirm a")
        .await
        .click()
        .await
        .expect("go back without withdrawing");
    page.wait_for_text("لقد استلمنا طلبك", false).await;
    assert_eq!(page.state().await, "submitted", "nothing was withdrawn");
    page.sign_out().await;

    // A UDI caseworker whose browser asks for Arabic works in bokmål (the caseworkers'
    // pages are not in Arabic); the switch to English is remembered, and back to bokmål.
    server.later(2);
    page.sign_in(&server.token("udi", "udi-kari", &[])).await;
    assert_eq!(page.html_attribute("lang").await, "nb");
    assert_eq!(page.html_attribute("dir").await, "ltr");
    assert!(
        !page.exists("form.languages button[value='ar']").await,
        "no Arabic to choose on a caseworker's page"
    );
    page.choose_language("en").await;
    page.open("/ui/queues").await;
    assert_eq!(page.html_attribute("lang").await, "en", "remembered");
    page.choose_language("nb").await;
    let text = page.text().await;
    assert!(
        text.contains("Arbeidskøer") && text.contains("Til vedtak"),
        "{text}"
    );
    page.fits_any_screen("queues-nb").await;

    // The search box finds the applicant by a part of her name, in any case.
    page.find("#search-q")
        .await
        .send_keys("tesf")
        .await
        .expect("type");
    page.find("form.search button")
        .await
        .click()
        .await
        .expect("search");
    let start = std::time::Instant::now();
    while !page.path().await.starts_with("/ui/search") {
        assert!(start.elapsed() < PATIENCE, "the search never answered");
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    let text = page.wait_for_text("Selam Tesfaye", false).await;
    assert!(
        text.contains("2 personer funnet."),
        "the applicant and her son: {text}"
    );
    assert!(text.contains(&reference), "{text}");
    assert!(text.contains("født 15.01.1990"), "Norwegian dates: {text}");
    page.fits_any_screen("search-nb").await;
    // Her name leads to her page: every case she appears in, her son in it linked; in
    // English too.
    page.find("ul.hits a")
        .await
        .click()
        .await
        .expect("to her page");
    let text = page.wait_for_text("Saker personen er med i", false).await;
    assert!(
        text.contains("Yonas Tesfaye (barn"),
        "her son, linked: {text}"
    );
    assert!(text.contains(&format!("sak {reference}")), "{text}");
    page.fits_any_screen("person-nb").await;
    page.choose_language("en").await;
    let text = page
        .wait_for_text("Cases this person appears in", false)
        .await;
    assert!(
        text.contains("15 Jan 1990") && text.contains("Yonas Tesfaye (child, born 2 Jun 2019)"),
        "{text}"
    );
    page.fits_any_screen("person-en").await;
    page.choose_language("nb").await;
    page.find("ol.appearances h3 a")
        .await
        .click()
        .await
        .expect("to the case");
    page.wait_for_text("Tidslinje", false).await;
    let text = page.text().await;
    assert!(text.contains(&format!("Sak {reference}")), "{text}");
    assert!(
        text.contains("Søkeren søkte om assistert retur til Etiopia for 2 personer."),
        "{text}"
    );
    assert!(text.contains("03.03.2025"), "Norwegian dates: {text}");
    assert!(text.contains("CET"), "times with their zone: {text}");
    assert!(
        text.contains("+47 912 34 567, tigrinja, trenger tolk"),
        "how to reach her: {text}"
    );
    assert!(
        page.exists("[data-testid=dangerous] form[data-command=erase_personal_data]")
            .await,
        "erasing stands apart as dangerous"
    );
    page.fits_any_screen("case-nb").await;

    // Approving shows what it would give, and asks first.
    page.record("begin_review", &[]).await;
    let preview = page
        .find("[data-testid=approval-preview]")
        .await
        .text()
        .await
        .expect("what approval gives");
    assert!(preview.contains("kr"), "in kroner: {preview}");
    assert!(
        preview.contains("Standardsatser (2024)"),
        "rates in words: {preview}"
    );
    page.give("approve", &[]).await;
    let text = page.wait_for_text("Bekreft: Innvilg", false).await;
    assert!(text.contains("Dette kan ikke angres."), "{text}");
    assert!(page.exists("[data-testid=approval-preview]").await);
    page.fits_any_screen("approve-nb").await;
    page.find("form.confirm button[type=submit]")
        .await
        .click()
        .await
        .expect("confirm");
    page.wait_for_text("Registrert: Innvilg.", false).await;
    assert_eq!(page.state().await, "approved");
    let timeline = page
        .find("ol.timeline")
        .await
        .text()
        .await
        .expect("a timeline");
    assert!(timeline.contains("UDI innvilget søknaden:"), "{timeline}");
    assert!(timeline.contains("for 2 personer"), "{timeline}");
    page.sign_out().await;

    // The applicant, in Arabic, reads that it was approved.
    page.sign_in(&server.token("applicant", "applicant-selam", &[case]))
        .await;
    page.choose_language("ar").await;
    page.open(&format!("/ui/cases/{case}")).await;
    let text = page.text().await;
    assert!(text.contains("وافقت مديرية الهجرة على طلبك"), "{text}");
    assert!(
        text.contains("يجب أن تكون قد سافرت قبل"),
        "the travel deadline: {text}"
    );
    page.fits_any_screen("approved-ar").await;
    page.sign_out().await;
    page.fits_any_screen("sign-in-ar").await;

    // The auditor's pages, in bokmål, fit a phone too.
    page.sign_in(&server.token("auditor", "auditor-eva", &[]))
        .await;
    page.choose_language("nb").await;
    page.open("/ui/audit").await;
    assert!(page.text().await.contains("Revisjon") || page.text().await.contains("revisjon"));
    page.fits_any_screen("audit-nb").await;
    page.open("/ui/stats").await;
    page.fits_any_screen("stats-nb").await;
    page.close().await;
}

//! The OpenAPI document: every route is in it, every route in it answers, and it names every
//! command the domain knows.

use std::collections::BTreeSet;

use retur_domain::lifecycle::CommandKind;
use serde_json::Value;

use crate::Server;

/// Every route the API serves, as (method, path template).
const ROUTES: [(&str, &str); 19] = [
    ("get", "/health"),
    ("post", "/clock"),
    ("get", "/metrics"),
    ("get", "/openapi.json"),
    ("get", "/cases/{case_id}"),
    ("get", "/cases/{case_id}/history"),
    ("post", "/cases/{case_id}/commands"),
    ("get", "/cases/{case_id}/claim"),
    ("post", "/cases/{case_id}/claim"),
    ("delete", "/cases/{case_id}/claim"),
    ("get", "/cases/{case_id}/notes"),
    ("post", "/cases/{case_id}/notes"),
    ("get", "/cases/{case_id}/letters"),
    ("get", "/cases/{case_id}/letters/{position}"),
    ("post", "/letters/verify"),
    ("get", "/queues/{agency}"),
    ("get", "/stats"),
    ("get", "/payouts"),
    ("get", "/audit/verify"),
];

/// Routes that need no token.
const OPEN: [&str; 3] = ["/health", "/metrics", "/openapi.json"];

pub(crate) async fn every_route_is_documented_and_every_documented_route_answers(server: &Server) {
    let response = server
        .client
        .get(format!("{}/openapi.json", server.base))
        .send()
        .await
        .expect("a response");
    assert_eq!(response.status().as_u16(), 200);
    let document: Value = response.json().await.expect("the document is JSON");
    assert!(
        document["openapi"]
            .as_str()
            .is_some_and(|v| v.starts_with("3.")),
        "an OpenAPI 3 document: {}",
        document["openapi"]
    );

    let mut documented = BTreeSet::new();
    for (path, item) in document["paths"].as_object().expect("paths") {
        for method in item.as_object().expect("a path item").keys() {
            documented.insert((method.clone(), path.clone()));
        }
    }
    let served: BTreeSet<(String, String)> = ROUTES
        .iter()
        .map(|(method, path)| ((*method).to_owned(), (*path).to_owned()))
        .collect();
    assert_eq!(documented, served, "the document lists exactly the routes");

    // Every documented operation is routed: without a token, an open one answers and a
    // guarded one asks for a token; none is 404 or 405.
    let case = uuid::Uuid::now_v7();
    for (method, path) in &documented {
        let url = format!(
            "{}{}",
            server.base,
            path.replace("{case_id}", &case.to_string())
                .replace("{agency}", "udi")
                .replace("{position}", "1")
        );
        let request = match method.as_str() {
            "get" => server.client.get(&url),
            "post" => server.client.post(&url).body("{}"),
            "delete" => server.client.delete(&url),
            other => panic!("an unexpected method {other}"),
        };
        let status = request.send().await.expect("a response").status().as_u16();
        let operation = &document["paths"][path][method];
        let open = OPEN.contains(&path.as_str());
        assert_eq!(
            operation["security"] == serde_json::json!([{}]),
            open,
            "{method} {path}: the document says whether it needs a token"
        );
        if open {
            assert_eq!(status, 200, "{method} {path} answers without a token");
        } else {
            assert_eq!(status, 401, "{method} {path} asks for a token");
        }
    }

    // The command's schema names every command the domain has, in the wire form.
    let variants = document["components"]["schemas"]["CommandDto"]["oneOf"]
        .as_array()
        .expect("the command is one of its variants");
    let in_document: BTreeSet<String> = variants
        .iter()
        .map(|v| {
            v["properties"]["command"]["enum"][0]
                .as_str()
                .expect("each variant names its command")
                .to_owned()
        })
        .collect();
    let in_domain: BTreeSet<String> = CommandKind::ALL
        .iter()
        .map(|kind| kind.name().to_owned())
        .collect();
    assert_eq!(in_document, in_domain);
}

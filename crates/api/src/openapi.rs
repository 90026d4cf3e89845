//! The OpenAPI 3 document, generated from the routes and the DTOs (utoipa). Served at
//! `/openapi.json`; a test checks that every route is in it and that a sample of every command
//! is valid against its schema.

use serde_json::{Value, json};
use utoipa::openapi::security::{Http, HttpAuthScheme, SecurityScheme};
use utoipa::{Modify, OpenApi};

#[derive(OpenApi)]
#[openapi(
    info(
        title = "retur",
        description = "The case workflow of assisted return: applications, UDI's decisions, \
                       UNE's appeals, IOM's travel and payouts. Every request but `/health`, \
                       `/metrics` and `/openapi.json` carries a bearer token (a JWT) naming \
                       the caller's role and actor; each role sees and does only its own part. \
                       Every error is RFC 9457 problem+json."
    ),
    modifiers(&BearerToken),
    security(("bearer" = [])),
    tags(
        (name = "cases", description = "Commands, status and history of one case"),
        (name = "queues", description = "Each agency's work: queues, claims, statistics"),
        (name = "audit", description = "Replaying and verifying the log"),
        (name = "operations", description = "Health, metrics and this document"),
    )
)]
pub(crate) struct ApiDoc;

struct BearerToken;

impl Modify for BearerToken {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        let mut scheme = Http::new(HttpAuthScheme::Bearer);
        scheme.bearer_format = Some("JWT".to_owned());
        openapi
            .components
            .get_or_insert_with(Default::default)
            .add_security_scheme("bearer", SecurityScheme::Http(scheme));
    }
}

/// Rewrites the command's schema to its wire form, and lists the codes a refusal may name. serde reads a command externally tagged
/// (`{"refuse": {…}}`: only that form keeps the path of a bad field for the error message), and
/// the derived schema says so; on the wire the name is a field beside the others
/// (`{"command": "refuse", …}`), which [`crate::dto::CommandDto::parse`] turns into the first.
pub(crate) fn wire_form(document: &mut utoipa::openapi::OpenApi) {
    let Ok(mut value) = serde_json::to_value(&*document) else {
        return;
    };
    let schemas = &mut value["components"]["schemas"];
    let Some(variants) = schemas["CommandDto"]["oneOf"].as_array().cloned() else {
        return;
    };
    let wire: Vec<Value> = variants
        .into_iter()
        .filter_map(|variant| {
            let (name, inner) = variant["properties"].as_object()?.iter().next()?;
            let mut inner = match inner["$ref"].as_str() {
                Some(reference) => {
                    let target = reference.rsplit('/').next()?;
                    schemas[target].clone()
                }
                None => inner.clone(),
            };
            inner["type"] = json!("object");
            inner["title"] = json!(name);
            inner["additionalProperties"] = json!(false);
            let mut properties = serde_json::Map::new();
            properties.insert(
                "command".to_owned(),
                json!({ "type": "string", "enum": [name] }),
            );
            if let Some(fields) = inner["properties"].as_object() {
                properties.extend(fields.clone());
            }
            inner["properties"] = Value::Object(properties);
            let mut required = vec![json!("command")];
            if let Some(fields) = inner["required"].as_array() {
                required.extend(fields.iter().cloned());
            }
            inner["required"] = Value::Array(required);
            Some(inner)
        })
        .collect();
    schemas["CommandDto"]["oneOf"] = Value::Array(wire);
    // A refusal's `rule` is one of the domain's codes, each of them named.
    schemas["Problem"]["properties"]["rule"]["enum"] =
        json!(retur_domain::refusal::CODES.as_slice());
    if let Ok(rewritten) = serde_json::from_value(value) {
        *document = rewritten;
    }
}

//! `kefu-lint serve` against its OpenAPI 3.1 document
//! (`crates/kefu-lint-server/openapi.json`): the served document is the
//! file; every documented operation answers every status it documents, with
//! a body the documented schema accepts; no operation is left untested; a
//! documented path asked with another method answers 405; the document is
//! valid OpenAPI 3.1 (openapi-spec-validator from PyPI).

mod serve_support;

use std::collections::BTreeSet;
use std::io::{Read, Write};
use std::net::TcpStream;
use std::path::Path;
use std::time::Duration;

use serde_json::{Value, json};
use serve_support::{Answer, ROOT, Server};

/// The document, read from the repository.
fn document() -> Value {
    let text = std::fs::read_to_string(Path::new(ROOT).join("crates/kefu-lint-server/openapi.json")).expect("the file");
    serde_json::from_str(&text).expect("JSON")
}

/// Whether `value` is valid against the component schema `name`.
fn assert_schema(document: &Value, name: &str, value: &Value) {
    let schema = json!({
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$ref": format!("#/components/schemas/{name}"),
        "components": document["components"],
    });
    let validator = jsonschema::validator_for(&schema).expect("a valid schema");
    let errors: Vec<String> = validator
        .iter_errors(value)
        .map(|e| format!("{e} at {}", e.instance_path()))
        .collect();
    assert!(errors.is_empty(), "{name}: {errors:?}\n{value}");
}

/// A request of a test case.
#[derive(Clone, Copy, Debug)]
enum Send {
    Nothing,
    Json(&'static str),
    Form(&'static str),
    /// A body of this content type.
    Typed(&'static str, &'static str),
    /// A body larger than the server's limit, of this content type.
    TooLarge(&'static str),
    /// Half a body of this content type, then nothing until the time limit.
    Stalled(&'static str),
}

/// One documented answer and the request that gets it.
struct Case {
    method: &'static str,
    /// As documented (`/v1/rules/{id}`).
    template: &'static str,
    /// As asked (`/v1/rules/but`).
    path: &'static str,
    status: u16,
    send: Send,
}

const JSON: &str = "application/json";
const FORM: &str = "application/x-www-form-urlencoded";

fn cases() -> Vec<Case> {
    let case = |method, template, path, status, send| Case {
        method,
        template,
        path,
        status,
        send,
    };
    vec![
        case(
            "post",
            "/v1/check",
            "/v1/check",
            200,
            Send::Json(r#"{"replies": ["亲,我不能改价", "好的"]}"#),
        ),
        case("post", "/v1/check", "/v1/check", 400, Send::Json(r#"{"replies": [1]}"#)),
        case("post", "/v1/check", "/v1/check", 413, Send::TooLarge(JSON)),
        case("post", "/v1/check", "/v1/check", 415, Send::Typed("text/plain", "亲")),
        case("post", "/v1/check", "/v1/check", 503, Send::Stalled(JSON)),
        case(
            "post",
            "/v1/fix",
            "/v1/fix",
            200,
            Send::Json(r#"{"text": "但是你好", "unsafe": true}"#),
        ),
        case("post", "/v1/fix", "/v1/fix", 400, Send::Json(r#"{"unsafe": true}"#)),
        case("post", "/v1/fix", "/v1/fix", 413, Send::TooLarge(JSON)),
        case("post", "/v1/fix", "/v1/fix", 415, Send::Typed(FORM, "text=a")),
        case("post", "/v1/fix", "/v1/fix", 503, Send::Stalled(JSON)),
        case("get", "/v1/rules", "/v1/rules", 200, Send::Nothing),
        case("get", "/v1/rules/{id}", "/v1/rules/but", 200, Send::Nothing),
        case("get", "/v1/rules/{id}", "/v1/rules/%FF", 400, Send::Nothing),
        case("get", "/v1/rules/{id}", "/v1/rules/KF999", 404, Send::Nothing),
        case(
            "post",
            "/v2/check",
            "/v2/check",
            200,
            Send::Form("language=zh-CN&text=%E4%BD%A0%E5%A5%BD"),
        ),
        case("post", "/v2/check", "/v2/check", 400, Send::Form("text=a")),
        case("post", "/v2/check", "/v2/check", 413, Send::TooLarge(FORM)),
        case("post", "/v2/check", "/v2/check", 415, Send::Typed(JSON, "{}")),
        case("post", "/v2/check", "/v2/check", 503, Send::Stalled(FORM)),
        case(
            "get",
            "/v2/check",
            "/v2/check?language=zh-TW&text=%E5%97%AF",
            200,
            Send::Nothing,
        ),
        case("get", "/v2/check", "/v2/check?language=fr", 400, Send::Nothing),
        case("get", "/v2/languages", "/v2/languages", 200, Send::Nothing),
        case("get", "/healthz", "/healthz", 200, Send::Nothing),
        case("get", "/metrics", "/metrics", 200, Send::Nothing),
        case("get", "/openapi.json", "/openapi.json", 200, Send::Nothing),
    ]
}

/// Body limit of the server under test, bytes.
const LIMIT: usize = 4096;

/// Sends half a body and waits for the answer the time limit brings:
/// status and body.
fn stalled(server: &Server, path: &str, content_type: &str) -> (u16, String) {
    let mut stream = TcpStream::connect(&server.address).expect("connected");
    write!(
        stream,
        "POST {path} HTTP/1.1\r\nHost: x\r\nContent-Type: {content_type}\r\nContent-Length: 100\r\nConnection: close\r\n\r\n{{\"te"
    )
    .expect("sent");
    stream
        .set_read_timeout(Some(Duration::from_secs(20)))
        .expect("timeout set");
    let mut answer = Vec::new();
    let _ = stream.read_to_end(&mut answer);
    let answer = String::from_utf8(answer).expect("UTF-8");
    let status = answer.get(9..12).and_then(|s| s.parse().ok()).unwrap_or(0);
    let body = answer.split_once("\r\n\r\n").map_or("", |(_, b)| b).to_owned();
    (status, body)
}

/// Status, content type and body of `case` asked of `server`.
fn ask(server: &Server, case: &Case) -> (u16, Option<String>, String) {
    let of = |a: Answer| (a.status, a.header("content-type").map(str::to_owned), a.body);
    match case.send {
        Send::Nothing => of(server.request(&case.method.to_uppercase(), case.path, &[])),
        Send::Json(body) => of(server.post(case.path, JSON, body)),
        Send::Form(body) => of(server.post(case.path, FORM, body)),
        Send::Typed(content_type, body) => of(server.post(case.path, content_type, body)),
        Send::TooLarge(content_type) => of(server.post(case.path, content_type, "a".repeat(LIMIT + 1))),
        Send::Stalled(content_type) => {
            let (status, body) = stalled(server, case.path, content_type);
            (status, Some(JSON.to_owned()), body)
        }
    }
}

#[test]
fn every_documented_status_of_every_operation_is_answered_as_documented() {
    let document = document();
    let server = Server::start(&[
        "--no-config",
        "--max-body-bytes",
        &LIMIT.to_string(),
        "--timeout-seconds",
        "1",
    ]);
    let cases = cases();
    let mut documented = BTreeSet::new();
    for (path, operations) in document["paths"].as_object().expect("paths") {
        for (method, operation) in operations.as_object().expect("operations") {
            for status in operation["responses"].as_object().expect("responses").keys() {
                documented.insert((method.clone(), path.clone(), status.clone()));
            }
        }
    }
    let tested: BTreeSet<_> = cases
        .iter()
        .map(|c| (c.method.to_owned(), c.template.to_owned(), c.status.to_string()))
        .collect();
    assert_eq!(
        documented, tested,
        "every documented answer has a case, and no case is undocumented"
    );
    // The stalled requests take the time limit each: ask all at once.
    let answers: Vec<_> = std::thread::scope(|scope| {
        let asked: Vec<_> = cases.iter().map(|case| scope.spawn(|| ask(&server, case))).collect();
        asked.into_iter().map(|h| h.join().expect("asked")).collect()
    });
    for (case, (status, content_type, body)) in cases.iter().zip(answers) {
        let label = format!("{} {} → {}", case.method, case.path, case.status);
        assert_eq!(status, case.status, "{label}: {body}");
        let response = &document["paths"][case.template][case.method]["responses"][case.status.to_string()];
        let (media, spec) = response["content"]
            .as_object()
            .and_then(|c| c.iter().next())
            .expect("a documented content");
        let content_type = content_type.unwrap_or_default();
        assert!(
            content_type.starts_with(media.as_str()),
            "{label}: {content_type} is not {media}"
        );
        if media == JSON {
            let value: Value = serde_json::from_str(&body).expect("a JSON body");
            match spec["schema"]["$ref"].as_str() {
                Some(reference) => {
                    assert_schema(&document, reference.trim_start_matches("#/components/schemas/"), &value);
                }
                None => {
                    let languages = &spec["schema"]["items"]["$ref"];
                    if let Some(reference) = languages.as_str() {
                        for item in value.as_array().expect("a list") {
                            assert_schema(&document, reference.trim_start_matches("#/components/schemas/"), item);
                        }
                    }
                }
            }
        }
    }
}

#[test]
fn the_served_document_is_the_file_and_documented_paths_refuse_other_methods() {
    let server = Server::start(&["--no-config"]);
    let served = server.get("/openapi.json");
    assert_eq!(served.status, 200);
    let file = std::fs::read_to_string(Path::new(ROOT).join("crates/kefu-lint-server/openapi.json")).expect("the file");
    assert_eq!(
        served.body, file,
        "the binary serves the file as it is in the repository"
    );
    let document = document();
    assert_eq!(document["openapi"], "3.1.0");
    for (path, operations) in document["paths"].as_object().expect("paths") {
        let concrete = path.replace("{id}", "but");
        for method in ["DELETE", "PUT", "PATCH"] {
            assert!(
                !operations
                    .as_object()
                    .expect("operations")
                    .contains_key(&method.to_lowercase())
            );
            assert_eq!(
                server.request(method, &concrete, &[]).error_field(405),
                None,
                "{method} {path}"
            );
        }
    }
}

#[test]
fn the_documents_rule_names_are_the_built_in_rules() {
    let server = Server::start(&["--no-config"]);
    let listed = server.get("/v1/rules").json();
    let built_in: BTreeSet<String> = listed["rules"]
        .as_array()
        .expect("rules")
        .iter()
        .flat_map(|r| ["id", "name", "category"].map(|k| r[k].as_str().expect(k).to_owned()))
        .collect();
    let document = document();
    let named: BTreeSet<String> = document["components"]["schemas"]["RuleName"]["enum"]
        .as_array()
        .expect("an enum")
        .iter()
        .map(|n| n.as_str().expect("a name").to_owned())
        .collect();
    assert_eq!(named, built_in, "regenerate RuleName's enum from GET /v1/rules");
    // A selection that leaves nothing, and the requests the schema refuses, are 400.
    for body in [
        json!({ "text": "你", "select": [] }),
        json!({}),
        json!({ "text": "你", "ignore": ["nope"] }),
    ] {
        let answer = server.post_json("/v1/check", &body);
        assert_eq!(answer.status, 400, "{body}");
        let schema = json!({
            "$schema": "https://json-schema.org/draft/2020-12/schema",
            "$ref": "#/components/schemas/CheckRequest",
            "components": document["components"],
        });
        let validator = jsonschema::validator_for(&schema).expect("a valid schema");
        assert!(!validator.is_valid(&body), "the schema refuses {body} too");
    }
}

#[test]
fn the_document_is_valid_openapi_3_1() {
    let file = Path::new(ROOT).join("crates/kefu-lint-server/openapi.json");
    let out = std::process::Command::new(serve_support::python())
        .args([
            "-c",
            "import sys\nfrom openapi_spec_validator import validate\nfrom openapi_spec_validator.readers import read_from_filename\nspec, _ = read_from_filename(sys.argv[1])\nvalidate(spec)\nprint(spec['openapi'])",
        ])
        .arg(&file)
        .output()
        .expect("python runs");
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    assert_eq!(String::from_utf8_lossy(&out.stdout).trim(), "3.1.0");
}

#[test]
fn the_documents_request_examples_are_valid_and_answered() {
    let document = document();
    let server = Server::start(&["--no-config"]);
    for (schema, path) in [("CheckRequest", "/v1/check"), ("FixRequest", "/v1/fix")] {
        let examples = document["components"]["schemas"][schema]["examples"]
            .as_array()
            .expect("examples");
        assert!(!examples.is_empty());
        for example in examples {
            assert_schema(&document, schema, example);
            let answer = server.post_json(path, example);
            assert_eq!(answer.status, 200, "{example}: {}", answer.body);
        }
    }
    // And the schemas refuse what the server refuses.
    let schema = json!({
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$ref": "#/components/schemas/CheckRequest",
        "components": document["components"],
    });
    let validator = jsonschema::validator_for(&schema).expect("a valid schema");
    for refused in [
        json!({"txt": "a"}),
        json!({"text": 1}),
        json!({"text": "a", "mode": "drafts"}),
    ] {
        assert!(!validator.is_valid(&refused), "{refused}");
        assert_eq!(server.post_json("/v1/check", &refused).status, 400, "{refused}");
    }
}

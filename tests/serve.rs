//! `kefu-lint serve`, the native API: the real binary on an ephemeral port,
//! spoken to over HTTP. Each endpoint, offsets in three units with emoji,
//! Traditional in and out, the request options, every error status, the
//! limits, CORS and a graceful stop on a real SIGTERM.

mod serve_support;

use std::io::{Read, Write};
use std::net::TcpStream;
use std::time::{Duration, Instant};

use serde_json::{Value, json};
use serve_support::{Server, char_slice, utf16_slice};

/// Asserts that every finding's three spans (and its fix's edits') pick out
/// `matched` from `text` in the way each caller slices.
fn assert_offsets(text: &str, findings: &[Value]) {
    for f in findings {
        let n = |key: &str| usize::try_from(f[key].as_u64().expect(key)).expect("fits");
        let matched = f["matched"].as_str().expect("matched");
        assert_eq!(&text.as_bytes()[n("start")..n("end")], matched.as_bytes(), "{f}");
        assert_eq!(char_slice(text, n("char_start"), n("char_end")), matched, "{f}");
        assert_eq!(utf16_slice(text, n("utf16_start"), n("utf16_end")), matched, "{f}");
    }
}

fn findings(answer: &Value) -> Vec<Value> {
    answer["findings"].as_array().expect("findings").clone()
}

fn names(findings: &[Value]) -> Vec<&str> {
    findings.iter().map(|f| f["name"].as_str().expect("name")).collect()
}

#[test]
fn check_gives_findings_with_offsets_a_javascript_and_a_python_caller_can_slice() {
    let server = Server::start(&["--no-config"]);
    // An emoji (two UTF-16 units, one code point, four bytes) before each finding.
    let text = "亲😊,这个我不能给你改价哦🙏但是可以送您优惠券";
    let answer = server.post_json("/v1/check", &json!({ "text": text }));
    assert_eq!(answer.status, 200, "{}", answer.body);
    assert_eq!(answer.header("content-type"), Some("application/json"));
    let body = answer.json();
    let found = findings(&body);
    assert_eq!(names(&found), ["negative-ability", "ni-instead-of-nin", "but"]);
    assert_offsets(text, &found);
    let ni = &found[1];
    assert_eq!(
        (ni["char_start"].as_u64(), ni["utf16_start"].as_u64()),
        (Some(9), Some(10))
    );
    assert_eq!(ni["fix"]["applicability"], "safe");
    let edit = &ni["fix"]["edits"][0];
    assert_eq!(edit["replacement"], "您");
    assert_eq!(utf16_slice(text, 10, 11), "你");
    assert_eq!(
        (edit["utf16_start"].as_u64(), edit["utf16_end"].as_u64()),
        (Some(10), Some(11))
    );
    assert_eq!(body["counts"], json!({"error": 1, "warning": 2, "info": 0}));
    assert_eq!(body["failed"], true);
    let clean = server
        .post_json("/v1/check", &json!({ "text": "亲,店铺保证金已缴纳哦" }))
        .json();
    assert_eq!(
        clean,
        json!({"findings": [], "counts": {"error": 0, "warning": 0, "info": 0}, "failed": false, "truncated": false})
    );
}

#[test]
fn replies_are_answered_in_order_and_fail_on_sets_failed() {
    let server = Server::start(&["--no-config"]);
    let replies = ["亲,我不能给您改价", "亲,您好😊", "亲,你好"];
    let body = server.post_json("/v1/check", &json!({ "replies": replies })).json();
    let results = body["results"].as_array().expect("results");
    assert_eq!(results.len(), 3);
    for (reply, result) in replies.iter().zip(results) {
        assert_offsets(reply, &findings(result));
    }
    assert_eq!(names(&findings(&results[0])), ["negative-ability"]);
    assert!(findings(&results[1]).is_empty());
    assert_eq!(names(&findings(&results[2])), ["ni-instead-of-nin"]);
    assert_eq!(body["counts"]["error"], 1);
    assert_eq!(body["counts"]["warning"], 1);
    // 你 is a warning: it fails at warning (the default), not at error.
    let at = |fail_on: &str| {
        server
            .post_json("/v1/check", &json!({ "text": "亲,你好", "fail_on": fail_on }))
            .json()["failed"]
            .clone()
    };
    assert_eq!(
        (at("warning"), at("error"), at("info")),
        (json!(true), json!(false), json!(true))
    );
}

#[test]
fn a_traditional_reply_is_answered_in_traditional() {
    let server = Server::start(&["--no-config"]);
    let text = "親,我們保證明天到貨哦";
    let found = findings(&server.post_json("/v1/check", &json!({ "text": text })).json());
    assert_eq!(names(&found), ["over-promise"]);
    assert_eq!(found[0]["script"], "hant");
    assert_eq!(found[0]["matched"], "保證");
    assert!(
        found[0]["message"].as_str().expect("message").contains("絕對"),
        "{}",
        found[0]
    );
    assert!(
        found[0]["suggestions"]
            .as_array()
            .expect("suggestions")
            .contains(&json!("爭取"))
    );
    assert_offsets(text, &found);
    let fixed = server
        .post_json("/v1/fix", &json!({ "text": "親,你的訂單已經發貨了" }))
        .json();
    assert_eq!(fixed["text"], "親,您的訂單已經發貨了");
}

#[test]
fn mode_select_and_ignore_choose_the_rules_of_one_request() {
    let server = Server::start(&["--no-config"]);
    let text = "但是你的订单号是XX";
    let check = |options: Value| {
        let mut body = options;
        body["text"] = json!(text);
        let answer = server.post_json("/v1/check", &body);
        assert_eq!(answer.status, 200, "{}", answer.body);
        let found = findings(&answer.json());
        names(&found).into_iter().map(str::to_owned).collect::<Vec<_>>()
    };
    let all = check(json!({}));
    assert!(
        all.contains(&"placeholder".to_owned()) && all.contains(&"but".to_owned()),
        "{all:?}"
    );
    assert_eq!(check(json!({ "select": ["but"] })), ["but"]);
    assert_eq!(
        check(json!({ "select": ["KF007", "address"] })),
        ["but", "ni-instead-of-nin"]
    );
    assert!(!check(json!({ "ignore": ["but"] })).contains(&"but".to_owned()));
    assert!(!check(json!({ "mode": "library" })).contains(&"placeholder".to_owned()));
    // The same options again are answered the same (from the cached linter).
    assert_eq!(check(json!({ "select": ["but"] })), ["but"]);
    let wrong = server.post_json("/v1/check", &json!({ "text": text, "select": ["buut"] }));
    assert_eq!(wrong.error_field(400).as_deref(), Some("select"));
    assert!(
        wrong.json()["error"]["message"]
            .as_str()
            .expect("message")
            .contains("did you mean \"but\"?")
    );
    let wrong = server.post_json("/v1/check", &json!({ "text": text, "ignore": ["nope"] }));
    assert_eq!(wrong.error_field(400).as_deref(), Some("ignore"));
    let wrong = server.post_json("/v1/check", &json!({ "text": text, "mode": "drafts" }));
    assert_eq!(wrong.error_field(400).as_deref(), Some("mode"));
}

#[test]
fn fix_applies_safe_fixes_and_unsafe_ones_when_asked() {
    let server = Server::start(&["--no-config"]);
    let text = "😊你的订单已经发货了,但是会晚一天";
    let answer = server.post_json("/v1/fix", &json!({ "text": text }));
    assert_eq!(answer.status, 200, "{}", answer.body);
    let body = answer.json();
    assert_eq!(
        body["text"], "😊您的订单已经发货了,但是会晚一天",
        "but is an unsafe fix: kept"
    );
    assert_eq!(body["count"], 1);
    let applied = body["applied"].as_array().expect("applied");
    assert_eq!(names(applied), ["ni-instead-of-nin"]);
    assert_eq!(utf16_slice(text, 2, 3), "你");
    assert_eq!(applied[0]["utf16_start"], 2);
    let body = server
        .post_json("/v1/fix", &json!({ "text": text, "unsafe": true }))
        .json();
    assert_eq!(body["text"], "😊您的订单已经发货了,不过会晚一天");
    assert_eq!(
        names(body["applied"].as_array().expect("applied")),
        ["ni-instead-of-nin", "but"]
    );
    let body = server
        .post_json("/v1/fix", &json!({ "text": text, "unsafe": true, "ignore": ["but"] }))
        .json();
    assert_eq!(body["text"], "😊您的订单已经发货了,但是会晚一天");
    let missing = server.post_json("/v1/fix", &json!({ "unsafe": true }));
    assert_eq!(missing.error_field(400).as_deref(), Some("text"));
}

#[test]
fn fixes_that_undo_each_other_are_not_listed_as_applied() {
    let dir = tempfile::tempdir().expect("a temporary directory");
    std::fs::write(
        dir.path().join("yours.toml"),
        "[pack]\nname = \"yours\"\ndescription = \"d\"\n[[rule]]\nid = \"U001\"\nname = \"yours\"\n\
         category = \"shop\"\nseverity = \"warning\"\nsummary = \"s\"\nmessage = \"m\"\npatterns = [\"您的\"]\n\
         fix = { applicability = \"safe\", replacement = \"你的\" }\nsource = { seed = \"shop\", passage = \"p\" }\n",
    )
    .expect("written");
    let config = dir.path().join("kefu-lint.toml");
    std::fs::write(&config, "extend-packs = [\"yours.toml\"]\n").expect("written");
    let server = Server::start(&["--config", config.to_str().expect("UTF-8")]);
    let body = server.post_json("/v1/fix", &json!({ "text": "您的订单" })).json();
    assert_eq!(
        (&body["text"], &body["count"], &body["applied"]),
        (&json!("您的订单"), &json!(0), &json!([])),
        "the text comes back as sent: nothing was applied"
    );
}

#[test]
fn rules_are_listed_and_explained() {
    let server = Server::start(&["--no-config"]);
    let body = server.get("/v1/rules").json();
    let rules = body["rules"].as_array().expect("rules");
    let ids: Vec<&str> = rules.iter().map(|r| r["id"].as_str().expect("id")).collect();
    assert!(ids.contains(&"KF001") && ids.contains(&"KF011"), "{ids:?}");
    let mut unique = ids.clone();
    unique.sort_unstable();
    unique.dedup();
    assert_eq!(unique.len(), ids.len(), "ids are unique");
    let health = server.get("/healthz").json();
    assert_eq!(health, json!({"status": "ok", "rules": ids.len()}));
    for key in ["but", "KF007", "kf007"] {
        let rule = server.get(&format!("/v1/rules/{key}"));
        assert_eq!(rule.status, 200, "{key}: {}", rule.body);
        let rule = rule.json();
        assert_eq!(
            (&rule["id"], &rule["name"], &rule["fix"]),
            (&json!("KF007"), &json!("but"), &json!("unsafe"))
        );
        assert!(rule["explain"].as_str().expect("explain").contains("但是"), "{rule}");
    }
    let missing = server.get("/v1/rules/buut");
    assert_eq!(missing.error_field(404), None);
    assert!(missing.body.contains("did you mean but?"), "{}", missing.body);
    let long = server.get(&format!("/v1/rules/{}", "x".repeat(60_000)));
    assert_eq!(long.status, 404);
    assert!(
        long.body.len() < 500,
        "the name is repeated by its start: {} bytes",
        long.body.len()
    );
}

#[test]
fn metrics_count_requests_latency_and_findings_per_rule() {
    let server = Server::start(&["--no-config"]);
    server.post_json("/v1/check", &json!({ "text": "亲,我不能改价" }));
    server.post_json("/v1/check", &json!({ "replies": ["我不能", "但是"] }));
    server.get("/nowhere");
    let metrics = server.get("/metrics");
    assert_eq!(metrics.status, 200);
    assert!(
        metrics
            .header("content-type")
            .is_some_and(|t| t.starts_with("application/openmetrics-text"))
    );
    let text = metrics.body;
    for line in [
        "kefu_lint_http_requests_total{method=\"POST\",route=\"/v1/check\",status=\"200\"} 2",
        "kefu_lint_http_requests_total{method=\"GET\",route=\"unmatched\",status=\"404\"} 1",
        "kefu_lint_findings_total{rule=\"KF001\"} 2",
        "kefu_lint_findings_total{rule=\"KF007\"} 1",
        "kefu_lint_replies_checked_total 3",
        "kefu_lint_http_request_duration_seconds_count{route=\"/v1/check\"} 2",
    ] {
        assert!(text.lines().any(|l| l == line), "no line {line:?} in:\n{text}");
    }
    assert!(text.ends_with("# EOF\n"));
}

#[test]
fn malformed_requests_are_400_naming_the_field() {
    let server = Server::start(&["--no-config"]);
    let field = |body: &str| server.post("/v1/check", "application/json", body).error_field(400);
    assert_eq!(field("{\"text\": \"你好\""), Some("body".into()), "broken JSON");
    // A byte-order mark before the JSON is passed over (RFC 8259, 8.1).
    let answer = server.post("/v1/check", "application/json", "\u{feff}{\"text\": \"你的\"}");
    assert_eq!(answer.status, 200, "{}", answer.body);
    assert_eq!(answer.json()["findings"][0]["rule"], "KF011");
    // UTF-16 is refused as such, not as something that is no JSON object.
    let utf16: Vec<u8> = "{\"text\": \"你\"}".encode_utf16().flat_map(u16::to_le_bytes).collect();
    let answer = server.post("/v1/check", "application/json", &utf16);
    assert_eq!(answer.status, 400);
    assert!(answer.body.contains("the body is not UTF-8"), "{}", answer.body);
    // A form body with a byte-order mark reads its first field.
    let answer = server.post(
        "/v2/check",
        "application/x-www-form-urlencoded",
        "\u{feff}language=zh-CN&text=你的",
    );
    assert_eq!(answer.status, 200, "{}", answer.body);
    assert_eq!(
        field("{\"text\": \"你好\"} x"),
        Some("body".into()),
        "trailing characters"
    );
    assert_eq!(field("{\"replies\": [\"a\", 3]}"), Some("replies[1]".into()));
    assert_eq!(field("{\"txt\": \"你好\"}"), Some("txt".into()), "an unknown field");
    assert_eq!(field("{\"text\": 1}"), Some("text".into()));
    assert_eq!(field("{}"), Some("text".into()), "neither text nor replies");
    assert_eq!(
        field("{\"text\": \"a\", \"replies\": []}"),
        Some("replies".into()),
        "both"
    );
    assert_eq!(
        field("{\"text\": \"a\", \"fail_on\": \"fatal\"}"),
        Some("fail_on".into())
    );
    assert_eq!(field("{\"text\": \"a\", \"select\": \"but\"}"), Some("select".into()));
    assert_eq!(field("[]"), Some("body".into()));
    assert_eq!(
        field("{\"text\": \"\\ud800\"}"),
        Some("text".into()),
        "a lone surrogate"
    );
    let deep = format!("{}{}", "[".repeat(10_000), "]".repeat(10_000));
    assert!(field(&deep).is_some(), "nesting past the parser's limit");
}

#[test]
fn wrong_content_types_are_415_and_unknown_paths_and_methods_json() {
    let server = Server::start(&["--no-config"]);
    let answer = server.post("/v1/check", "text/plain", "{\"text\": \"你好\"}");
    assert_eq!(answer.error_field(415), None);
    let answer = server.post("/v1/fix", "application/x-www-form-urlencoded", "text=a");
    assert_eq!(answer.error_field(415), None);
    let answer = server.post("/v2/check", "application/json", "{}");
    assert_eq!(answer.error_field(415), None);
    let raw = server.raw(b"POST /v1/check HTTP/1.1\r\nHost: x\r\nContent-Length: 2\r\nConnection: close\r\n\r\n{}");
    assert!(raw.starts_with("HTTP/1.1 415"), "no content type: {raw}");
    assert_eq!(server.get("/v1/nope").error_field(404), None);
    assert_eq!(server.get("/v2").error_field(404), None);
    let answer = server.request("DELETE", "/v1/check", &[]);
    assert_eq!(answer.error_field(405), None);
    assert_eq!(answer.header("allow"), Some("POST"));
    assert_eq!(server.get("/v1/check").error_field(405), None);
    assert_eq!(server.request("PUT", "/healthz", &[]).error_field(405), None);
}

#[test]
fn limits_on_body_size_replies_and_time() {
    let server = Server::start(&[
        "--no-config",
        "--max-body-bytes",
        "1000",
        "--max-replies",
        "3",
        "--timeout-seconds",
        "1",
    ]);
    let big = json!({ "text": "你".repeat(400) }).to_string();
    assert!(big.len() > 1000);
    let answer = server.post("/v1/check", "application/json", &big);
    assert_eq!(answer.error_field(413), None);
    assert_eq!(answer.json()["error"]["code"], "payload_too_large");
    let form = format!("language=zh-CN&text={}", "a".repeat(1000));
    assert_eq!(
        server
            .post("/v2/check", "application/x-www-form-urlencoded", &form)
            .error_field(413),
        None
    );
    let answer = server.post_json("/v1/check", &json!({ "replies": ["a", "b", "c", "d"] }));
    assert_eq!(answer.error_field(400).as_deref(), Some("replies"));
    assert!(answer.body.contains("at most 3"), "{}", answer.body);
    assert_eq!(
        server
            .post_json("/v1/check", &json!({ "replies": ["a", "b", "c"] }))
            .status,
        200
    );
    // A client that sends half its body and stalls is answered 503 once the time is up.
    let started = Instant::now();
    let mut stream = TcpStream::connect(&server.address).expect("connected");
    stream
        .write_all(b"POST /v1/check HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 20\r\n\r\n{\"text\":")
        .expect("sent");
    stream
        .set_read_timeout(Some(Duration::from_secs(20)))
        .expect("timeout set");
    let mut answer = [0; 512];
    let n = stream.read(&mut answer).expect("an answer");
    let answer = String::from_utf8_lossy(&answer[..n]);
    assert!(answer.starts_with("HTTP/1.1 503"), "{answer}");
    assert!(answer.contains("\"code\":\"timeout\""), "{answer}");
    let waited = started.elapsed();
    assert!(
        waited >= Duration::from_millis(900) && waited < Duration::from_secs(10),
        "{waited:?}"
    );
}

#[test]
fn cors_is_off_by_default_and_on_for_the_origins_given() {
    let origin = [("origin", "https://console.example.com")];
    let closed = Server::start(&["--no-config"]);
    let answer = closed.request("GET", "/healthz", &origin);
    assert_eq!(answer.status, 200);
    assert_eq!(answer.header("access-control-allow-origin"), None);
    let open = Server::start(&[
        "--no-config",
        "--cors-origin",
        "https://console.example.com",
        "--cors-origin",
        "http://localhost:3000",
    ]);
    let answer = open.request("GET", "/healthz", &origin);
    assert_eq!(
        answer.header("access-control-allow-origin"),
        Some("https://console.example.com")
    );
    let answer = open.request("GET", "/healthz", &[("origin", "https://evil.example")]);
    assert_eq!(answer.header("access-control-allow-origin"), None);
    let preflight = open.request(
        "OPTIONS",
        "/v1/check",
        &[
            ("origin", "http://localhost:3000"),
            ("access-control-request-method", "POST"),
            ("access-control-request-headers", "content-type"),
        ],
    );
    assert_eq!(preflight.status, 200, "{}", preflight.body);
    assert_eq!(
        preflight.header("access-control-allow-origin"),
        Some("http://localhost:3000")
    );
    assert!(
        preflight
            .header("access-control-allow-methods")
            .is_some_and(|m| m.contains("POST"))
    );
    assert!(
        preflight
            .header("access-control-allow-headers")
            .is_some_and(|h| h.contains("content-type"))
    );
}

#[test]
fn sigterm_finishes_the_request_in_flight_then_stops() {
    let mut server = Server::start(&["--no-config", "--timeout-seconds", "30"]);
    // A request whose body is still coming when the signal arrives.
    let body = json!({ "text": "亲,我不能给您改价" }).to_string();
    let (head, tail) = body.split_at("{\"text\":".len());
    let mut stream = TcpStream::connect(&server.address).expect("connected");
    write!(
        stream,
        "POST /v1/check HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{head}",
        body.len()
    )
    .expect("sent");
    stream.flush().expect("flushed");
    std::thread::sleep(Duration::from_millis(300));
    server.terminate();
    std::thread::sleep(Duration::from_millis(300));
    assert_eq!(server.wait(Duration::ZERO), None, "it waits for the request in flight");
    stream.write_all(tail.as_bytes()).expect("the rest sent");
    stream
        .set_read_timeout(Some(Duration::from_secs(20)))
        .expect("timeout set");
    let mut answer = String::new();
    stream.read_to_string(&mut answer).expect("the answer");
    assert!(answer.starts_with("HTTP/1.1 200"), "{answer}");
    assert!(answer.contains("\"negative-ability\""), "{answer}");
    let status = server.wait(Duration::from_secs(20)).expect("it stops");
    assert!(status.success(), "{status:?}");
    assert!(
        server.stderr().ends_with("kefu-lint serve: stopped\n"),
        "{}",
        server.stderr()
    );
    assert!(TcpStream::connect(&server.address).is_err(), "no longer listening");
}

/// A client that opened its connection just before the signal and sends
/// its request just after it is answered, not cut off: the stop waits a
/// moment for such requests before closing idle connections.
#[test]
fn sigterm_answers_a_request_sent_just_after_it_on_an_open_connection() {
    let mut server = Server::start(&["--no-config"]);
    let mut stream = TcpStream::connect(&server.address).expect("connected");
    std::thread::sleep(Duration::from_millis(100));
    server.terminate();
    std::thread::sleep(Duration::from_millis(30));
    let body = json!({ "text": "你好" }).to_string();
    write!(
        stream,
        "POST /v1/check HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}",
        body.len()
    )
    .expect("sent");
    stream
        .set_read_timeout(Some(Duration::from_secs(20)))
        .expect("timeout set");
    let mut answer = String::new();
    stream.read_to_string(&mut answer).expect("the answer");
    assert!(answer.starts_with("HTTP/1.1 200"), "{answer:?}");
    let status = server.wait(Duration::from_secs(20)).expect("it stops");
    assert!(status.success(), "{status:?}");
}

#[test]
fn sigterm_as_soon_as_the_address_is_printed_stops_cleanly() {
    let mut server = Server::start(&["--no-config"]);
    server.terminate();
    let status = server.wait(Duration::from_secs(15)).expect("it stops");
    assert!(status.success(), "the signal was handled, not fatal: {status:?}");
    assert!(
        server.stderr().ends_with("kefu-lint serve: stopped\n"),
        "{}",
        server.stderr()
    );
}

#[test]
fn a_connection_that_never_sends_a_whole_request_does_not_hold_up_the_stop() {
    let mut server = Server::start(&["--no-config", "--timeout-seconds", "1"]);
    let mut stream = TcpStream::connect(&server.address).expect("connected");
    stream
        .write_all(b"POST /v1/check HTTP/1.1\r\nHost: x\r\nContent-Ty")
        .expect("half the headers sent");
    std::thread::sleep(Duration::from_millis(200));
    let started = Instant::now();
    server.terminate();
    let status = server.wait(Duration::from_secs(15)).expect("it stops");
    assert!(status.success(), "{status:?}");
    assert!(started.elapsed() < Duration::from_secs(5), "{:?}", started.elapsed());
    assert!(
        server.stderr().ends_with("kefu-lint serve: stopped\n"),
        "{}",
        server.stderr()
    );
}

#[test]
fn hostile_requests_never_crash_the_server() {
    let server = Server::start(&["--no-config"]);
    let strings = [
        String::new(),
        "\u{0}\u{0}你".into(),
        "😊".repeat(5000),
        "你".repeat(20_000),
        "\u{202e}但是\u{200b}我\u{fe0f}不能".into(),
        "\r\n\t".repeat(100),
        "親你們但是保證💯".into(),
    ];
    for text in &strings {
        for path in ["/v1/check", "/v1/fix"] {
            let body = if path == "/v1/fix" {
                json!({ "text": text, "unsafe": true })
            } else {
                json!({ "text": text })
            };
            let answer = server.post_json(path, &body);
            assert_eq!(answer.status, 200, "{path} {text:?}: {}", answer.body);
            if path == "/v1/check" {
                assert_offsets(text, &findings(&answer.json()));
            }
        }
        let answer = server.post_form("/v2/check", &[("language", "auto"), ("text", text)]);
        assert_eq!(answer.status, 200, "{text:?}: {}", answer.body);
    }
    let bodies: [&[u8]; 5] = [
        b"\xff\xfe{}",
        b"{\"text\": \"\xff\"}",
        b"{\"text\": \"a\", \"text\": \"b\"}",
        b"{\"replies\": [null]}",
        b"{\"text\": \"a\", \"mode\": null, \"select\": null, \"ignore\": []}",
    ];
    for body in bodies {
        let mut raw = format!(
            "POST /v1/check HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: {}\r\nConnection: close\r\n\r\n",
            body.len()
        )
        .into_bytes();
        raw.extend_from_slice(body);
        let answer = server.raw(&raw);
        let status: u16 = answer.get(9..12).and_then(|s| s.parse().ok()).unwrap_or(0);
        assert!((200..500).contains(&status), "{body:?}: {answer}");
    }
    let answer = server.raw(b"GARBAGE\r\n\r\n");
    assert!(answer.is_empty() || answer.starts_with("HTTP/1.1 4"), "{answer}");
    assert_eq!(server.get("/healthz").status, 200, "still up");
}

#[test]
fn the_server_refuses_to_start_on_what_it_cannot_use() {
    let dir = tempfile::tempdir().expect("a temporary directory");
    let config = dir.path().join("kefu-lint.toml");
    std::fs::write(&config, "select = [\"nope\"]\n").expect("written");
    let run = |args: &[&str]| {
        std::process::Command::new(env!("CARGO_BIN_EXE_kefu-lint"))
            .arg("serve")
            .args(args)
            .env("NO_COLOR", "1")
            .output()
            .expect("kefu-lint runs")
    };
    let out = run(&["--bind", "127.0.0.1:0", "--config", config.to_str().expect("UTF-8")]);
    assert_eq!(out.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("kefu-lint.toml") && stderr.contains("nope"), "{stderr}");
    let out = run(&["--cors-origin", "*"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("--cors-origin"));
    let taken = std::net::TcpListener::bind("127.0.0.1:0").expect("a port");
    let address = taken.local_addr().expect("an address").to_string();
    let out = run(&["--no-config", "--bind", &address]);
    assert_eq!(out.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains(&format!("cannot listen on {address}")), "{stderr}");
}

#[test]
fn the_configuration_named_at_start_cannot_write_control_characters_to_the_log() {
    let dir = tempfile::tempdir().expect("a temporary directory");
    let config = dir.path().join("k\u{1b}[2J\u{7}.toml");
    std::fs::write(&config, "ignore = [\"but\"]\n").expect("written");
    let server = Server::start(&["--config", config.to_str().expect("UTF-8")]);
    let stderr = server.stderr();
    assert!(
        stderr.contains("configuration ") && stderr.contains("k\\u{1b}[2J\\u{7}.toml"),
        "{stderr}"
    );
    assert!(!stderr.contains('\u{1b}') && !stderr.contains('\u{7}'), "{stderr:?}");
}

#[test]
fn listening_beyond_loopback_is_said() {
    let mut child = std::process::Command::new(env!("CARGO_BIN_EXE_kefu-lint"))
        .args(["serve", "--no-config", "--bind", "0.0.0.0:0"])
        .stderr(std::process::Stdio::piped())
        .spawn()
        .expect("kefu-lint starts");
    let mut lines = std::io::BufRead::lines(std::io::BufReader::new(child.stderr.take().expect("piped")));
    let first = lines.next().and_then(Result::ok).unwrap_or_default();
    let second = lines.next().and_then(Result::ok).unwrap_or_default();
    let _ = child.kill();
    let _ = child.wait();
    assert!(first.starts_with("note: listening on 0.0.0.0:"), "{first}");
    assert!(first.contains("anyone who can reach this machine"), "{first}");
    assert!(
        second.starts_with("kefu-lint serve: listening on http://0.0.0.0:"),
        "{second}"
    );
}

#[test]
fn the_configuration_file_is_the_servers_linter() {
    let dir = tempfile::tempdir().expect("a temporary directory");
    let config = dir.path().join("kefu-lint.toml");
    std::fs::write(
        &config,
        "ignore = [\"but\"]\nfail-on = \"error\"\nallow = [\"保证正品\"]\n",
    )
    .expect("written");
    let server = Server::start(&["--config", config.to_str().expect("UTF-8")]);
    assert!(server.stderr().contains("configuration"), "{}", server.stderr());
    let body = server
        .post_json("/v1/check", &json!({ "text": "亲,但是你好,我们保证正品" }))
        .json();
    assert_eq!(names(&findings(&body)), ["ni-instead-of-nin"]);
    assert_eq!(body["failed"], false, "fail-on = error: a warning does not fail");
    let rules = server.get("/v1/rules").json();
    assert!(
        !rules["rules"]
            .as_array()
            .expect("rules")
            .iter()
            .any(|r| r["name"] == "but")
    );
    // A request's select replaces the file's ignore, as --select does.
    let body = server
        .post_json("/v1/check", &json!({ "text": "但是", "select": ["but"] }))
        .json();
    assert_eq!(names(&findings(&body)), ["but"]);
}

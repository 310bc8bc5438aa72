//! `kefu-lint serve` against what an outside tester attacked it with
//! (issue 15): answers bounded in size, slow and idle connections closed,
//! a cap on connections, a declared body over the limit refused at once,
//! errors as JSON, strict form data, request shapes as documented, CORS
//! origins validated and normalised, `--bind` with a host name, and
//! LanguageTool replacements that are rewrites of the span only.

mod serve_support;

use std::io::{ErrorKind, Read, Write};
use std::net::TcpStream;
use std::time::{Duration, Instant};

use serde_json::{Value, json};
use serve_support::Server;

/// Reads what the server sends on `stream` until it closes the connection
/// (or `limit` passes: then `None`).
fn until_closed(stream: &mut TcpStream, limit: Duration) -> Option<String> {
    stream.set_read_timeout(Some(limit)).expect("timeout set");
    let mut got = Vec::new();
    match stream.read_to_end(&mut got) {
        Ok(_) => Some(String::from_utf8_lossy(&got).into_owned()),
        Err(e) if e.kind() == ErrorKind::ConnectionReset => Some(String::from_utf8_lossy(&got).into_owned()),
        Err(_) => None,
    }
}

/// The server's resident memory now, and at its peak, in MiB.
fn rss_mib(server: &Server) -> (u64, u64) {
    let status = std::fs::read_to_string(format!("/proc/{}/status", server.pid())).expect("/proc");
    let field = |name: &str| {
        status
            .lines()
            .find_map(|l| l.strip_prefix(name))
            .and_then(|v| v.trim().trim_end_matches(" kB").trim().parse::<u64>().ok())
            .expect(name)
            / 1024
    };
    (field("VmRSS:"), field("VmHWM:"))
}

#[test]
fn an_answer_is_bounded_whatever_the_text_finds() {
    let server = Server::start(&["--no-config", "--max-findings", "50"]);
    let text = "你,".repeat(20_000);
    let answer = server.post_json("/v1/check", &json!({ "text": text }));
    assert_eq!(answer.status, 200, "{}", answer.body);
    let body = answer.json();
    assert_eq!(body["findings"].as_array().map(Vec::len), Some(50));
    assert_eq!(body["counts"]["warning"], 20_000, "counts count every finding");
    assert_eq!(body["truncated"], true);
    assert!(answer.body.len() < 200_000, "{} bytes", answer.body.len());
    // The budget is the request's, shared by its replies in order.
    let thirty = "你,".repeat(30);
    let body = server
        .post_json("/v1/check", &json!({ "replies": [thirty, thirty, "亲,您好"] }))
        .json();
    let shown: Vec<usize> = body["results"]
        .as_array()
        .expect("results")
        .iter()
        .map(|r| r["findings"].as_array().map_or(0, Vec::len))
        .collect();
    let first = &body["results"][0]["counts"];
    let all_of_first = ["error", "warning", "info"]
        .iter()
        .map(|k| first[k].as_u64().map_or(0, |n| usize::try_from(n).expect("fits")))
        .sum::<usize>();
    assert!(all_of_first > 25 && all_of_first < 50, "{first}");
    assert_eq!(shown, [all_of_first, 50 - all_of_first, 0]);
    assert_eq!(body["results"][0]["truncated"], false);
    assert_eq!(body["results"][1]["truncated"], true);
    assert_eq!(body["truncated"], true);
    assert!(body["counts"]["warning"].as_u64() >= Some(60), "{}", body["counts"]);
    let fixed = server.post_json("/v1/fix", &json!({ "text": text })).json();
    assert_eq!(fixed["applied"].as_array().map(Vec::len), Some(50));
    assert_eq!(fixed["truncated"], true);
    assert!(
        !fixed["text"].as_str().expect("text").contains('你'),
        "every fix applied"
    );
    // LanguageTool's own flag for it; a sentence is not repeated whole.
    let answer = server.post_form("/v2/check", &[("language", "zh-CN"), ("text", &text)]);
    let body = answer.json();
    assert_eq!(body["matches"].as_array().map(Vec::len), Some(50));
    assert_eq!(body["warnings"]["incompleteResults"], true);
    assert!(answer.body.len() < 400_000, "{} bytes", answer.body.len());
    let clean = server.post_json("/v1/check", &json!({ "text": "亲,您好" })).json();
    assert_eq!(clean["truncated"], false);
}

/// One finding may carry a fix edit per repeated character (你 你 你 … is
/// one finding): each edit counts toward `--max-findings`, so such a
/// finding cannot make the answer grow past it either.
#[test]
fn a_finding_with_many_fix_edits_counts_each_edit() {
    let server = Server::start(&["--no-config", "--max-findings", "50"]);
    let text = "你 ".repeat(20_000);
    // The list is the findings in order up to the first that does not fit:
    // a later, lesser finding is never shown in place of an earlier one.
    let answer = server.post_json("/v1/check", &json!({ "text": format!("我不能退款,{text}") }));
    assert_eq!(answer.status, 200, "{}", answer.body);
    let body = answer.json();
    assert_eq!(body["truncated"], true);
    assert_eq!(body["counts"]["warning"], 1, "one finding for the whole run of 你");
    let rules: Vec<&str> = body["findings"]
        .as_array()
        .expect("findings")
        .iter()
        .filter_map(|f| f["rule"].as_str())
        .collect();
    assert!(rules.contains(&"KF001") && !rules.contains(&"KF011"), "{rules:?}");
    let last = body["findings"].as_array().and_then(|f| f.last()).expect("a finding");
    assert!(
        last["start"].as_u64() < Some(18),
        "nothing after the run of 你 is listed: {last}"
    );
    // The findings on the whole reply (too long, no courteous word) each
    // quote it once; its 20,000 edits would be megabytes more.
    assert!(answer.body.len() < 3 * text.len(), "{} bytes", answer.body.len());
    let fixed = server.post_json("/v1/fix", &json!({ "text": text }));
    assert!(fixed.body.len() < 150_000, "{} bytes", fixed.body.len());
    let fixed = fixed.json();
    assert_eq!(fixed["truncated"], true);
    assert_eq!(fixed["text"], "您 ".repeat(20_000), "every fix applied");
    let answer = server.post_form("/v2/check", &[("language", "zh-CN"), ("text", &text)]);
    assert_eq!(answer.json()["warnings"]["incompleteResults"], true);
}

#[test]
fn parallel_large_requests_hold_bounded_memory() {
    // The tester's request: a 680 KB body that finds 170,000 times, 16 at once.
    let server = Server::start(&["--no-config"]);
    let body = json!({ "text": "你,".repeat(170_000) }).to_string();
    let (_, before) = rss_mib(&server);
    std::thread::scope(|scope| {
        for _ in 0..16 {
            scope.spawn(|| {
                let answer = server.post("/v1/check", "application/json", &body);
                assert_eq!(answer.status, 200);
                assert!(answer.body.len() < 4 << 20, "{} bytes", answer.body.len());
                assert_eq!(answer.json()["findings"].as_array().map(Vec::len), Some(1000));
            });
        }
    });
    let (now, peak) = rss_mib(&server);
    eprintln!("RSS before {before} MiB, peak {peak} MiB, after {now} MiB");
    assert!(peak < before + 600, "peak {peak} MiB");
}

#[test]
fn a_client_that_never_reads_its_answer_is_let_go_at_the_time_limit() {
    // Findings uncapped, so that the answer (tens of MB) fills every buffer.
    let server = Server::start(&["--no-config", "--timeout-seconds", "2", "--max-findings", "1000000"]);
    let body = json!({ "text": "你,".repeat(30_000) }).to_string();
    let mut streams: Vec<TcpStream> = (0..4)
        .map(|_| {
            let mut stream = TcpStream::connect(&server.address).expect("connected");
            let head = format!(
                "POST /v1/check HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: {}\r\n\r\n",
                body.len()
            );
            stream.write_all(head.as_bytes()).expect("sent");
            stream.write_all(body.as_bytes()).expect("sent");
            stream
        })
        .collect();
    // Not reading: the server's writes stall, then time out.
    std::thread::sleep(Duration::from_secs(8));
    let (now, peak) = rss_mib(&server);
    eprintln!("RSS with 4 stalled answers: now {now} MiB, peak {peak} MiB");
    for stream in &mut streams {
        let got = until_closed(stream, Duration::from_secs(10)).expect("closed by the server");
        let declared: usize = got
            .lines()
            .find_map(|l| l.strip_prefix("content-length: "))
            .and_then(|n| n.trim().parse().ok())
            .expect("a content-length");
        assert!(
            got.starts_with("HTTP/1.1 200"),
            "{}",
            got.get(..200).unwrap_or_default()
        );
        assert!(
            got.len() < declared,
            "{} of {declared} bytes: the answer was cut",
            got.len()
        );
    }
}

#[test]
fn slow_and_silent_connections_are_closed_after_the_time_limit() {
    let server = Server::start(&["--no-config", "--timeout-seconds", "1"]);
    let started = Instant::now();
    let mut silent = TcpStream::connect(&server.address).expect("connected");
    assert!(until_closed(&mut silent, Duration::from_secs(10)).is_some(), "closed");
    assert!(started.elapsed() < Duration::from_secs(4), "{:?}", started.elapsed());
    // Slowloris: a header line every 200 ms never finishes the header.
    let mut slow = TcpStream::connect(&server.address).expect("connected");
    slow.write_all(b"POST /v1/check HTTP/1.1\r\nHost: x\r\n").expect("sent");
    let started = Instant::now();
    let mut closed = false;
    for i in 0..50 {
        std::thread::sleep(Duration::from_millis(200));
        if slow.write_all(format!("X-Slow-{i}: y\r\n").as_bytes()).is_err() {
            closed = true;
            break;
        }
    }
    let closed = closed || until_closed(&mut slow, Duration::from_millis(100)).is_some();
    assert!(closed, "still open after {:?}", started.elapsed());
    assert!(started.elapsed() < Duration::from_secs(5), "{:?}", started.elapsed());
    // A kept-alive connection idle after its answer is closed too.
    let mut idle = TcpStream::connect(&server.address).expect("connected");
    idle.write_all(b"GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n")
        .expect("sent");
    let started = Instant::now();
    let answer = until_closed(&mut idle, Duration::from_secs(10)).expect("closed");
    assert!(answer.starts_with("HTTP/1.1 200"), "{answer}");
    assert!(started.elapsed() < Duration::from_secs(4), "{:?}", started.elapsed());
}

#[test]
fn connections_over_the_cap_are_closed_and_the_service_recovers() {
    let server = Server::start(&["--no-config", "--timeout-seconds", "2", "--max-connections", "2"]);
    let _held: Vec<TcpStream> = (0..2)
        .map(|_| TcpStream::connect(&server.address).expect("connected"))
        .collect();
    std::thread::sleep(Duration::from_millis(300));
    let mut third = TcpStream::connect(&server.address).expect("connected");
    let started = Instant::now();
    assert_eq!(until_closed(&mut third, Duration::from_secs(1)).as_deref(), Some(""));
    assert!(
        started.elapsed() < Duration::from_millis(900),
        "{:?}",
        started.elapsed()
    );
    // The silent ones are closed at the time limit; the service answers again.
    std::thread::sleep(Duration::from_secs(3));
    assert_eq!(server.get("/healthz").status, 200);
}

#[test]
fn a_declared_body_over_the_limit_is_refused_at_once() {
    let server = Server::start(&["--no-config", "--max-body-bytes", "1000"]);
    for head in [
        "Content-Length: 10000000000\r\n\r\n{",
        "Content-Length: 5000000\r\nExpect: 100-continue\r\n\r\n",
    ] {
        let mut stream = TcpStream::connect(&server.address).expect("connected");
        let request = format!("POST /v1/check HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n{head}");
        stream.write_all(request.as_bytes()).expect("sent");
        stream
            .set_read_timeout(Some(Duration::from_secs(3)))
            .expect("timeout set");
        let mut answer = [0; 1024];
        let started = Instant::now();
        let n = stream.read(&mut answer).expect("an answer within 3 s");
        let answer = String::from_utf8_lossy(&answer[..n]);
        assert!(answer.starts_with("HTTP/1.1 413"), "{head:?}: {answer}");
        assert!(answer.contains("\"code\":\"payload_too_large\""), "{answer}");
        assert!(started.elapsed() < Duration::from_secs(2), "{:?}", started.elapsed());
    }
}

#[test]
fn errors_axum_answers_are_json() {
    let server = Server::start(&["--no-config"]);
    assert_eq!(server.get("/v1/rules/%FF").error_field(400).as_deref(), Some("id"));
    // Invalid UTF-8 in form data, in a body and in a query string.
    let answer = server.post(
        "/v2/check",
        "application/x-www-form-urlencoded",
        "language=zh-CN&text=%FF%E4%BD%A0%E5%A5%BD",
    );
    assert_eq!(answer.error_field(400).as_deref(), Some("text"));
    assert_eq!(
        server
            .get("/v2/check?language=zh-CN&text=%ED%A0%BD")
            .error_field(400)
            .as_deref(),
        Some("text")
    );
    let answer = server.post(
        "/v2/check",
        "application/x-www-form-urlencoded",
        "language=zh-CN&text=%E4%BD%A0&text=%E6%88%91",
    );
    assert_eq!(answer.error_field(400).as_deref(), Some("text"));
    assert!(answer.body.contains("twice"), "{}", answer.body);
    let answer = server.post(
        "/v2/check",
        "application/x-www-form-urlencoded",
        "language=zh-CN&text=a+b%2Bc",
    );
    assert_eq!(answer.status, 200, "+ is a space, %2B a plus: {}", answer.body);
}

#[test]
fn request_shapes_are_answered_as_the_openapi_document_says() {
    let server = Server::start(&["--no-config"]);
    let post = |body: &str| server.post("/v1/check", "application/json", body);
    let answer = post(r#"["你",null,null,null,[],[]]"#);
    assert_eq!(answer.error_field(400).as_deref(), Some("body"));
    assert!(answer.body.contains("JSON object"), "{}", answer.body);
    let answer = post(r#"{"text":"\ud83d你"}"#);
    assert_eq!(answer.error_field(400).as_deref(), Some("text"));
    assert!(answer.body.contains("surrogate"), "{}", answer.body);
    for field in ["replies", "select", "mode", "fail_on"] {
        let mut body = json!({ "text": "你" });
        body[field] = Value::Null;
        let answer = server.post_json("/v1/check", &body);
        assert_eq!(answer.error_field(400).as_deref(), Some(field), "{field}: null");
    }
    let answer = server.post_json("/v1/fix", &json!({ "text": "你", "select": null }));
    assert_eq!(answer.error_field(400).as_deref(), Some("select"));
    let answer = server.post_json(
        "/v1/check",
        &json!({ "text": "你", "select": ["KF011"], "ignore": ["KF011"] }),
    );
    assert_eq!(answer.error_field(400).as_deref(), Some("select"));
    let message = answer.json()["error"]["message"].as_str().expect("message").to_owned();
    assert!(
        message.starts_with("select [KF011] with ignore [KF011] leaves no rule to run"),
        "{message}"
    );
    assert!(!message.contains("--"), "{message}");
    // Rule names in any ASCII case, as GET /v1/rules/{id} takes them.
    let answer = server.post_json("/v1/check", &json!({ "text": "亲,你好", "select": ["kf011"] }));
    assert_eq!(answer.status, 200, "{}", answer.body);
    assert_eq!(answer.json()["findings"][0]["rule"], "KF011");
    assert_eq!(server.get("/v1/rules/kf011").status, 200);
    // LanguageTool's empty optional fields are absent; its errors in its words.
    let ok = |pairs: &[(&str, &str)]| server.post_form("/v2/check", pairs).status;
    assert_eq!(
        ok(&[
            ("text", "你"),
            ("data", ""),
            ("language", "zh-CN"),
            ("enabledOnly", "false")
        ]),
        200
    );
    assert_eq!(server.get("/v2/check?language=zh-CN&text=a&enabledOnly=").status, 200);
    let answer = server.post_form(
        "/v2/check",
        &[
            ("language", "zh-CN"),
            ("text", "你"),
            ("enabledOnly", "true"),
            ("enabledRules", "WHITESPACE_RULE"),
        ],
    );
    assert_eq!(answer.error_field(400).as_deref(), Some("enabledRules"));
    let message = answer.json()["error"]["message"].as_str().expect("message").to_owned();
    assert!(message.starts_with("enabledRules WHITESPACE_RULE: "), "{message}");
    // An unknown category is named as one.
    let answer = server.post_form(
        "/v2/check",
        &[
            ("language", "zh-CN"),
            ("text", "你"),
            ("enabledOnly", "true"),
            ("enabledCategories", "shop"),
        ],
    );
    assert_eq!(answer.error_field(400).as_deref(), Some("enabledCategories"));
}

#[test]
fn languagetool_replacements_are_rewrites_of_the_span_and_advice_stays_in_the_message() {
    let server = Server::start(&["--no-config"]);
    let check = |text: &str| {
        server
            .post_form("/v2/check", &[("language", "zh-CN"), ("text", text)])
            .json()["matches"]
            .as_array()
            .expect("matches")
            .clone()
    };
    for text in ["没货", "我不知道哦", "亲,这个我不能给你改价哦"] {
        for m in check(text) {
            let shown = m["replacements"].as_array().expect("replacements");
            if m["rule"]["id"] == "KF011" {
                assert_eq!(shown, &[json!({ "value": "您" })], "{text}: {m}");
            } else {
                assert!(shown.is_empty(), "{text}: {m}");
                // KF020 has no rewrite to suggest: what to do is in its message.
                let suggests = m["rule"]["id"] != "KF020";
                assert_eq!(
                    m["message"].as_str().expect("message").contains("建议："),
                    suggests,
                    "{text}: {m}"
                );
            }
        }
    }
}

#[test]
fn cors_origins_are_validated_and_match_what_browsers_send() {
    let server = Server::start(&[
        "--no-config",
        "--cors-origin",
        "https://Console.Example.com",
        "--cors-origin",
        "https://b.com:443",
    ]);
    for origin in ["https://console.example.com", "https://b.com"] {
        let answer = server.request("GET", "/healthz", &[("origin", origin)]);
        assert_eq!(answer.header("access-control-allow-origin"), Some(origin));
    }
    for bad in ["http://a.com:99999", "https://user@a.com", "https://a.com:"] {
        let out = std::process::Command::new(env!("CARGO_BIN_EXE_kefu-lint"))
            .args(["serve", "--no-config", "--cors-origin", bad])
            .output()
            .expect("kefu-lint runs");
        assert_eq!(out.status.code(), Some(2), "{bad}");
        assert!(String::from_utf8_lossy(&out.stderr).contains("--cors-origin"), "{bad}");
    }
}

#[test]
fn bind_takes_a_host_name() {
    let mut child = std::process::Command::new(env!("CARGO_BIN_EXE_kefu-lint"))
        .args(["serve", "--no-config", "--bind", "localhost:0"])
        .stderr(std::process::Stdio::piped())
        .spawn()
        .expect("kefu-lint starts");
    let mut stderr = std::io::BufReader::new(child.stderr.take().expect("piped"));
    let mut line = String::new();
    std::io::BufRead::read_line(&mut stderr, &mut line).expect("a line");
    let _ = child.kill();
    let _ = child.wait();
    let address = line
        .trim()
        .strip_prefix("kefu-lint serve: listening on http://")
        .ok_or(line.clone())
        .expect("it says where it listens");
    let address: std::net::SocketAddr = address.parse().expect("an address");
    assert!(address.ip().is_loopback(), "{address}");
}

/// Connections past the open-file limit would wait unserved: `serve` raises
/// its soft limit as far as the hard one allows, and says so at start when
/// `--max-connections` still does not fit (here a hard limit of 256 set by
/// the shell before it starts).
#[test]
fn more_connections_than_open_files_are_warned_of_at_start() {
    let mut child = std::process::Command::new("bash")
        .args([
            "-c",
            "ulimit -Sn 256 && ulimit -Hn 256 && exec \"$0\" serve --no-config --bind 127.0.0.1:0 --max-connections 1000",
            env!("CARGO_BIN_EXE_kefu-lint"),
        ])
        .stderr(std::process::Stdio::piped())
        .spawn()
        .expect("bash runs");
    let mut stderr = std::io::BufReader::new(child.stderr.take().expect("stderr"));
    let mut said = String::new();
    while !said.contains("listening on") {
        let before = said.len();
        std::io::BufRead::read_line(&mut stderr, &mut said).expect("stderr read");
        if said.len() == before {
            break;
        }
    }
    child.kill().expect("server stopped");
    child.wait().expect("server waited for");
    assert!(
        said.contains(
            "warning: --max-connections 1000 needs about 1016 open files, but this process may open 256 (its hard limit; `ulimit -Hn`): connections past about 240 wait"
        ),
        "{said}"
    );
}

//! `kefu-lint serve`, the LanguageTool-compatible API (`/v2/check`,
//! `/v2/languages`): LanguageTool's wire format with offsets and lengths in
//! UTF-16 code units, spoken to over HTTP and by a real LanguageTool client
//! (`language_tool_python` 3.4.0 from PyPI, in the virtual environment
//! `serve_support::python` makes under the target directory).

mod serve_support;

use std::path::Path;
use std::process::Command;

use serde_json::{Value, json};
use serve_support::{ROOT, Server, utf16_slice};

fn matches(answer: &Value) -> Vec<Value> {
    answer["matches"].as_array().expect("matches").clone()
}

fn rules(matches: &[Value]) -> Vec<&str> {
    matches.iter().map(|m| m["rule"]["id"].as_str().expect("id")).collect()
}

/// Asserts that each match's UTF-16 offset and length pick out `expected`.
fn assert_utf16(text: &str, matches: &[Value], expected: &[&str]) {
    let found: Vec<String> = matches
        .iter()
        .map(|m| {
            let offset = usize::try_from(m["offset"].as_u64().expect("offset")).expect("fits");
            let length = usize::try_from(m["length"].as_u64().expect("length")).expect("fits");
            utf16_slice(text, offset, offset + length)
        })
        .collect();
    assert_eq!(found, expected);
}

#[test]
fn v2_check_answers_languagetools_json_in_utf16_units() {
    let server = Server::start(&["--no-config"]);
    let text = "好的。亲😊,这个我不能给你改价哦!";
    let answer = server.post_form("/v2/check", &[("language", "zh-CN"), ("text", text)]);
    assert_eq!(answer.status, 200, "{}", answer.body);
    let body = answer.json();
    assert_eq!(body["software"]["name"], "kefu-lint");
    assert_eq!(body["software"]["apiVersion"], 1);
    assert!(body["software"]["buildDate"].is_string(), "typed clients require it");
    assert_eq!(body["warnings"]["incompleteResults"], false);
    assert_eq!(body["language"]["code"], "zh-CN");
    let found = matches(&body);
    assert_eq!(rules(&found), ["KF001", "KF011"]);
    assert_utf16(text, &found, &["我不能", "你"]);
    let ni = &found[1];
    // 好 的 。 亲 😊(2) , 这 个 我 不 能 给 = 13 units before 你.
    assert_eq!((ni["offset"].as_u64(), ni["length"].as_u64()), (Some(13), Some(1)));
    assert_eq!(ni["replacements"], json!([{ "value": "您" }]));
    assert_eq!(ni["rule"]["category"], json!({ "id": "ADDRESS", "name": "address" }));
    assert_eq!(ni["rule"]["issueType"], "style");
    assert_eq!(ni["shortMessage"], "ni-instead-of-nin");
    assert_eq!(ni["type"]["typeName"], "Other");
    assert_eq!(ni["sentence"], "亲😊,这个我不能给你改价哦!");
    let context = &ni["context"];
    let context_text = context["text"].as_str().expect("context");
    let (offset, length) = (
        context["offset"].as_u64().expect("offset"),
        context["length"].as_u64().expect("length"),
    );
    let (offset, length) = (
        usize::try_from(offset).expect("fits"),
        usize::try_from(length).expect("fits"),
    );
    assert_eq!(utf16_slice(context_text, offset, offset + length), "你");
    // The same through a query string.
    let query = server.get("/v2/check?language=zh-CN&text=%E4%BA%B2%2C%E4%BD%A0%E5%A5%BD");
    assert_eq!(rules(&matches(&query.json())), ["KF011"], "亲,你好");
}

#[test]
fn v2_languages_and_scripts() {
    let server = Server::start(&["--no-config"]);
    let languages = server.get("/v2/languages").json();
    let codes: Vec<&str> = languages
        .as_array()
        .expect("a list")
        .iter()
        .map(|l| l["longCode"].as_str().expect("longCode"))
        .collect();
    assert_eq!(codes, ["zh-CN", "zh-TW"]);
    // A reply written the same in both scripts is answered in the script the language names.
    let check = |language: &str, text: &str| {
        server
            .post_form("/v2/check", &[("language", language), ("text", text)])
            .json()
    };
    let taiwan = check("zh-TW", "嗯");
    assert_eq!(taiwan["matches"][0]["replacements"][0]["value"], "好的沒問題");
    assert_eq!(taiwan["language"]["code"], "zh-TW");
    let mainland = check("zh-CN", "嗯");
    assert_eq!(mainland["matches"][0]["replacements"][0]["value"], "好的没问题");
    // auto: the text's script.
    let auto = check("auto", "親,我們保證明天到貨哦");
    assert_eq!(auto["language"]["code"], "zh-TW");
    assert_eq!(auto["language"]["detectedLanguage"]["code"], "zh-TW");
    assert!(
        auto["matches"][0]["message"]
            .as_str()
            .expect("message")
            .contains("絕對")
    );
}

#[test]
fn v2_rule_parameters_and_annotated_data() {
    let server = Server::start(&["--no-config"]);
    let text = "亲,但是你的订单号是XX";
    let check = |pairs: &[(&str, &str)]| {
        let mut all = vec![("language", "zh-CN"), ("text", text)];
        all.extend_from_slice(pairs);
        let answer = server.post_form("/v2/check", &all);
        assert_eq!(answer.status, 200, "{}", answer.body);
        rules(&matches(&answer.json()))
            .into_iter()
            .map(str::to_owned)
            .collect::<Vec<_>>()
    };
    let all = check(&[]);
    assert!(
        all.contains(&"KF007".to_owned()) && all.contains(&"KF011".to_owned()),
        "{all:?}"
    );
    // LanguageTool ids of other languages are ignored, as LanguageTool ignores unknown ids.
    let disabled = check(&[("disabledRules", "KF007,WHITESPACE_RULE")]);
    assert!(!disabled.contains(&"KF007".to_owned()) && disabled.contains(&"KF011".to_owned()));
    // In any ASCII case, as every other field names rules.
    for name in ["kf007", "BUT"] {
        let disabled = check(&[("disabledRules", name)]);
        assert!(!disabled.contains(&"KF007".to_owned()), "{name}: {disabled:?}");
    }
    assert_eq!(check(&[("enabledRules", "KF007"), ("enabledOnly", "true")]), ["KF007"]);
    assert_eq!(
        check(&[("enabledCategories", "ADDRESS"), ("enabledOnly", "true")]),
        ["KF011"]
    );
    assert!(!check(&[("disabledCategories", "ADDRESS")]).contains(&"KF011".to_owned()));
    assert_eq!(
        check(&[("enabledRules", "KF007")]),
        all,
        "without enabledOnly every rule runs"
    );
    let rules_listed = server.get("/v1/rules").json();
    let every_category: Vec<String> = rules_listed["rules"]
        .as_array()
        .expect("rules")
        .iter()
        .map(|r| {
            r["category"]
                .as_str()
                .expect("category")
                .to_uppercase()
                .replace('-', "_")
        })
        .collect();
    assert!(
        check(&[("disabledCategories", &every_category.join(","))]).is_empty(),
        "all disabled: no match"
    );
    // data: offsets count the markup, as in the document the client holds.
    let data = json!({ "annotation": [
        { "text": "亲," }, { "markup": "<b>" }, { "text": "你好" }, { "markup": "</b>" },
        { "markup": "<br/>", "interpretAs": "\n" }, { "text": "😊但是" },
    ] })
    .to_string();
    let answer = server.post_form("/v2/check", &[("language", "zh-CN"), ("data", &data)]);
    assert_eq!(answer.status, 200, "{}", answer.body);
    let document = "亲,<b>你好</b><br/>😊但是";
    let found = matches(&answer.json());
    assert_eq!(rules(&found), ["KF011", "KF007"]);
    assert_utf16(document, &found, &["你", "但是"]);
    // A match over markup offers no replacement: a client applying it would
    // delete the markup (但</b>是 → 不过). Beside markup, it still does.
    let data = json!({ "annotation": [
        { "text": "亲,这个" }, { "markup": "<b>" }, { "text": "但" }, { "markup": "</b>" }, { "text": "是没货了,给" },
        { "markup": "<i>" }, { "text": "你" }, { "markup": "</i>" },
    ] })
    .to_string();
    let answer = server
        .post_form("/v2/check", &[("language", "zh-CN"), ("data", &data)])
        .json();
    let found = matches(&answer);
    assert_eq!(rules(&found), ["KF007", "KF011"]);
    let replacements: Vec<&Value> = found.iter().map(|m| &m["replacements"]).collect();
    assert_eq!(replacements, [&json!([]), &json!([{ "value": "您" }])]);
}

#[test]
fn v2_errors_name_the_parameter() {
    let server = Server::start(&["--no-config"]);
    let field = |pairs: &[(&str, &str)]| server.post_form("/v2/check", pairs).error_field(400);
    assert_eq!(field(&[("text", "你好")]), Some("language".into()));
    assert_eq!(
        field(&[("language", "en-US"), ("text", "hello")]),
        Some("language".into())
    );
    assert_eq!(field(&[("language", "zh-CN")]), Some("text".into()));
    assert_eq!(
        field(&[("language", "zh-CN"), ("text", "a"), ("data", "{}")]),
        Some("data".into())
    );
    assert_eq!(
        field(&[("language", "zh-CN"), ("data", "{\"annotation\": 3}")]),
        Some("data.annotation".into())
    );
    assert_eq!(
        field(&[
            ("language", "zh-CN"),
            ("data", "{\"annotation\": [{\"text\": \"a\", \"markup\": \"b\"}]}")
        ]),
        Some("data.annotation[0]".into())
    );
    assert_eq!(
        field(&[("language", "zh-CN"), ("text", "a"), ("enabledOnly", "yes")]),
        Some("enabledOnly".into())
    );
    assert_eq!(
        field(&[("language", "zh-CN"), ("text", "a"), ("enabledOnly", "true")]),
        Some("enabledRules".into())
    );
    assert_eq!(
        field(&[
            ("language", "zh-CN"),
            ("text", "a"),
            ("enabledOnly", "true"),
            ("enabledRules", "NOPE")
        ]),
        Some("enabledRules".into())
    );
    assert_eq!(
        server.get("/v2/check?text=a").error_field(400).as_deref(),
        Some("language")
    );
}

#[test]
fn a_real_languagetool_client_reads_the_answers() {
    let server = Server::start(&["--no-config"]);
    let python = serve_support::python();
    let out = Command::new(python)
        .arg(Path::new(ROOT).join("tests/languagetool_client.py"))
        .arg(&server.base)
        .output()
        .expect("the client runs");
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "{stderr}");
    let seen: Value = serde_json::from_slice(&out.stdout).expect("the client's JSON");
    let field = |case: &str, key: &str| -> Vec<Value> {
        seen[case]
            .as_array()
            .expect(case)
            .iter()
            .map(|m| m[key].clone())
            .collect()
    };
    // The client turned UTF-16 offsets into Python indices: the emoji before
    // each match counted right, its slices are what was matched.
    assert_eq!(field("emoji", "matched"), [json!("我不能"), json!("你"), json!("但是")]);
    assert_eq!(field("emoji", "rule"), [json!("KF001"), json!("KF011"), json!("KF007")]);
    assert_eq!(field("emoji", "category")[1], "ADDRESS");
    assert_eq!(seen["emoji"][1]["replacements"], json!(["您"]));
    assert_eq!(seen["corrected"], "亲😊您的订单已经发货了");
    assert_eq!(field("disabled", "rule"), [json!("KF001"), json!("KF007")]);
    assert_eq!(field("enabled_only", "rule"), [json!("KF007")]);
    // The fix of a one-word reply rewrites it whole; the suggestions that
    // are not that rewrite end the message, in the reply's script.
    assert_eq!(seen["traditional"][0]["replacements"], json!(["好的沒問題"]));
    assert!(
        seen["traditional"][0]["message"]
            .as_str()
            .expect("message")
            .contains("建議"),
        "{}",
        seen["traditional"][0]
    );
    assert_eq!(
        seen["corrected_advice"],
        json!(["没货", "我不知道哦", "亲,这个我不能给您改价哦"])
    );
    assert_eq!(field("traditional_text", "matched"), [json!("保證")]);
    assert!(
        seen["traditional_text"][0]["message"]
            .as_str()
            .expect("message")
            .contains("絕對")
    );
}

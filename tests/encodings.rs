//! End to end: how a text file's encoding is chosen (issue 13) — one-word
//! GBK and Big5 files, GBK bytes that are also valid UTF-8, the Windows and
//! Python names of encodings, and a `--encoding` that reads a file as nonsense.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod support;

use std::fs;

use support::{assert_has, check_concise as check, stderr, stdout};

/// Short replies a shop writes, Simplified and (the same words) Traditional.
const SHORT: [(&str, &str); 40] = [
    ("哦", "哦"),
    ("嗯", "嗯"),
    ("谢谢", "謝謝"),
    ("好的", "好的"),
    ("亲", "親"),
    ("在的", "在的"),
    ("没有", "沒有"),
    ("不行", "不行"),
    ("稍等", "稍等"),
    ("收到", "收到"),
    ("可以", "可以"),
    ("发货", "發貨"),
    ("退款", "退款"),
    ("您好", "您好"),
    ("明白", "明白"),
    ("马上", "馬上"),
    ("快递", "快遞"),
    ("是的", "是的"),
    ("对的", "對的"),
    ("不知道", "不知道"),
    ("谢谢亲", "謝謝親"),
    ("好滴", "好滴"),
    ("亲亲", "親親"),
    ("嗯嗯", "嗯嗯"),
    ("晚安", "晚安"),
    ("再见", "再見"),
    ("早上好", "早上好"),
    ("价格", "價格"),
    ("包邮", "包郵"),
    ("尺码", "尺碼"),
    ("颜色", "顏色"),
    ("质量", "質量"),
    ("售后", "售後"),
    ("客服", "客服"),
    ("换货", "換貨"),
    ("有货", "有貨"),
    ("缺货", "缺貨"),
    ("打折", "打折"),
    ("优惠", "優惠"),
    ("说", "說"),
];

#[test]
fn one_word_gbk_and_big5_files_are_read_in_their_encoding_and_say_so() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    for (i, (simplified, traditional)) in SHORT.iter().enumerate() {
        for (encoding, word, said) in [
            (encoding_rs::GBK, simplified, "read as GB18030 (Simplified Chinese)"),
            (encoding_rs::BIG5, traditional, "read as Big5 (Traditional Chinese)"),
        ] {
            let name = format!("{i}-{}.txt", encoding.name());
            let line = format!("{word}\n");
            let (bytes, _, unmappable) = encoding.encode(&line);
            assert!(!unmappable, "{word}");
            fs::write(d.join(&name), bytes).unwrap();
            let out = check(d, &[&name]);
            assert_has(&stderr(&out), &format!("note: {name}: {said}"));
        }
    }
}

#[test]
fn a_cold_one_word_reply_is_flagged_in_gbk_and_big5() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    for (name, encoding, word) in [
        ("o.txt", encoding_rs::GBK, "哦"),
        ("en.txt", encoding_rs::GBK, "嗯嗯"),
        ("o5.txt", encoding_rs::BIG5, "哦"),
        ("en5.txt", encoding_rs::BIG5, "嗯"),
    ] {
        fs::write(d.join(name), encoding.encode(&format!("{word}\n")).0).unwrap();
        let out = check(d, &[name]);
        assert_eq!(out.status.code(), Some(1), "{name}: {}", stderr(&out));
        assert_has(&stdout(&out), &format!("{name}:1:1: warning KF009"));
    }
}

#[test]
fn gbk_bytes_that_are_also_utf8_are_read_as_chinese_with_a_note() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    // 谢谢 in GBK is D0 BB D0 BB, the UTF-8 of лл; 说 is CB B5, the UTF-8 of ˵.
    for (name, word) in [("thanks.txt", "谢谢"), ("say.txt", "说"), ("oo.txt", "哦哦")] {
        let bytes = encoding_rs::GBK.encode(&format!("{word}\n")).0.into_owned();
        assert!(std::str::from_utf8(&bytes).is_ok(), "{word}");
        fs::write(d.join(name), bytes).unwrap();
        let out = check(d, &[name]);
        assert_has(
            &stderr(&out),
            &format!(
                "note: {name}: read as GB18030 (Simplified Chinese); the file is also valid UTF-8, but reads as Chinese only in GB18030"
            ),
        );
    }
    // A Latin word stays UTF-8, with a note: é (C3 A9) would be a common character in Big5.
    fs::write(d.join("cafe.txt"), "café\n").unwrap();
    let out = check(d, &["cafe.txt"]);
    assert_has(
        &stderr(&out),
        "note: cafe.txt: read as UTF-8, as its letters outside ASCII stand in Latin words",
    );
    assert_eq!(out.status.code(), Some(0), "{}", stdout(&out));
    // --encoding utf-8 reads it as UTF-8 (лл), and says that is not Chinese.
    let out = check(d, &["--encoding", "utf-8", "thanks.txt"]);
    assert_has(
        &stderr(&out),
        "note: thanks.txt: the --encoding given (UTF-8) looks wrong",
    );
    assert_has(&stderr(&out), "(U+043B, U+043B, …); it reads as GB18030");
}

#[test]
fn windows_and_python_names_of_encodings_are_accepted() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    fs::write(d.join("big5.txt"), encoding_rs::BIG5.encode("我們保證三天內到貨\n").0).unwrap();
    fs::write(d.join("gbk.txt"), encoding_rs::GBK.encode("我们保证三天内到货\n").0).unwrap();
    for (label, file) in [
        ("cp950", "big5.txt"),
        ("ms950", "big5.txt"),
        ("windows-950", "big5.txt"),
        ("hkscs", "big5.txt"),
        ("big5hkscs", "big5.txt"),
        ("big5_hkscs", "big5.txt"),
        ("windows-936", "gbk.txt"),
        ("cp936", "gbk.txt"),
        ("ms936", "gbk.txt"),
    ] {
        let out = check(d, &["--encoding", label, file]);
        assert_eq!(out.status.code(), Some(1), "{label}: {}", stderr(&out));
        assert_has(&stdout(&out), &format!("{file}:1:3: warning KF008"));
    }
    // Python's names without a dash, and every GBK label, read as the same encoding.
    fs::write(
        d.join("utf16.txt"),
        [0xFF, 0xFE]
            .into_iter()
            .chain("我们保证三天内到货\n".encode_utf16().flat_map(u16::to_le_bytes))
            .collect::<Vec<u8>>(),
    )
    .unwrap();
    for (label, file) in [
        ("utf16", "utf16.txt"),
        ("UTF_16", "utf16.txt"),
        ("GB_2312", "gbk.txt"),
        ("gb2312", "gbk.txt"),
        ("chinese", "gbk.txt"),
    ] {
        let out = check(d, &["--encoding", label, file]);
        assert_eq!(out.status.code(), Some(1), "{label}: {}", stderr(&out));
        assert_has(&stdout(&out), &format!("{file}:1:3: warning KF008"));
    }
    // One name for GBK in notes, however it was spelt.
    for label in ["GB_2312", "gb2312", "x-gbk", "cp936"] {
        let out = check(d, &["--encoding", label, "big5.txt"]);
        assert_has(
            &stderr(&out),
            "note: big5.txt: the --encoding given (GB18030) looks wrong",
        );
    }
    let out = check(d, &["--encoding", "cp905", "big5.txt"]);
    assert_eq!(out.status.code(), Some(2));
    assert_has(&stderr(&out), "unknown encoding \"cp905\"; did you mean `cp950`?");
}

#[test]
fn an_encoding_that_reads_nonsense_is_said_plainly_naming_the_one_that_fits() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let big5 = encoding_rs::BIG5
        .encode("這個我真的不知道\n我們保證三天內到貨\n")
        .0
        .into_owned();
    fs::write(d.join("big5.txt"), &big5).unwrap();
    let gbk = encoding_rs::GBK
        .encode("这个我真的不知道\n我们保证三天内到货\n")
        .0
        .into_owned();
    fs::write(d.join("gbk.txt"), &gbk).unwrap();
    fs::write(d.join("utf8.txt"), "这个我真的不知道\n我们保证三天内到货\n").unwrap();
    for (encoding, file, name, fits) in [
        ("utf-16le", "big5.txt", "UTF-16LE", "Big5 (Traditional Chinese)"),
        ("utf-16be", "gbk.txt", "UTF-16BE", "GB18030 (Simplified Chinese)"),
        ("euc-kr", "gbk.txt", "EUC-KR", "GB18030 (Simplified Chinese)"),
        ("gbk", "big5.txt", "GB18030", "Big5 (Traditional Chinese)"),
        ("big5", "gbk.txt", "Big5", "GB18030 (Simplified Chinese)"),
        ("gbk", "utf8.txt", "GB18030", "UTF-8"),
    ] {
        let out = check(d, &["--encoding", encoding, file]);
        let err = stderr(&out);
        assert_has(
            &err,
            &format!("note: {file}: the --encoding given ({name}) looks wrong"),
        );
        assert_has(&err, &format!("it reads as {fits} — check --encoding"));
    }
    // A single-byte encoding reads no Chinese at all: the note shows what it reads.
    fs::write(d.join("b0.txt"), encoding_rs::BIG5.encode("不行\n").0).unwrap();
    let out = check(d, &["--encoding", "latin1", "b0.txt"]);
    let err = stderr(&out);
    let latin: String = encoding_rs::WINDOWS_1252
        .decode_without_bom_handling(&encoding_rs::BIG5.encode("不行").0)
        .0
        .into_owned();
    assert_has(
        &err,
        &format!(
            "note: b0.txt: the --encoding given (windows-1252) looks wrong: it reads this file as \"{latin}\" (mojibake), no Chinese at all"
        ),
    );
    assert!(!err.contains("rare Chinese"), "{err}");
    // The same note in --diff and --fix, which read the file whole.
    for mode in ["--diff", "--fix"] {
        let out = check(d, &[mode, "--encoding", "utf-16le", "big5.txt"]);
        assert_has(
            &stderr(&out),
            "note: big5.txt: the --encoding given (UTF-16LE) looks wrong",
        );
    }
    // The right one, and an ASCII file in any, say nothing.
    fs::write(d.join("ascii.txt"), "ok\n").unwrap();
    for (encoding, file) in [
        ("big5", "big5.txt"),
        ("utf-16le", "ascii.txt"),
        ("gbk", "gbk.txt"),
        ("utf-8", "utf8.txt"),
    ] {
        let out = check(d, &["--encoding", encoding, file]);
        assert!(!stderr(&out).contains("looks wrong"), "{encoding}: {}", stderr(&out));
    }
}

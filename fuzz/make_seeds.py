#!/usr/bin/env python3
"""Regenerates fuzz/seeds/ and fuzz/dicts/ from the repository's own files.

    python3 fuzz/make_seeds.py

Seeds come from examples/, tests/cli/, rules/*.toml, the starter configuration
in crates/kefu-lint-cli/src/config.rs and the texts of tests/eval/*.jsonl (not
../shared). A few are derived (the same replies in UTF-16 and GB18030, the
workbook re-packed without compression, each rule as a pack of its own) so the
fuzzer starts inside every decoding path. The output is deterministic; keep it
small (it is committed): the corpus libFuzzer grows goes to fuzz/corpus/
(ignored), never here.
"""

import hashlib
import io
import json
import re
import shutil
import tomllib
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
FUZZ = ROOT / "fuzz"
SEEDS = FUZZ / "seeds"
DICTS = FUZZ / "dicts"


def put(target: str, data: bytes, name: str | None = None) -> None:
    d = SEEDS / target
    d.mkdir(parents=True, exist_ok=True)
    if name is None:
        name = hashlib.sha1(data).hexdigest()[:16]
    (d / name).write_bytes(data)


def chunks(seq, n):
    for i in range(0, len(seq), n):
        yield seq[i : i + n]


def eval_lines():
    for path in sorted((ROOT / "tests/eval").glob("*.jsonl")):
        for line in path.read_text(encoding="utf-8").splitlines():
            if line.strip():
                yield path.name, line


def rule_packs():
    return [(p, p.read_text(encoding="utf-8")) for p in sorted((ROOT / "rules").glob("*.toml"))]


def xls_workbook(csv_text: str) -> bytes | None:
    """The example quick replies as a legacy .xls (BIFF8) workbook, if xlwt is installed."""
    try:
        import xlwt  # pip install xlwt (only needed to regenerate this one seed)
    except ImportError:
        return None
    book = xlwt.Workbook(encoding="utf-8")
    rows = [r.split(",", 2) for r in csv_text.splitlines() if r.strip()]
    for sheet_name, part in [("售前", rows[:5]), ("售后", rows[:1] + rows[5:])]:
        sheet = book.add_sheet(sheet_name)
        for i, row in enumerate(part):
            for j, cell in enumerate(row):
                sheet.write(i + 1, j, cell.strip('"'))
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def main() -> None:
    xls_seed = SEEDS / "read_xlsx/quick-replies.xls"
    old_xls = xls_seed.read_bytes() if xls_seed.exists() else None
    shutil.rmtree(SEEDS, ignore_errors=True)
    shutil.rmtree(DICTS, ignore_errors=True)
    packs = rule_packs()

    # check, fix: one reply per file.
    replies = []
    for _, line in eval_lines():
        replies.append(json.loads(line)["text"])
    replies += [l for l in (ROOT / "examples/replies.txt").read_text(encoding="utf-8").splitlines() if l.strip()]
    for _, text in packs:
        for rule in tomllib.loads(text).get("rule", []):
            ex = rule.get("examples", {})
            replies += ex.get("bad", []) + ex.get("ok", []) + [f["from"] for f in ex.get("fixed", [])]
    for reply in sorted(set(replies)):
        put("replies", reply.encode("utf-8"))

    # read_txt: the example files, and the example replies in every encoding the reader detects.
    txt = (ROOT / "examples/replies.txt").read_text(encoding="utf-8")
    put("read_txt", (ROOT / "examples/replies.txt").read_bytes(), "replies.txt")
    for p in sorted((ROOT / "tests/cli").iterdir()):
        put("read_txt", p.read_bytes(), p.name)
    put("read_txt", b"\xef\xbb\xbf" + txt.replace("\n", "\r\n").encode("utf-8"), "replies-bom-crlf.txt")
    put("read_txt", b"\xff\xfe" + txt.encode("utf-16-le"), "replies-utf16le.txt")
    put("read_txt", b"\xfe\xff" + txt.encode("utf-16-be"), "replies-utf16be.txt")
    put("read_txt", txt.encode("gb18030"), "replies-gb18030.txt")
    texts = [json.loads(line)["text"] for _, line in eval_lines()]
    for i, part in enumerate(chunks(texts[::20], 12)):
        put("read_txt", ("\n".join(part) + "\n").encode("utf-8"), f"eval-{i}.txt")

    # read_csv
    for name in ["quick-replies.csv", "quick-replies-gb18030.csv"]:
        put("read_csv", (ROOT / "examples" / name).read_bytes(), name)
    csv = (ROOT / "examples/quick-replies.csv").read_text(encoding="utf-8-sig")
    put("read_csv", b"\xff\xfe" + csv.encode("utf-16-le"), "quick-replies-utf16le.csv")
    put(
        "read_csv",
        'reply,备注\n"说""好""的",a\n"多行\n回复",b\n你自己看吧,\n,空\n"未闭合\n'.encode("utf-8"),
        "quoting.csv",
    )

    # read_jsonl: the chat log, and slices of the evaluation sets (text field, no role).
    put("read_jsonl", (ROOT / "examples/chat-log.jsonl").read_bytes(), "chat-log.jsonl")
    lines = [line for _, line in eval_lines()]
    for i, part in enumerate(chunks(lines[::10], 10)):
        put("read_jsonl", ("\n".join(part) + "\n").encode("utf-8"), f"eval-{i}.jsonl")
    put(
        "read_jsonl",
        '{"role":"客服","content":"你好\\n\\"亲\\"\\u4f60"}\r\n{"role":"user","text":"x"}\n[1]\n{"message":{"content":"嗯"}}\n{bad\n'.encode(
            "utf-8"
        ),
        "escapes.jsonl",
    )

    # read_xlsx: the workbook as written, and re-packed uncompressed so that
    # mutations reach the XML inside.
    xlsx = (ROOT / "examples/quick-replies.xlsx").read_bytes()
    put("read_xlsx", xlsx, "quick-replies.xlsx")
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(xlsx)) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_STORED) as dst:
        for info in src.infolist():
            info2 = zipfile.ZipInfo(info.filename, date_time=(1980, 1, 1, 0, 0, 0))
            info2.compress_type = zipfile.ZIP_STORED
            dst.writestr(info2, src.read(info.filename))
    put("read_xlsx", out.getvalue(), "quick-replies-stored.xlsx")
    xls = xls_workbook(csv) or old_xls
    if xls:
        put("read_xlsx", xls, "quick-replies.xls")

    # pack: the built-in packs whole, and each rule as a pack of its own.
    for path, text in packs:
        put("pack", text.encode("utf-8"), path.name)
        header, *rules = re.split(r"(?m)^(?=\[\[rule\]\]\s*$)", text)
        head = re.search(r"(?ms)^\[pack\].*?(?=^\[\[rule\]\]|\Z)", header).group(0)
        for i, rule in enumerate(rules):
            put("pack", (head + rule).encode("utf-8"), f"{path.stem}-{i + 1}.toml")

    # config: the example configuration, the starter `kefu-lint init` writes, the README's.
    put("config", (ROOT / "examples/kefu-lint.toml").read_bytes(), "example.toml")
    config_rs = (ROOT / "crates/kefu-lint-cli/src/config.rs").read_text(encoding="utf-8")
    starter = re.search(r'pub const STARTER: &str = r#"(.*?)"#;', config_rs, re.S)
    if starter:
        put("config", starter.group(1).encode("utf-8"), "starter.toml")
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    for i, block in enumerate(re.findall(r"```toml\n(.*?)```", readme, re.S)):
        if "fail-on" in block or "select" in block:
            put("config", block.encode("utf-8"), f"readme-{i}.toml")
    put("config", b'ignore = ["nope"]\n', "bad-rule.toml")
    put("config", b'extend-packs = ["shop.toml"]\n[[per-path]]\npaths = ["a/{b"]\n', "bad-glob.toml")

    # render: positions, path, sheet, reply, message, rule name, suggestion,
    # replacement, split at 0xFE (see render in fuzz/src/lib.rs); hostile
    # names and replies of each kind the renderers must escape.
    render_cases = [
        (b"\x00\x40\x80\xff", "replies.txt", "", "亲,你好但是不行", "不要用“但是”", "but", "不过", "不过"),
        (b"\x10\x60", "x\n::error file=evil.txt,line=1::INJECTED", "x\n::error::S", "你\x1b]0;PWNED\x07\x1b[2J但是", "m\r\n::warning::M", "n,a:me", "s%0A", "r\n"),
        (b"\x00\xff\x80\x90", "sp ace#frag%20?.txt", "Sheet\u2028\u202e", "\u0085\u009b31m你\u2029好", "msg", "name", "a/b", "c"),
        (b"\xf0\xf8", "dir/../a:b,c%.csv", "", "好" * 2000 + "但是", "long", "long-line", "", "您"),
        (b"\x00\x01\x02\x03", "\r.txt", "\t", "你" * 500, "\u202e", "\u2066", "\u200f", "\x7f"),
    ]
    for i, fields in enumerate(render_cases):
        data = b"\xfe".join([fields[0]] + [f.encode("utf-8") for f in fields[1:]])
        put("render", data, f"render-{i}")

    # Dictionaries (libFuzzer -dict=): the words the code compares against.
    words, rule_keys, names = set(), set(), set()
    for _, text in packs:
        data = tomllib.loads(text)
        for rule in data.get("rule", []):
            rule_keys.update(rule.keys())
            names.update([rule["id"], rule["name"], rule["category"]])
            for key in ["patterns", "whole", "exceptions", "unless-before", "lacks"]:
                words.update(rule.get(key, []))
    words.update(["亲", "您", "你", "XX", "{订单号}", "【】", "【退货地址】", "“", "”", "「", "」", "\u200b", "！", "？"])
    headers = ["短语", "短语内容", "快捷短语", "回复内容", "内容", "话术", "回复", "phrase", "reply", "text", "content"]
    roles = ["assistant", "agent", "客服", "staff", "seller", "service", "user"]
    pack_words = sorted(rule_keys) + ["[pack]", "[[rule]]", "[rule.examples]", "[rule.fix]", "name", "description"]
    pack_words += ["error", "warning", "info", "safe", "unsafe", "display-only", "clause", "reply", "draft", "library"]
    pack_words += ["applicability", "replacement", "seed", "passage", "bad", "ok", "fixed", "from", "to"]
    config_words = ["fail-on", "mode", "select", "ignore", "allow", "extend-packs", "[severity]", "[[per-path]]", "paths"]
    config_words += ["error", "warning", "info", "draft", "library", "**", "*.csv", "{a,b}", "[!x]"] + sorted(names)
    dicts = {
        "replies": sorted(words),
        "read_txt": sorted(words) + ["\r\n", "\xef\xbb\xbf"],
        "read_csv": sorted(words) + headers + ["\r\n", '""', '","', ",", "\t"],
        "read_jsonl": sorted(words) + roles + [f'"{k}":' for k in ["role", "content", "text", "message"]] + ["\\u", "\\n", '\\"', "{", "}", "null", "[]"],
        "read_xlsx": headers + ["<row", "<c r=", ' t="s"', ' t="inlineStr"', "<v>", "<is><t>", "<si><t>", "<sheet ", "sheetData", "xl/worksheets/sheet1.xml", "PK\x03\x04", "PK\x01\x02", "PK\x05\x06"],
        "pack": sorted(set(pack_words)) + sorted(words)[:60] + ["(?:", "\\d+", "(", ")", "[^", "]", "{2,}", "\\u{4e00}"],
        "config": config_words,
        "render": ["\xfe", "\n", "\r", "\x1b[", "\x07", "::error ", "::", "%", ",", ":", "#", "?", " ", "\u0085", "\u2028", "\u202e", "\u2066"] + sorted(words)[:40],
    }
    DICTS.mkdir(parents=True, exist_ok=True)
    for name, entries in dicts.items():
        lines = []
        for w in dict.fromkeys(entries):
            b = w.encode("latin-1") if w.startswith("PK") or w == "\xfe" else w.encode("utf-8")
            esc = "".join(chr(c) if 0x20 <= c < 0x7F and c not in (0x22, 0x5C) else f"\\x{c:02X}" for c in b)
            lines.append(f'"{esc}"')
        (DICTS / f"{name}.dict").write_text(f"# Generated by fuzz/make_seeds.py\n" + "\n".join(lines) + "\n")

    total = sum(p.stat().st_size for p in SEEDS.rglob("*") if p.is_file())
    count = sum(1 for p in SEEDS.rglob("*") if p.is_file())
    print(f"{count} seed files, {total} bytes")


if __name__ == "__main__":
    main()

"""The Spark QA job (examples/python/spark_qa.py) in Spark local mode
(``local[2]``, pyspark from PyPI, Java 17), checked against the CLI.

The same small chat log (both roles, Simplified and Traditional, emoji and
astral characters, a null message) is checked by the job and by
``kefu-lint check --format json``; the two must agree on the count of
findings per rule and on the set of (line, rule, matched). The CLI binary is
``$KEFU_LINT_BIN``, else ``target/debug/kefu-lint`` or
``target/release/kefu-lint`` at the repository root, built with
``cargo build -p kefu-lint-cli`` when neither exists.

One SparkSession serves the whole module.
"""

from __future__ import annotations

import collections
import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any, Iterable, Iterator, Optional, Sequence

import pyarrow as pa  # type: ignore[import-untyped]  # pyarrow has no type information
import pyarrow.parquet as pq  # type: ignore[import-untyped]
import pytest
from pyspark.sql import SparkSession

import kefu_lint
from conftest import ROOT

sys.path.insert(0, str(ROOT / "examples" / "python"))
import spark_qa  # noqa: E402

# (session, role, content): agent turns with forbidden language in both
# scripts, with emoji and an astral character (𠮷) before a match so that
# code-point and byte offsets differ; customer turns that would be flagged
# if they were checked; clean agent turns; a null message.
CHAT: list[tuple[str, str, Optional[str]]] = [
    ("s1", "customer", "这个能便宜点吗?你们保证正品吗"),
    ("s1", "agent", "不讲价。"),
    ("s1", "customer", "那什么时候发货?"),
    ("s1", "agent", "今天下午发出哦,我们保证明天一定到货"),
    ("s2", "customer", "你们客服怎么不理人,我不知道怎么退款"),
    ("s2", "agent", "你的订单已经到站点了,但是今天派送不了"),
    ("s2", "customer", "😡😡😡"),
    ("s2", "agent", "😅亲,这个我不知道哦,你自己看吧"),
    ("s3", "customer", "請問這款有現貨嗎?"),
    ("s3", "agent", "親,您好,這款有現貨的喔🙏"),
    ("s3", "customer", "能保證明天到嗎"),
    ("s3", "agent", "我們絕對保證明天送到,但是要先付款"),
    ("s4", "customer", "尺码偏大还是偏小"),
    ("s4", "agent", "𠮷🎉您好亲,尺码标准的,但是建议您拍大一码哦"),
    ("s4", "customer", "好"),
    ("s4", "agent", "嗯"),
    ("s5", "customer", "能不能便宜"),
    ("s5", "agent", "親,不講價的。"),
    ("s5", "customer", "那算了"),
    ("s5", "agent", None),
    ("s5", "agent", "您的订单号是{订单号},请您核对一下哦"),
    ("s6", "customer", "快递到哪了"),
    ("s6", "agent", "你自己查物流吧👉"),
    ("s6", "customer", "查不到"),
    ("s6", "agent", "抱歉亲,我不能帮你查,但是可以给您快递电话哦😊"),
    ("s7", "customer", "我要退货"),
    ("s7", "agent", "好的亲,请您在订单页面申请退货,我们会尽快处理哦~"),
    ("s7", "customer", "多久到账"),
    ("s7", "agent", "退款一般1-3個工作日到賬,我們肯定會盡快的😄"),
    ("s8", "customer", "你好"),
    ("s8", "agent", "您好,很高兴为您服务,请问有什么可以帮您?"),
    ("s8", "customer", "你们这个质量太差了"),
    ("s8", "agent", "不可能,我们的质量绝对没问题"),
    ("s8", "customer", "呵呵"),
    ("s8", "agent", "亲,非常抱歉给您带来不好的体验,我们马上为您处理🙇"),
]


def _chat_parquet(path: Path, chat: Sequence[tuple[str, str, Optional[str]]], session: str, role: str, text: str) -> str:
    """A Parquet chat log of `chat` at `path`, its columns named `line`,
    `session`, `role` and `text` as given; the path as a string."""
    table = pa.table(
        {
            "line": list(range(1, len(chat) + 1)),
            session: [s for s, _, _ in chat],
            role: [r for _, r, _ in chat],
            text: [c for _, _, c in chat],
        }
    )
    pq.write_table(table, path)
    return str(path)


def write_jsonl(path: Path, rows: Sequence[tuple[str, str, Optional[str]]]) -> None:
    """Writes CHAT-shaped rows as JSON Lines, each with its own 1-based line number."""
    with open(path, "w", encoding="utf-8") as f:
        for line, (s, r, c) in enumerate(rows, start=1):
            f.write(json.dumps({"line": line, "session": s, "role": r, "content": c}, ensure_ascii=False) + "\n")


def kefu_lint_bin() -> str:
    """The CLI binary to compare with (see the module's docstring)."""
    if os.environ.get("KEFU_LINT_BIN"):
        return os.environ["KEFU_LINT_BIN"]
    for profile in ("debug", "release"):
        candidate = ROOT / "target" / profile / "kefu-lint"
        if candidate.exists():
            return str(candidate)
    subprocess.run(["cargo", "build", "-q", "-p", "kefu-lint-cli"], cwd=ROOT, check=True)
    return str(ROOT / "target" / "debug" / "kefu-lint")


def cli_findings(path: Path) -> list[dict[str, Any]]:
    """``kefu-lint check --format json`` of ``path``, agent turns only."""
    proc = subprocess.run(
        [kefu_lint_bin(), "check", "--no-config", "--agent-role", "agent", "--format", "json", str(path)],
        capture_output=True,
        text=True,
    )
    assert proc.returncode in (0, 1), proc.stderr
    findings: list[dict[str, Any]] = json.loads(proc.stdout)
    return findings


@pytest.fixture(scope="module")
def spark() -> Iterator[SparkSession]:
    # The workers run this interpreter (the test's virtual environment), as a
    # cluster's run the one PYSPARK_PYTHON names.
    os.environ.setdefault("PYSPARK_PYTHON", sys.executable)
    session = (
        SparkSession.builder.master("local[2]")
        .appName("test_spark_qa")
        .config("spark.ui.enabled", "false")
        .config("spark.ui.showConsoleProgress", "false")
        .config("spark.sql.shuffle.partitions", "2")
        .getOrCreate()
    )
    session.sparkContext.setLogLevel("ERROR")
    yield session
    session.stop()


@pytest.fixture(scope="module")
def chat_log(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("chat") / "chat.jsonl"
    write_jsonl(path, CHAT)
    return path


@pytest.fixture(scope="module")
def job_rows(
    spark: SparkSession, chat_log: Path, tmp_path_factory: pytest.TempPathFactory
) -> list[dict[str, Any]]:
    """The job's findings on the chat log, as dicts."""
    out = tmp_path_factory.mktemp("out") / "findings.parquet"
    spark_qa.run(spark, str(chat_log), str(out))
    return [r.asDict() for r in spark.read.parquet(str(out)).collect()]


def test_same_count_per_rule_as_the_cli(chat_log: Path, job_rows: list[dict[str, Any]]) -> None:
    cli = cli_findings(chat_log)
    assert len(cli) >= 15, "the chat log should give the comparison something to compare"
    assert len({f["rule"] for f in cli}) >= 6
    assert collections.Counter(r["rule"] for r in job_rows) == collections.Counter(f["rule"] for f in cli)


def test_same_line_rule_matched_as_the_cli(chat_log: Path, job_rows: list[dict[str, Any]]) -> None:
    cli = cli_findings(chat_log)
    assert {(r["line"], r["rule"], r["matched"]) for r in job_rows} == {
        (f["line"], f["rule"], f["matched"]) for f in cli
    }


def test_only_agent_turns_are_checked(job_rows: list[dict[str, Any]]) -> None:
    assert job_rows
    assert {r["role"] for r in job_rows} == {"agent"}
    customer_lines = {n for n, (_, role, _) in enumerate(CHAT, start=1) if role == "customer"}
    assert not customer_lines & {r["line"] for r in job_rows}


def test_rows_carry_the_source_columns_and_code_point_offsets(job_rows: list[dict[str, Any]]) -> None:
    for r in job_rows:
        session, role, content = CHAT[r["line"] - 1]
        assert (r["session"], r["role"], r["content"]) == (session, role, content)
        assert content[r["start"] : r["end"]] == r["matched"]
        assert r["severity"] in ("error", "warning", "info")
        assert r["message"] and r["name"]
    # 𠮷🎉 (two astral code points, 8 bytes) stand before 但是 on line 14.
    but = [r for r in job_rows if r["line"] == 14 and r["name"] == "but"]
    assert [(r["start"], r["end"], r["matched"]) for r in but] == [(12, 14, "但是")]


def test_known_findings_by_hand(job_rows: list[dict[str, Any]]) -> None:
    found = {(r["line"], r["name"]) for r in job_rows}
    for expected in [
        (2, "no-bargaining"),  # 不讲价。
        (4, "over-promise"),  # 保证
        (6, "ni-instead-of-nin"),  # 你的订单
        (6, "but"),
        (8, "dont-know"),  # 我不知道
        (12, "over-promise"),  # 絕對保證 (Traditional)
        (18, "no-bargaining"),  # 不講價 (Traditional)
        (21, "placeholder"),  # {订单号}
    ]:
        assert expected in found
    clean = {10, 27, 31, 35}
    assert not clean & {r["line"] for r in job_rows}
    assert 20 not in {r["line"] for r in job_rows}  # the null message


def test_parquet_input_with_other_column_names_and_roles(spark: SparkSession, tmp_path: Path, job_rows: list[dict[str, Any]]) -> None:
    renamed = [(s, {"agent": "客服", "customer": "买家"}[r], c) for s, r, c in CHAT]
    src = _chat_parquet(tmp_path / "chat.parquet", renamed, "conv", "speaker", "text")
    out = tmp_path / "out"
    spark_qa.run(
        spark, src, str(out), session_col="conv", role_col="speaker", text_col="text", agent_roles=["客服"]
    )
    rows = spark.read.parquet(str(out)).collect()
    assert {(r["line"], r["rule"], r["matched"]) for r in rows} == {
        (r["line"], r["rule"], r["matched"]) for r in job_rows
    }
    assert {r["speaker"] for r in rows} == {"客服"}


def test_config_file_selects_rules(spark: SparkSession, chat_log: Path, tmp_path: Path, job_rows: list[dict[str, Any]]) -> None:
    """Two configurations, both named kefu-lint.toml, one after the other in one session."""
    for name in ("but", "over-promise"):
        directory = tmp_path / name
        directory.mkdir()
        config = directory / "kefu-lint.toml"
        config.write_text(f'select = ["{name}"]\n', encoding="utf-8")
        out = directory / "out"
        spark_qa.run(spark, str(chat_log), str(out), config=str(config))
        rows = spark.read.parquet(str(out)).collect()
        assert {r["name"] for r in rows} == {name}
        assert len(rows) == sum(1 for r in job_rows if r["name"] == name)


def test_one_linter_per_worker_process(spark: SparkSession, chat_log: Path) -> None:
    """Many tasks in the two worker processes: each process builds one Linter."""
    from pyspark.sql.types import LongType, StructField, StructType

    spark.sparkContext.addPyFile(spark_qa.__file__)
    df = spark.read.json(str(chat_log)).repartition(8)
    schema = StructType([StructField("pid", LongType()), StructField("linter", LongType())])

    def probe(batches: Iterable[pa.RecordBatch]) -> Iterator[pa.RecordBatch]:
        import spark_qa as on_worker

        for _ in batches:
            linter = on_worker.cached_linter(None)
            # Keep every Linter seen alive, so two distinct ones never share an id.
            sys.__dict__.setdefault("_kefu_lint_test_seen", []).append(linter)
            yield pa.RecordBatch.from_pydict({"pid": [os.getpid()], "linter": [id(linter)]})

    seen = spark.createDataFrame(df.mapInArrow(probe, schema).distinct().collect())
    rows = seen.collect()
    assert len(rows) >= 2
    assert len({r["pid"] for r in rows}) == len(rows), f"more than one Linter in a process: {rows}"


def test_missing_column_is_named(spark: SparkSession, chat_log: Path, tmp_path: Path) -> None:
    with pytest.raises(spark_qa.JobError, match=r"no text column 'body'.*'content'.*--text-col"):
        spark_qa.run(spark, str(chat_log), str(tmp_path / "out"), text_col="body")


def test_text_column_of_numbers_is_an_error(spark: SparkSession, chat_log: Path, tmp_path: Path) -> None:
    with pytest.raises(spark_qa.JobError, match=r"text column 'line' holds bigint, not strings"):
        spark_qa.run(spark, str(chat_log), str(tmp_path / "out"), text_col="line")


def test_malformed_json_line_is_an_error(spark: SparkSession, tmp_path: Path) -> None:
    path = tmp_path / "bad.jsonl"
    path.write_text('{"session": "s1", "role": "agent", "content": "你好"}\n{"session": "s1", "role"\n', "utf-8")
    with pytest.raises(spark_qa.JobError, match=r"bad.jsonl: a line is not a JSON object"):
        spark_qa.run(spark, str(path), str(tmp_path / "out"))


def test_unknown_extension_asks_for_the_format(spark: SparkSession, tmp_path: Path) -> None:
    with pytest.raises(spark_qa.JobError, match=r"--input-format"):
        spark_qa.run(spark, str(tmp_path / "chat.log"), str(tmp_path / "out"))


def test_bad_config_fails_on_the_driver(spark: SparkSession, chat_log: Path, tmp_path: Path) -> None:
    config = tmp_path / "kefu-lint.toml"
    config.write_text('select = ["no-such-rule"]\n', encoding="utf-8")
    with pytest.raises(kefu_lint.ConfigError, match="no-such-rule"):
        spark_qa.run(spark, str(chat_log), str(tmp_path / "out"), config=str(config))


def test_findings_column_clash_is_an_error(spark: SparkSession, tmp_path: Path) -> None:
    path = tmp_path / "clash.jsonl"
    path.write_text('{"session": "s1", "role": "agent", "content": "你好", "rule": "x"}\n', "utf-8")
    with pytest.raises(spark_qa.JobError, match=r"column named 'rule'"):
        spark_qa.run(spark, str(path), str(tmp_path / "out"))


def test_main_writes_and_says_how_many(
    spark: SparkSession, chat_log: Path, tmp_path: Path, job_rows: list[dict[str, Any]], capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "out"
    assert spark_qa.main([str(chat_log), str(out), "--agent-role", "agent"]) == 0
    assert pq.read_table(out).num_rows == len(job_rows)
    assert f"spark_qa: {len(job_rows)} findings written to {out} (" in capsys.readouterr().err
    assert spark.range(3).count() == 3, "main stopped the session it did not start"


def test_main_exits_2_with_one_line_on_bad_input(
    spark: SparkSession, chat_log: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert spark_qa.main([str(chat_log), str(tmp_path / "out"), "--text-col", "body"]) == 2
    assert capsys.readouterr().err.startswith("spark_qa: error: no text column 'body' in the input")
    existing = tmp_path / "existing"
    existing.mkdir()
    assert spark_qa.main([str(chat_log), str(existing)]) == 2
    err = capsys.readouterr().err
    assert err.startswith("spark_qa: error: ") and "already exists" in err and err.count("\n") == 1
    assert spark_qa.main([str(tmp_path / "missing.jsonl"), str(tmp_path / "out2")]) == 2
    assert "missing.jsonl" in capsys.readouterr().err


# What an outside tester found: each refused in one line before anything is
# written, or handled.


@pytest.mark.parametrize("layout", ["same", "output inside input", "input inside output"])
def test_an_output_over_the_input_is_refused_and_the_log_kept(spark: SparkSession, tmp_path: Path, layout: str) -> None:
    if layout == "same":
        src = out = tmp_path / "inout.jsonl"
    elif layout == "output inside input":
        src, out = tmp_path / "logs", tmp_path / "logs" / "findings"
    else:
        src, out = tmp_path / "out" / "chat.jsonl", tmp_path / "out"
    src.parent.mkdir(parents=True, exist_ok=True)
    if layout == "output inside input":
        src.mkdir()
        write_jsonl(src / "part.jsonl", CHAT)
    else:
        write_jsonl(src, CHAT)
    before = sorted((p.name, p.read_bytes()) for p in ([src] if src.is_file() else src.iterdir()))
    with pytest.raises(spark_qa.JobError, match=r"the output .* (is|overlaps) the input .*would delete the chat log"):
        spark_qa.run(spark, str(src), str(out), input_format="json", overwrite=True)
    assert sorted((p.name, p.read_bytes()) for p in ([src] if src.is_file() else src.iterdir())) == before


def test_a_config_with_extend_packs_is_refused_on_the_driver(
    spark: SparkSession, chat_log: Path, tmp_path: Path, root: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (tmp_path / "shop-pack.toml").write_bytes((root / "examples/shop-pack.toml").read_bytes())
    config = tmp_path / "kefu-lint.toml"
    config.write_text('extend-packs = ["shop-pack.toml"]\n', encoding="utf-8")
    kefu_lint.Linter(config)  # valid for the library and the CLI
    assert spark_qa.main([str(chat_log), str(tmp_path / "out"), "--config", str(config)]) == 2
    err = capsys.readouterr().err
    assert err.startswith(f"spark_qa: error: {config}:1:17: its extend-packs cannot be used") and err.count("\n") == 1
    assert "not shop-pack.toml" in err
    assert not (tmp_path / "out").exists()


def test_the_configs_mode_is_used(spark: SparkSession, tmp_path: Path) -> None:
    """mode = "library" in the file: a template's placeholder is no finding (as with the CLI)."""
    log = tmp_path / "ph.jsonl"
    write_jsonl(log, [("s1", "agent", "亲,您的订单{订单号}已发货哦")])
    config = tmp_path / "kefu-lint.toml"
    config.write_text('mode = "library"\n', encoding="utf-8")
    spark_qa.run(spark, str(log), str(tmp_path / "draft"))
    assert [r["name"] for r in spark.read.parquet(str(tmp_path / "draft")).collect()] == ["placeholder"]
    spark_qa.run(spark, str(log), str(tmp_path / "library"), config=str(config))
    assert spark.read.parquet(str(tmp_path / "library")).count() == 0


@pytest.mark.parametrize(
    ("make", "message"),
    [
        ("json named parquet", r"chat.parquet: cannot be read as Parquet .*--input-format json"),
        ("missing", r"missing.jsonl: no such file or directory$"),
        ("empty", r"empty.jsonl: the input is empty"),
        ("parent is a file", r"afile/out: .*afile is a file, not a directory$"),
        ("existing output", r"out already exists: pass --overwrite to replace it$"),
    ],
)
def test_bad_paths_are_one_line_errors(
    spark: SparkSession, tmp_path: Path, make: str, message: str, capsys: pytest.CaptureFixture[str]
) -> None:
    src, out = tmp_path / "chat.jsonl", tmp_path / "out"
    write_jsonl(src, CHAT)
    if make == "json named parquet":
        src = src.rename(tmp_path / "chat.parquet")
    elif make == "missing":
        src = tmp_path / "missing.jsonl"
    elif make == "empty":
        src = tmp_path / "empty.jsonl"
        src.write_bytes(b"")
    elif make == "parent is a file":
        (tmp_path / "afile").write_text("x", "utf-8")
        out = tmp_path / "afile" / "out"
    else:
        out.mkdir()
    assert spark_qa.main([str(src), str(out)]) == 2
    err = capsys.readouterr().err
    assert err.startswith("spark_qa: error: ") and err.count("\n") == 1, err
    assert __import__("re").search(message, err.rstrip("\n")), err


def test_a_column_name_with_a_dot(spark: SparkSession, tmp_path: Path, job_rows: list[dict[str, Any]]) -> None:
    src = _chat_parquet(tmp_path / "odd.parquet", CHAT, "会话 id", "sender.type", "文本")
    out = tmp_path / "out"
    spark_qa.run(spark, src, str(out), session_col="会话 id", role_col="sender.type", text_col="文本")
    rows = spark.read.parquet(str(out)).collect()
    assert {(r["line"], r["rule"], r["matched"]) for r in rows} == {
        (r["line"], r["rule"], r["matched"]) for r in job_rows
    }
    assert rows and {r["sender.type"] for r in rows} == {"agent"}


@pytest.mark.parametrize(
    ("contents", "message"),
    [
        (["我不能", {"text": "你自己看吧"}], r"text column 'content' holds JSON objects, not strings"),
        (["我不能", ["你自己看吧"]], r"text column 'content' holds JSON arrays, not strings"),
        (["{订单号}已发货"] * 150 + ["[图片]"] * 150 + [{"text": "x"}], r"text column 'content' holds JSON objects"),
        ([{"text": "我不能"}], r"text column 'content' holds struct<text:string>, not strings"),
        ([{"a": "我不能"}, {"b": "x"}], r"text column 'content' holds struct<a:string,b:string>, not strings"),
    ],
)
def test_a_text_column_of_objects_is_an_error(spark: SparkSession, tmp_path: Path, contents: list[object], message: str) -> None:
    src = tmp_path / "objcontent.jsonl"
    src.write_text(
        "".join(json.dumps({"session": "s", "role": "agent", "content": c}, ensure_ascii=False) + "\n" for c in contents),
        "utf-8",
    )
    with pytest.raises(spark_qa.JobError, match=message):
        spark_qa.run(spark, str(src), str(tmp_path / "out"))


def test_a_text_column_with_braces_in_replies_is_checked(spark: SparkSession, tmp_path: Path) -> None:
    src = tmp_path / "braces.jsonl"
    write_jsonl(src, [("s", "agent", "{订单号}已发货"), ("s", "agent", "[图片]您好"), ("s", "agent", '{"a": 1}是示例')])
    spark_qa.run(spark, str(src), str(tmp_path / "out"))
    rows = spark.read.parquet(str(tmp_path / "out")).collect()
    assert collections.Counter((r["line"], r["rule"]) for r in rows) == collections.Counter(
        (f["line"], f["rule"]) for f in cli_findings(src)
    )
    assert (1, "placeholder") in {(r["line"], r["name"]) for r in rows}


def test_no_agent_row_names_the_roles_seen(spark: SparkSession, chat_log: Path, tmp_path: Path) -> None:
    counts = collections.Counter(role for _, role, _ in CHAT)
    seen = ", ".join(f"'{role}' \\({n}\\)" for role, n in counts.most_common())
    for roles in (["assistant"], ["客服", "bot*"]):
        with pytest.raises(spark_qa.JobError, match=f"no row has an agent role .*'role' \\(values seen: {seen}; 0 null\\).*--agent-role"):
            spark_qa.run(spark, str(chat_log), str(tmp_path / "out"), agent_roles=roles)
    with pytest.raises(spark_qa.JobError, match="--agent-role .*an empty pattern matches no sender"):
        spark_qa.run(spark, str(chat_log), str(tmp_path / "out"), agent_roles=[""])
    assert not (tmp_path / "out").exists()


def test_roles_match_like_the_cli_and_null_roles_are_counted(
    spark: SparkSession, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """AGENT and Agent match agent (any case, as the CLI's --agent-role); a
    null role is checked, as the CLI checks it, and said."""
    src = tmp_path / "roles.jsonl"
    rows: list[tuple[str, Any, Optional[str]]] = [
        ("s", "agent", "我不能"),
        ("s", "AGENT", "我不能"),
        ("s", "Agent", "我不能"),
        ("s", None, "我不能"),
        ("s", "customer", "我不能"),
    ]
    write_jsonl(src, rows)
    summary = spark_qa.run(spark, str(src), str(tmp_path / "out"))
    assert summary == spark_qa.Summary(["AGENT", "Agent", "agent"], 1)
    assert {r["line"] for r in spark.read.parquet(str(tmp_path / "out")).collect()} == {1, 2, 3, 4}
    assert spark_qa.main([str(src), str(tmp_path / "out2")]) == 0
    err = capsys.readouterr().err
    assert "roles checked: AGENT, Agent, agent" in err and "spark_qa: 1 row whose role is null was checked" in err
    job = collections.Counter((r["line"], r["rule"]) for r in spark.read.parquet(str(tmp_path / "out2")).collect())
    assert job == collections.Counter((f["line"], f["rule"]) for f in cli_findings(src))


def test_the_job_as_a_command_prints_its_error_on_a_line_of_its_own(chat_log: Path, tmp_path: Path) -> None:
    """A Spark of its own, as spark-submit runs it: no progress bar, no log lines after the start, one error line."""
    env = dict(os.environ, PYSPARK_PYTHON=sys.executable)
    proc = subprocess.run(
        [sys.executable, str(ROOT / "examples/python/spark_qa.py"), str(chat_log), str(tmp_path / "out"), "--agent-role", "bot"],
        capture_output=True,
        text=True,
        env=env,
    )
    assert proc.returncode == 2, proc.stderr
    lines = proc.stderr.splitlines()
    assert lines[-1].startswith("spark_qa: error: no row has an agent role 'bot'"), proc.stderr
    assert "[Stage" not in proc.stderr and "Traceback" not in proc.stderr
    start = lines.index("Setting default log level to \"WARN\".") + 3
    # Spark says so when spark.log.level sets the level as the session starts.
    said = 'Setting Spark log level to "ERROR".'
    assert not [line for line in lines[start:-1] if line.strip() and line != said], proc.stderr


def test_a_glob_input_is_left_to_spark(spark: SparkSession, chat_log: Path, tmp_path: Path, job_rows: list[dict[str, Any]]) -> None:
    pattern = str(chat_log.parent / "*.jsonl")
    spark_qa.run(spark, pattern, str(tmp_path / "out"), input_format="json")
    assert spark.read.parquet(str(tmp_path / "out")).count() == len(job_rows)


# What a second outside tester found.


@pytest.mark.parametrize("pattern", ["{logs,zz}/a.jsonl", "[l]ogs/*.jsonl", "lo?s/a.jsonl", "{logs}"])
def test_a_glob_naming_a_file_under_the_output_is_refused_and_the_log_kept(
    spark: SparkSession, tmp_path: Path, pattern: str
) -> None:
    """The glob is expanded (Hadoop's syntax, {a,b} included) before the overlap check."""
    logs = tmp_path / "logs"
    logs.mkdir()
    write_jsonl(logs / "a.jsonl", CHAT)
    before = (logs / "a.jsonl").read_bytes()
    with pytest.raises(spark_qa.JobError, match=r"the output .*logs (is|overlaps) the input .*would delete the chat log"):
        spark_qa.run(spark, str(tmp_path / pattern), str(logs), input_format="json", overwrite=True)
    assert (logs / "a.jsonl").read_bytes() == before


@pytest.mark.parametrize("pattern", ["[^c]*", "[!c]*"])
def test_a_negated_class_in_agent_role_matches_as_the_cli(spark: SparkSession, chat_log: Path, tmp_path: Path, pattern: str) -> None:
    summary = spark_qa.run(spark, str(chat_log), str(tmp_path / "out"), agent_roles=[pattern])
    assert summary.agent_roles == ["agent"]
    job = collections.Counter((r["line"], r["rule"]) for r in spark.read.parquet(str(tmp_path / "out")).collect())
    assert job == collections.Counter((f["line"], f["rule"]) for f in cli_findings(chat_log))


def test_the_configs_role_field_and_agent_role_are_used(spark: SparkSession, tmp_path: Path) -> None:
    """As kefu-lint check --config reads them; the command line over the file."""
    src = tmp_path / "speakers.jsonl"
    src.write_text(
        "".join(
            json.dumps({"session": "s", "speaker": r, "content": "我不能"}, ensure_ascii=False) + "\n"
            for r in ("客服", "assistant", "buyer")
        ),
        "utf-8",
    )
    config = tmp_path / "kefu-lint.toml"
    config.write_text('role-field = "speaker"\nagent-role = ["assistant", "客服"]\n', encoding="utf-8")
    summary = spark_qa.run(spark, str(src), str(tmp_path / "out"), config=str(config))
    assert summary.agent_roles == ["assistant", "客服"]
    summary = spark_qa.run(spark, str(src), str(tmp_path / "out2"), config=str(config), agent_roles=["buy*"])
    assert summary.agent_roles == ["buyer"]
    with pytest.raises(spark_qa.JobError, match="no role column 'role'"):
        spark_qa.run(spark, str(src), str(tmp_path / "out3"), config=str(config), role_col="role")


@pytest.mark.parametrize("name", ["Message", "RULE", "Start"])
def test_a_findings_column_name_in_another_case_is_refused(spark: SparkSession, tmp_path: Path, name: str) -> None:
    src = tmp_path / "clash.jsonl"
    src.write_text(json.dumps({"session": "s", "role": "agent", "content": "我不能", name: "x"}) + "\n", "utf-8")
    with pytest.raises(spark_qa.JobError, match=f"column named '{name}'"):
        spark_qa.run(spark, str(src), str(tmp_path / "out"))


@pytest.mark.parametrize(
    "line",
    [
        '{"session": "s", "role": "agent", "content": "a", "Content": "b"}',
        '{"session": "s", "role": "agent", "content": "a", "content": "b"}',
    ],
)
def test_a_key_twice_is_one_line_exit_2(spark: SparkSession, tmp_path: Path, line: str, capsys: pytest.CaptureFixture[str]) -> None:
    src = tmp_path / "dup.jsonl"
    src.write_text(line + "\n", "utf-8")
    assert spark_qa.main([str(src), str(tmp_path / "out")]) == 2
    err = capsys.readouterr().err
    assert err.startswith(f"spark_qa: error: {src}: ") and err.count("\n") == 1, err
    assert "content" in err.lower() and not (tmp_path / "out").exists()


@pytest.mark.parametrize(
    "line",
    [
        '[{"session": "s", "role": "agent", "content": "你自己看吧"}, {"session": "s", "role": "agent", "content": "我不能"}]',
        '{"session": "s", "role": "agent", "content": "我不能"} garbage',
    ],
)
def test_an_array_line_or_trailing_text_is_refused_as_the_cli_refuses_it(spark: SparkSession, tmp_path: Path, line: str) -> None:
    src = tmp_path / "shape.jsonl"
    src.write_text('{"session": "s", "role": "agent", "content": "您好"}\n' + line + "\n", "utf-8")
    with pytest.raises(spark_qa.JobError, match=r"shape.jsonl: a line is not a JSON object: '(\[|\{).*'"):
        spark_qa.run(spark, str(src), str(tmp_path / "out"))
    proc = subprocess.run([kefu_lint_bin(), "check", "--no-config", str(src)], capture_output=True, text=True)
    assert proc.returncode == 2, proc.stderr


@pytest.mark.parametrize("make", ["empty directory", "zero-row parquet", "glob matching nothing"])
def test_an_empty_input_is_one_line_exit_2(spark: SparkSession, tmp_path: Path, make: str, capsys: pytest.CaptureFixture[str]) -> None:
    args = []
    if make == "empty directory":
        src = tmp_path / "emptydir"
        src.mkdir()
        args, message = ["--input-format", "json"], "emptydir: the input is empty"
    elif make == "zero-row parquet":
        src = tmp_path / "none.parquet"
        pq.write_table(pa.table({"session": pa.array([], pa.string()), "role": pa.array([], pa.string()), "content": pa.array([], pa.string())}), src)
        message = "the input is empty"
    else:
        src = tmp_path / "nothing*.jsonl"
        message = "nothing*.jsonl: no such file or directory (the glob matches no file)"
    assert spark_qa.main([str(src), str(tmp_path / "out"), *args]) == 2
    err = capsys.readouterr().err
    assert err.startswith("spark_qa: error: ") and err.count("\n") == 1 and message in err, err


@pytest.mark.parametrize("args", [["--bogus"], ["--input-format", "csv"], []])
def test_a_bad_command_line_is_one_line_exit_2(args: list[str], capsys: pytest.CaptureFixture[str]) -> None:
    assert spark_qa.main(["in.jsonl", "out", *args][: 1 if not args else None]) == 2
    err = capsys.readouterr().err
    assert err.startswith("spark_qa: error: ") and err.count("\n") == 1 and "(see --help)" in err, err


def test_the_extend_packs_error_names_the_pack_and_leaves_no_temporary_files(
    spark: SparkSession, chat_log: Path, tmp_path: Path, root: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    import glob
    import tempfile

    (tmp_path / "shop-pack.toml").write_bytes((root / "examples/shop-pack.toml").read_bytes())
    config = tmp_path / "kefu-lint.toml"
    config.write_text('mode = "draft"\nextend-packs = ["shop-pack.toml"]\n', encoding="utf-8")
    before = set(glob.glob(os.path.join(tempfile.gettempdir(), "kefu-lint-*")))
    assert spark_qa.main([str(chat_log), str(tmp_path / "out"), "--config", str(config)]) == 2
    err = capsys.readouterr().err
    assert "shop-pack.toml" in err and f"{config}:2:" in err and "/kefu-lint-" not in err.replace(str(config), ""), err
    spark_qa.run(spark, str(chat_log), str(tmp_path / "out"), config=str(root / "examples/kefu-lint.toml"))
    assert set(glob.glob(os.path.join(tempfile.gettempdir(), "kefu-lint-*"))) == before


def test_a_worker_without_pyarrow_is_one_line_naming_the_cause(chat_log: Path, tmp_path: Path) -> None:
    """PYSPARK_PYTHON unset (or naming a Python without the packages): the
    cause is only in the workers' traceback; the job's last line names it."""
    bare = tmp_path / "bare"
    subprocess.run([sys.base_prefix + "/bin/python3", "-m", "venv", "--without-pip", str(bare)], check=True)
    env = dict(os.environ, PYSPARK_PYTHON=str(bare / "bin/python3"))
    proc = subprocess.run(
        [sys.executable, str(ROOT / "examples/python/spark_qa.py"), str(chat_log), str(tmp_path / "out")],
        capture_output=True,
        text=True,
        env=env,
    )
    assert proc.returncode == 1, proc.stderr
    last = proc.stderr.splitlines()[-1]
    assert last.startswith("spark_qa: error: Spark failed: the executors' Python cannot run the job (No module named"), proc.stderr
    assert "PYSPARK_PYTHON" in last

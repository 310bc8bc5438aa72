#!/usr/bin/env python3
"""Batch QA (质检) of chat logs on Spark with kefu-lint.

Reads a chat log (JSON Lines or Parquet, one message per row), keeps the
agent's turns, checks them with ``kefu_lint`` on the executors in Arrow
batches (``mapInArrow``) and writes the findings as Parquet: one row per
finding, holding every column of the message's row followed by

    rule      str  the rule's id (KF007)
    name      str  the rule's name (but)
    severity  str  error | warning | info
    start     int  where the match starts in the text column, in code points
    end       int  where it ends (exclusive), in code points
    matched   str  text[start:end]
    message   str  what is wrong and what to write instead

A turn without findings writes no row. An input column with one of these
names, in any case (``Message``, ``RULE``), is refused: Spark compares
column names without regard to case.

Agent turns are the rows whose role matches an ``--agent-role`` pattern
(default: the ``--config`` file's ``agent-role``, else ``agent``): a glob
(``*`` any characters, ``?`` one, ``[…]`` a class, ``[!…]`` its
complement), compared without regard to case by ``kefu_lint.AgentRoles``,
the matcher of ``kefu-lint check --agent-role``. ``--role-col`` defaults
to the file's ``role-field``, else ``role``. The file's ``[[per-path]]``
entries do not apply (its top-level settings do). When
no row matches, the job stops with the role values it saw. Rows with no
role (null) are checked, as ``kefu-lint check`` checks a message without a
sender, and counted in the summary.

Before anything is written the job refuses, in one line and with exit
status 2: an output path equal to the input, inside it or holding one of
the files the input names (a glob, ``{a,b}`` included, is expanded by
Hadoop's file system first, as Spark expands it); an existing output
without ``--overwrite``; a missing or empty input (a glob matching nothing,
an empty directory, Parquet with no row); a file that is not of the
``--input-format``; a JSON Lines line that is not one JSON object (an
array, trailing text); two columns whose names differ only in case; a text
column that holds no strings (numbers, or JSON objects/arrays in a JSON
Lines log); a ``--config`` with ``extend-packs`` (only the kefu-lint.toml's
text reaches the executors); a bad command line. A Spark failure is one
line too, exit status 1, naming a module the executors' Python lacks.
Spark, like this job, skips files whose names start with ``_`` or ``.``.

Usage (the same command on a laptop and on a cluster)::

    spark-submit examples/python/spark_qa.py chats.jsonl findings.parquet \\
        [--session-col session] [--role-col role] [--text-col content] \\
        [--agent-role agent ...] [--config kefu-lint.toml] [--overwrite]

The job's own lines go to standard error; spark-submit may merge its
child's standard error into its standard output.

``python3 examples/python/spark_qa.py …`` runs it in local mode. The
``kefu_lint`` package must be importable on the driver and on every
executor: installed on every worker, or shipped as a packed virtual
environment with ``--archives`` (docs/python.md, "Batch QA on Spark").

Each Python worker process builds its ``Linter`` once (``cached_linter``)
and reuses it for every batch and task it runs; for that, this file is
shipped to the executors (``SparkContext.addPyFile``) and imported there
as the module ``spark_qa``, so that the cache is a module global of the
worker process rather than of one deserialised task.
"""

from __future__ import annotations

import argparse
import collections
import json
import os
import posixpath
import re
import sys
import tempfile
import typing
from typing import TYPE_CHECKING, Iterable, Iterator, NamedTuple, Optional, Sequence

if TYPE_CHECKING:  # pragma: no cover
    import pyarrow  # type: ignore[import-untyped]  # pyarrow has no type information
    from pyspark.sql import Column, DataFrame, SparkSession
    from pyspark.sql.types import StructType

    import kefu_lint

#: The columns each finding adds after the source columns, in this order.
FINDING_COLUMNS = ("rule", "name", "severity", "start", "end", "matched", "message")

#: Input formats by file extension (a directory or another name needs --input-format).
FORMATS_BY_SUFFIX = {".jsonl": "json", ".ndjson": "json", ".json": "json", ".parquet": "parquet"}

# One Linter per worker process and configuration: {kefu-lint.toml text or None: Linter}.
_LINTERS: dict[Optional[str], "kefu_lint.Linter"] = {}


class JobError(Exception):
    """A problem with the job's input or arguments, said in one line (no traceback)."""


class Summary(NamedTuple):
    """What ``run`` checked."""

    agent_roles: list[str]
    """The role values whose turns were checked (those the patterns matched)."""
    null_roles: int
    """How many rows had no role (null); they were checked too."""


def cached_linter(config_toml: Optional[str]) -> "kefu_lint.Linter":
    """The ``kefu_lint.Linter`` for the kefu-lint.toml text ``config_toml``
    (None: the built-in rules), built on the first call in this process and
    the same object on every later call with the same text. The text is
    written to a file of its own in a temporary directory for the ``Linter``
    to read, removed once it is built.

    Raises ``kefu_lint.ConfigError`` / ``PackError`` when the configuration
    is bad (``run`` has checked it on the driver first).
    """
    linter = _LINTERS.get(config_toml)
    if linter is None:
        import kefu_lint

        if config_toml is None:
            linter = kefu_lint.Linter()
        else:
            with tempfile.TemporaryDirectory(prefix="kefu-lint-") as tmp:
                path = os.path.join(tmp, "kefu-lint.toml")
                with open(path, "w", encoding="utf-8") as f:
                    f.write(config_toml)
                linter = kefu_lint.Linter(path)
        _LINTERS[config_toml] = linter
    return linter


def read_config(config: str) -> str:
    """The text of the kefu-lint.toml at ``config``, once a ``Linter`` has been
    built from it here (so a bad file fails with its own name and position)
    and from its text alone, as the executors build it.

    Raises ``kefu_lint.ConfigError`` / ``PackError`` for a bad file,
    ``JobError`` for a file that needs more than its text (its
    ``extend-packs``, which the executors do not receive), naming the file,
    the place and the pack.
    """
    import kefu_lint

    kefu_lint.Linter(config)
    with open(config, encoding="utf-8") as f:
        text = f.read()
    try:
        cached_linter(text)
    except kefu_lint.ConfigError as e:
        place, pack = "", "its packs"
        if e.line is not None and e.column is not None:
            place = f":{e.line}:{e.column}"
            # The same text as the file's: the error points at the pack's name there.
            named = re.match(r"\"([^\"]*)\"|'([^']*)'", text.splitlines()[e.line - 1][e.column - 1 :])
            pack = named.group(named.lastindex or 0) if named else pack
        raise JobError(
            f"{config}{place}: its extend-packs cannot be used by the Spark job, which sends the executors "
            f"only the kefu-lint.toml's text, not {pack}: remove extend-packs"
        ) from None
    return text


def config_roles(config: Optional[str]) -> tuple[Optional[str], Optional[list[str]]]:
    """``(role_field, agent_role)`` of the kefu-lint.toml at ``config``
    (top-level settings; each None when unset, and both for no file).
    Raises ``kefu_lint.ConfigError`` for a bad file."""
    import kefu_lint

    return (None, None) if config is None else kefu_lint.config_roles(config)


def finding_schema(source: "StructType") -> "StructType":
    """The output schema: the source DataFrame's fields, then FINDING_COLUMNS.

    ``source`` is a ``pyspark.sql.types.StructType``. Raises ``JobError`` when
    a source column already has one of the findings' names.
    """
    from pyspark.sql.types import LongType, StringType, StructField, StructType

    clash = [f.name for f in source.fields if f.name.lower() in FINDING_COLUMNS]
    if clash:
        raise JobError(
            f"the input has a column named {clash[0]!r}, which the findings' columns "
            f"({', '.join(FINDING_COLUMNS)}) use too: rename or drop it first"
        )
    types = {"start": LongType(), "end": LongType()}
    extra = [StructField(name, types.get(name, StringType()), nullable=False) for name in FINDING_COLUMNS]
    return StructType(list(source.fields) + extra)


def check_batches(
    batches: Iterable["pyarrow.RecordBatch"], text_col: str, config_toml: Optional[str], schema: "pyarrow.Schema"
) -> Iterator["pyarrow.RecordBatch"]:
    """Checks the text column of each Arrow batch with the linter of
    ``config_toml`` (see ``cached_linter``) and yields one batch of findings
    per input batch (rows as described in the module's docstring, matching
    ``schema``). A null text has no findings.

    Runs on the executors. The linter checks each batch on one thread
    (``check_many(threads=1)``): Spark already runs one task per core.
    """
    import pyarrow as pa

    linter = cached_linter(config_toml)
    for batch in batches:
        texts = batch.column(text_col).to_pylist()
        present = [i for i, t in enumerate(texts) if t is not None]
        results = linter.check_many([texts[i] for i in present], threads=1)
        rows: list[int] = []
        values: dict[str, list[object]] = {name: [] for name in FINDING_COLUMNS}
        for i, findings in zip(present, results):
            for f in findings:
                rows.append(i)
                for name in FINDING_COLUMNS:
                    values[name].append(getattr(f, name))
        take = pa.array(rows, type=pa.int64())
        columns = [batch.column(k).take(take) for k in range(batch.num_columns)]
        columns += [pa.array(values[name], type=schema.field(name).type) for name in FINDING_COLUMNS]
        yield pa.RecordBatch.from_arrays(columns, schema=schema)


def read_chat_log(spark: "SparkSession", path: str, input_format: Optional[str]) -> "DataFrame":
    """The chat log at ``path`` as a DataFrame. ``input_format`` is ``json``
    (JSON Lines), ``parquet`` or None (from the extension). Raises
    ``JobError`` for an unknown extension, a file that is not Parquet,
    malformed JSON lines or an empty log."""
    from py4j.protocol import Py4JJavaError  # type: ignore[import-untyped]  # py4j has no type information
    from pyspark.errors import PySparkException
    from pyspark.sql import functions as F

    fmt = input_format_of(path, input_format)
    if fmt == "parquet":
        try:
            df = spark.read.parquet(path)
        except (PySparkException, Py4JJavaError) as e:
            raise read_error(path, e) or JobError(
                f"{path}: cannot be read as Parquet ({first_line(e)}); is it --input-format json?"
            ) from None
        if not df.columns:
            raise JobError(f"{path}: the input is empty (no Parquet file with columns)")
        return without_duplicate_columns(path, df)
    lines = spark.read.text(path)
    line = F.trim(lines["value"])
    shapeless = lines.where((line != "") & ~(line.startswith("{") & line.endswith("}"))).first()
    if shapeless is not None:
        raise JobError(f"{path}: a line is not a JSON object: {shapeless[0][:200]!r}")
    corrupt = "_kefu_lint_malformed"
    try:
        df = spark.read.option("mode", "PERMISSIVE").option("columnNameOfCorruptRecord", corrupt).json(path)
    except (PySparkException, Py4JJavaError) as e:
        raise read_error(path, e) or e from None
    if not df.columns:
        raise JobError(f"{path}: the input is empty (no JSON line)")
    df = without_duplicate_columns(path, df)
    if corrupt in df.columns:
        others = [c for c in df.columns if c != corrupt]
        if not others:
            raise JobError(f"{path}: no line is a JSON object")
        # Spark refuses a query of the malformed-record column alone on raw JSON;
        # selecting a second column with it is allowed.
        bad = df.where(df[corrupt].isNotNull()).select(df[corrupt], column(df, others[0])).first()
        if bad is not None:
            raise JobError(f"{path}: a line is not a JSON object: {bad[0][:200]!r}")
        df = df.drop(corrupt)
    return df


def read_error(path: str, e: BaseException) -> Optional[JobError]:
    """The ``JobError`` for what Spark says when it reads ``path``: an empty
    input (nothing to infer a schema from), a missing one, or a column twice;
    None for anything else."""
    text = str(e)
    if "UNABLE_TO_INFER_SCHEMA" in text:
        return JobError(f"{path}: the input is empty (no file with rows)")
    if "PATH_NOT_FOUND" in text:
        return JobError(f"{path}: no such file or directory")
    if "COLUMN_ALREADY_EXISTS" in text:
        return JobError(f"{path}: a column appears twice ({first_line(e)}): each key once per row, in one case")
    return None


def without_duplicate_columns(path: str, df: "DataFrame") -> "DataFrame":
    """``df``, once no two of its columns have names that differ only in
    case (``content`` and ``Content``: Spark cannot tell them apart); raises
    ``JobError`` naming them."""
    seen: dict[str, str] = {}
    for name in df.columns:
        other = seen.setdefault(name.lower(), name)
        if other is not name:
            raise JobError(
                f"{path}: the columns {other!r} and {name!r} have the same name but for case, "
                "which Spark cannot tell apart: keep one"
            )
    return df


def input_format_of(path: str, input_format: Optional[str]) -> str:
    """``input_format``, else the format the extension of ``path`` names.
    Raises ``JobError`` for an extension that names none."""
    fmt = input_format or FORMATS_BY_SUFFIX.get(os.path.splitext(path.rstrip("/"))[1].lower())
    if fmt is None:
        raise JobError(
            f"{path}: cannot tell the format from the name: give --input-format json (JSON Lines) or parquet"
        )
    return fmt


def first_line(e: BaseException) -> str:
    """The first line of what Spark (or Java through py4j) says about ``e``."""
    from py4j.protocol import Py4JJavaError

    text = str(e.java_exception.toString()) if isinstance(e, Py4JJavaError) else str(e)
    return (text.strip().splitlines() or [type(e).__name__])[0]


def spark_failure(e: BaseException) -> str:
    """What went wrong in the Spark failure ``e``, in one line: a module the
    executors' Python could not import (its cause is only in the worker's
    traceback), else the first line Spark gives."""
    missing = re.search(r"(?:ModuleNotFoundError|ImportError): (No module named [^\s]+)", str(e))
    if missing:
        return (
            f"the executors' Python cannot run the job ({missing.group(1)}): set PYSPARK_PYTHON to a Python "
            "with kefu_lint and pyarrow installed (docs/python.md, \"Batch QA on Spark\")"
        )
    return first_line(e)


def local_path(path: str) -> Optional[str]:
    """The absolute local path of ``path`` (a plain path or a ``file:`` URI),
    with symbolic links resolved; None for another file system (``hdfs://``…)."""
    if path.startswith("file:"):
        path = path[len("file:") :]
        if path.startswith("//"):
            path = path[2:]
    elif "://" in path:
        return None
    return os.path.realpath(path)


def matched_inputs(spark: "SparkSession", input_path: str) -> list[str]:
    """The paths (files or directories) that ``input_path`` names, as URIs
    (``file:/…``, ``hdfs://…``): a Hadoop glob (``*``, ``?``, ``[…]``,
    ``{a,b}``) expanded by Hadoop's own ``FileSystem.globStatus``, the
    expansion Spark reads. Raises ``JobError`` when nothing matches."""
    sc = spark.sparkContext
    hadoop = getattr(sc, "_jvm").org.apache.hadoop.fs
    path = hadoop.Path(input_path)
    statuses = path.getFileSystem(getattr(sc, "_jsc").hadoopConfiguration()).globStatus(path)
    if not statuses:
        glob = " (the glob matches no file)" if any(c in input_path for c in "*?[{") else ""
        raise JobError(f"{input_path}: no such file or directory{glob}")
    return [str(s.getPath().toUri().toString()) for s in statuses]


def check_paths(input_path: str, output_path: str, overwrite: bool, inputs: Sequence[str] = ()) -> None:
    """Refuses, before anything is read or written, an output that is the
    input (``input_path`` or one of the paths it matched, ``inputs``: see
    ``matched_inputs``), inside it or around it (``--overwrite`` would
    delete the chat log), an existing output without ``overwrite`` and a
    local output under a file. Raises ``JobError``."""
    local_out = local_path(output_path)
    for path in [input_path, *inputs]:
        local_in = local_path(path)
        if local_in is not None and local_out is not None:
            a, b = local_in, local_out
        else:
            a, b = posixpath.normpath(path), posixpath.normpath(output_path)
        if a == b or b.startswith(a.rstrip("/") + "/") or a.startswith(b.rstrip("/") + "/"):
            raise JobError(
                f"the output {output_path} {'is' if a == b else 'overlaps'} the input {input_path}"
                + (f" ({path})" if path != input_path else "")
                + ": write the findings elsewhere (--overwrite would delete the chat log)"
            )
    if local_out is None:
        return
    if os.path.lexists(local_out) and not overwrite:
        raise JobError(f"{output_path} already exists: pass --overwrite to replace it")
    parent = os.path.dirname(local_out)
    while not os.path.exists(parent):
        parent = os.path.dirname(parent)
    if not os.path.isdir(parent):
        raise JobError(f"{output_path}: {parent} is a file, not a directory")


def column(df: "DataFrame", name: str) -> "Column":
    """The column ``name`` of ``df``, back-quoted so that a dot in the name
    (``sender.type``) is part of it, not a field of a struct."""
    return df["`" + name.replace("`", "``") + "`"]


def check_text_column(df: "DataFrame", text_col: str, fmt: str) -> None:
    """Raises ``JobError`` naming ``text_col`` when it does not hold strings:
    another type, or (JSON Lines) JSON objects or arrays, which Spark reads
    as their JSON text when other rows hold strings."""
    from pyspark.sql.types import StringType

    text_type = df.schema[text_col].dataType
    if not isinstance(text_type, StringType):
        raise JobError(f"the text column {text_col!r} holds {text_type.simpleString()}, not strings")
    if fmt != "json":
        return
    text = column(df, text_col)
    # How Spark writes an object or array it reads where a string is
    # expected: {"… or {}, [" [{ [[ [] [1 [-1 [true …; not a placeholder ({订单号}) or [图片].
    json_like = r'^\s*(\{\s*["}]|\[\s*(["{\[\]\d-]|true|false|null))'
    for (value,) in df.where(text.rlike(json_like)).select(text).limit(100).collect():
        try:
            parsed = json.loads(value)
        except ValueError:
            continue
        if isinstance(parsed, (dict, list)):
            kind = "JSON objects" if isinstance(parsed, dict) else "JSON arrays"
            raise JobError(f"the text column {text_col!r} holds {kind}, not strings: {value[:80]!r}")


def agent_roles_in(
    df: "DataFrame", role_col: str, patterns: Sequence[str]
) -> tuple[list[str], int]:
    """The values of ``role_col`` that match one of the glob ``patterns``
    (``kefu_lint.AgentRoles``, the matcher of the CLI's ``--agent-role``),
    and how many rows have a null role. Raises ``JobError`` for an empty
    pattern or one that is no glob, when there is no row at all (the input
    is empty), or when no value matches (naming the values seen and their
    counts) unless every role is null."""
    import kefu_lint
    from pyspark.sql import functions as F

    try:
        matcher = kefu_lint.AgentRoles(list(patterns))
    except ValueError as e:
        raise JobError(f"--agent-role {e}") from None
    counts = collections.Counter(
        {r[0]: r[1] for r in df.groupBy(column(df, role_col).cast("string")).agg(F.count(F.lit(1))).collect()}
    )
    null_roles = counts.pop(None, 0)
    if not counts and not null_roles:
        raise JobError("the input is empty (it has columns but no row)")
    agents = [role for role in counts if matcher.matches(role)]
    if not agents and counts:
        seen = ", ".join(f"{role!r} ({n})" for role, n in counts.most_common(10)) or "none"
        more = f" and {len(counts) - 10} more" if len(counts) > 10 else ""
        raise JobError(
            f"no row has an agent role {', '.join(map(repr, patterns))} in the role column {role_col!r} "
            f"(values seen: {seen}{more}; {null_roles} null): choose the agents' with --agent-role"
        )
    return sorted(agents), null_roles


def agent_turns(
    df: "DataFrame", session_col: str, role_col: str, text_col: str, agent_roles: Sequence[str], fmt: str = "parquet"
) -> tuple["DataFrame", Summary]:
    """The rows of ``df`` whose ``role_col`` matches one of the
    ``agent_roles`` patterns (see ``agent_roles_in``) or is null, and what
    was checked. Raises ``JobError`` naming a missing column (and the columns
    there are), a text column that does not hold strings (see
    ``check_text_column``) or roles that match no row."""
    for what, name in (("session", session_col), ("role", role_col), ("text", text_col)):
        if name not in df.columns:
            raise JobError(
                f"no {what} column {name!r} in the input (it has {', '.join(map(repr, df.columns))}); "
                f"name it with --{what}-col"
            )
    check_text_column(df, text_col, fmt)
    roles, null_roles = agent_roles_in(df, role_col, agent_roles)
    role = column(df, role_col).cast("string")
    return df.where(role.isin(roles) | role.isNull()), Summary(roles, null_roles)


def run(
    spark: "SparkSession",
    input_path: str,
    output_path: str,
    *,
    session_col: str = "session",
    role_col: Optional[str] = None,
    text_col: str = "content",
    agent_roles: Optional[Sequence[str]] = None,
    config: Optional[str] = None,
    input_format: Optional[str] = None,
    overwrite: bool = False,
) -> Summary:
    """Checks the agent turns of the chat log at ``input_path`` and writes the
    findings to ``output_path`` (Parquet); returns what it checked.
    ``role_col`` and ``agent_roles`` default to the ``config``'s
    ``role-field`` and ``agent-role``, else ``role`` and ``agent``.
    ``config`` is a kefu-lint.toml, read here on the driver (a bad one fails
    before any task starts) and sent to the executors as text with the job.
    Raises ``JobError`` for bad input or arguments (see the module's
    docstring), ``kefu_lint.ConfigError``/``PackError`` for a bad
    ``config``, ``OSError`` when it cannot be read."""
    from pyspark.errors import AnalysisException
    from pyspark.sql.pandas.types import to_arrow_schema

    fmt = input_format_of(input_path, input_format)
    check_paths(input_path, output_path, overwrite, matched_inputs(spark, input_path))
    config_toml = None if config is None else read_config(config)
    file_role_col, file_agent_roles = config_roles(config)
    role_col = role_col or file_role_col or "role"
    agent_roles = agent_roles or file_agent_roles or ["agent"]
    spark.sparkContext.addPyFile(os.path.abspath(__file__))
    df = read_chat_log(spark, input_path, fmt)
    turns, summary = agent_turns(df, session_col, role_col, text_col, agent_roles, fmt)
    schema = finding_schema(turns.schema)
    # mapInArrow names the input's columns unquoted, so a dot in a name
    # (sender.type) would break it: the columns go through it renamed by
    # position and get their names back after.
    names = turns.columns
    plain = [f"_c{i}" for i in range(len(names))]
    plain_text_col = plain[names.index(text_col)]
    plain_schema = finding_schema(turns.toDF(*plain).schema)
    arrow_schema = to_arrow_schema(plain_schema)

    def check_partition(batches: Iterable["pyarrow.RecordBatch"]) -> Iterator["pyarrow.RecordBatch"]:
        return check_batches(batches, plain_text_col, config_toml, arrow_schema)

    findings = turns.toDF(*plain).mapInArrow(check_partition, plain_schema).toDF(*schema.names)
    try:
        findings.write.mode("overwrite" if overwrite else "errorifexists").parquet(output_path)
    except AnalysisException as e:
        if "PATH_ALREADY_EXISTS" in str(e.getCondition()):
            raise JobError(f"{output_path} already exists: pass --overwrite to replace it") from None
        raise
    return summary


class ArgumentParser(argparse.ArgumentParser):
    """argparse's parser, whose errors are a ``JobError`` (one line) rather
    than a usage block and an exit."""

    def error(self, message: str) -> "typing.NoReturn":
        raise JobError(f"{message} (see --help)")


def parse_args(argv: Optional[Sequence[str]] = None) -> argparse.Namespace:
    """The command line (see the module's docstring). Raises ``JobError``
    for a bad one."""
    ap = ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("input", help="chat log: JSON Lines (.jsonl) or Parquet (a file or directory)")
    ap.add_argument("output", help="where to write the findings (Parquet directory)")
    ap.add_argument("--session-col", default="session", help="session column (default: session)")
    ap.add_argument("--role-col", help="role column (default: the --config's role-field, else role)")
    ap.add_argument("--text-col", default="content", help="message text column (default: content)")
    ap.add_argument(
        "--agent-role",
        action="append",
        help="the role of the turns to check: a value or glob, any case (repeatable; default: the --config's agent-role, else agent)",
    )
    ap.add_argument("--config", help="a kefu-lint.toml (default: the built-in rules)")
    ap.add_argument("--input-format", choices=("json", "parquet"), help="default: from the extension")
    ap.add_argument("--overwrite", action="store_true", help="replace the output if it exists")
    return ap.parse_args(argv)


def new_session() -> "SparkSession":
    """A SparkSession for this job that keeps standard error for its own
    lines: no console progress bar, Spark's log at level ERROR from the
    start (``spark.log.level``; a few lines Spark prints while it starts
    remain)."""
    from pyspark.sql import SparkSession

    return (
        SparkSession.builder.appName("kefu-lint QA")
        .config("spark.ui.showConsoleProgress", "false")
        .config("spark.log.level", "ERROR")
        .getOrCreate()
    )


def main(argv: Optional[Sequence[str]] = None) -> int:
    """Runs the job with the command line ``argv`` (default: ``sys.argv[1:]``)
    on the active SparkSession, else on a new one (``new_session``) that it
    stops at the end; says what it wrote, or the error, on standard error,
    each on a line of its own. Returns the exit status: 0 done, 1 Spark
    failed, 2 bad input or arguments."""
    import kefu_lint
    from py4j.protocol import Py4JJavaError
    from pyspark.errors import PySparkException
    from pyspark.sql import SparkSession
    from pyspark.sql import functions as F

    def say(line: str) -> None:
        sys.stderr.flush()
        print(f"spark_qa: {line}", file=sys.stderr, flush=True)

    try:
        args = parse_args(argv)
    except JobError as e:
        say(f"error: {e}")
        return 2
    active = SparkSession.getActiveSession()
    spark = active or new_session()

    try:
        summary = run(
            spark,
            args.input,
            args.output,
            session_col=args.session_col,
            role_col=args.role_col,
            text_col=args.text_col,
            agent_roles=args.agent_role,
            config=args.config,
            input_format=args.input_format,
            overwrite=args.overwrite,
        )
        counts = spark.read.parquet(args.output).groupBy("rule").count().orderBy(F.desc("count"), "rule").collect()
    except (JobError, kefu_lint.ConfigError, OSError) as e:
        say(f"error: {e}")
        return 2
    except (PySparkException, Py4JJavaError) as e:
        say(f"error: Spark failed: {spark_failure(e)}")
        return 1
    finally:
        if active is None:
            spark.stop()
    total = sum(r["count"] for r in counts)
    by_rule = ", ".join(f"{r['rule']} {r['count']}" for r in counts)
    say(
        f"{total} findings written to {args.output}"
        + (f" ({by_rule})" if by_rule else "")
        + f"; roles checked: {', '.join(summary.agent_roles)}"
    )
    if summary.null_roles:
        rows = "1 row whose role is null was" if summary.null_roles == 1 else f"{summary.null_roles} rows whose role is null were"
        say(f"{rows} checked, as kefu-lint check checks a message without a sender")
    return 0


if __name__ == "__main__":
    # Run as the module ``spark_qa`` (not ``__main__``) so that the functions
    # handed to Spark are pickled by reference and the executors import this
    # file, keeping one Linter cache per worker process.
    sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
    import spark_qa

    sys.exit(spark_qa.main())

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

A turn without findings writes no row.

Usage (the same command on a laptop and on a cluster)::

    spark-submit examples/python/spark_qa.py chats.jsonl findings.parquet \\
        [--session-col session] [--role-col role] [--text-col content] \\
        [--agent-role agent ...] [--config kefu-lint.toml] [--overwrite]

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
import os
import sys
import tempfile
from typing import TYPE_CHECKING, Iterable, Iterator, Optional, Sequence

if TYPE_CHECKING:  # pragma: no cover
    import pyarrow  # type: ignore[import-untyped]  # pyarrow has no type information
    from pyspark.sql import DataFrame, SparkSession
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


def cached_linter(config_toml: Optional[str]) -> "kefu_lint.Linter":
    """The ``kefu_lint.Linter`` for the kefu-lint.toml text ``config_toml``
    (None: the built-in rules), built on the first call in this process and
    the same object on every later call with the same text. The text is
    written to a file of its own in a new temporary directory for the
    ``Linter`` to read.

    Raises ``kefu_lint.ConfigError`` / ``PackError`` when the configuration
    is bad (``run`` has checked it on the driver first).
    """
    linter = _LINTERS.get(config_toml)
    if linter is None:
        import kefu_lint

        if config_toml is None:
            linter = kefu_lint.Linter()
        else:
            path = os.path.join(tempfile.mkdtemp(prefix="kefu-lint-"), "kefu-lint.toml")
            with open(path, "w", encoding="utf-8") as f:
                f.write(config_toml)
            linter = kefu_lint.Linter(path)
        _LINTERS[config_toml] = linter
    return linter


def read_config(config: str) -> str:
    """The text of the kefu-lint.toml at ``config``, once a ``Linter`` has been
    built from it here (so a bad file fails with its own name and position).

    Raises ``kefu_lint.ConfigError`` / ``PackError`` for a bad file.
    """
    import kefu_lint

    kefu_lint.Linter(config)
    with open(config, encoding="utf-8") as f:
        return f.read()


def finding_schema(source: "StructType") -> "StructType":
    """The output schema: the source DataFrame's fields, then FINDING_COLUMNS.

    ``source`` is a ``pyspark.sql.types.StructType``. Raises ``JobError`` when
    a source column already has one of the findings' names.
    """
    from pyspark.sql.types import LongType, StringType, StructField, StructType

    clash = [f.name for f in source.fields if f.name in FINDING_COLUMNS]
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
    ``JobError`` for an unknown extension or malformed JSON lines."""
    fmt = input_format or FORMATS_BY_SUFFIX.get(os.path.splitext(path.rstrip("/"))[1].lower())
    if fmt is None:
        raise JobError(
            f"{path}: cannot tell the format from the name: give --input-format json (JSON Lines) or parquet"
        )
    if fmt == "parquet":
        return spark.read.parquet(path)
    corrupt = "_kefu_lint_malformed"
    df = spark.read.option("mode", "PERMISSIVE").option("columnNameOfCorruptRecord", corrupt).json(path)
    if corrupt in df.columns:
        others = [c for c in df.columns if c != corrupt]
        if not others:
            raise JobError(f"{path}: no line is a JSON object")
        # Spark refuses a query of the malformed-record column alone on raw JSON;
        # selecting a second column with it is allowed.
        bad = df.where(df[corrupt].isNotNull()).select(corrupt, others[0]).first()
        if bad is not None:
            raise JobError(f"{path}: a line is not a JSON object: {bad[0][:200]!r}")
        df = df.drop(corrupt)
    return df


def agent_turns(
    df: "DataFrame", session_col: str, role_col: str, text_col: str, agent_roles: Sequence[str]
) -> "DataFrame":
    """The rows of ``df`` whose ``role_col`` is one of ``agent_roles`` (exact
    values). Raises ``JobError`` naming a missing column (and the columns there
    are) or a text column that does not hold strings."""
    from pyspark.sql.types import StringType

    for what, name in (("session", session_col), ("role", role_col), ("text", text_col)):
        if name not in df.columns:
            raise JobError(
                f"no {what} column {name!r} in the input (it has {', '.join(map(repr, df.columns))}); "
                f"name it with --{what}-col"
            )
    text_type = df.schema[text_col].dataType
    if not isinstance(text_type, StringType):
        raise JobError(f"the text column {text_col!r} holds {text_type.simpleString()}, not strings")
    return df.where(df[role_col].cast("string").isin(list(agent_roles)))


def run(
    spark: "SparkSession",
    input_path: str,
    output_path: str,
    *,
    session_col: str = "session",
    role_col: str = "role",
    text_col: str = "content",
    agent_roles: Sequence[str] = ("agent",),
    config: Optional[str] = None,
    input_format: Optional[str] = None,
    overwrite: bool = False,
) -> None:
    """Checks the agent turns of the chat log at ``input_path`` and writes the
    findings to ``output_path`` (Parquet). ``config`` is a kefu-lint.toml,
    read here on the driver (a bad one fails before any task starts) and
    sent to the executors as text with the job. Raises ``JobError`` for bad
    input or arguments, ``kefu_lint.ConfigError``/``PackError`` for a bad
    ``config``, ``OSError`` when it cannot be read."""
    from pyspark.sql.pandas.types import to_arrow_schema

    spark.sparkContext.addPyFile(os.path.abspath(__file__))
    config_toml = None if config is None else read_config(config)
    turns = agent_turns(read_chat_log(spark, input_path, input_format), session_col, role_col, text_col, agent_roles)
    schema = finding_schema(turns.schema)
    arrow_schema = to_arrow_schema(schema)

    def check_partition(batches: Iterable["pyarrow.RecordBatch"]) -> Iterator["pyarrow.RecordBatch"]:
        return check_batches(batches, text_col, config_toml, arrow_schema)

    findings = turns.mapInArrow(check_partition, schema)
    findings.write.mode("overwrite" if overwrite else "errorifexists").parquet(output_path)


def parse_args(argv: Optional[Sequence[str]] = None) -> argparse.Namespace:
    """The command line (see the module's docstring)."""
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("input", help="chat log: JSON Lines (.jsonl) or Parquet (a file or directory)")
    ap.add_argument("output", help="where to write the findings (Parquet directory)")
    ap.add_argument("--session-col", default="session", help="session column (default: session)")
    ap.add_argument("--role-col", default="role", help="role column (default: role)")
    ap.add_argument("--text-col", default="content", help="message text column (default: content)")
    ap.add_argument(
        "--agent-role",
        action="append",
        help="a role value whose turns are checked, exactly as in the log (repeatable; default: agent)",
    )
    ap.add_argument("--config", help="a kefu-lint.toml (default: the built-in rules)")
    ap.add_argument("--input-format", choices=("json", "parquet"), help="default: from the extension")
    ap.add_argument("--overwrite", action="store_true", help="replace the output if it exists")
    return ap.parse_args(argv)


def main(argv: Optional[Sequence[str]] = None) -> int:
    """Runs the job with the command line ``argv`` (default: ``sys.argv[1:]``)
    on the active SparkSession, else on a new one that it stops at the end;
    says what it wrote, or the error, on standard error. Returns the exit
    status: 0 done, 2 bad input or arguments."""
    import kefu_lint
    from pyspark.errors import AnalysisException
    from pyspark.sql import SparkSession
    from pyspark.sql import functions as F

    args = parse_args(argv)
    active = SparkSession.getActiveSession()
    spark = active or SparkSession.builder.appName("kefu-lint QA").getOrCreate()
    try:
        run(
            spark,
            args.input,
            args.output,
            session_col=args.session_col,
            role_col=args.role_col,
            text_col=args.text_col,
            agent_roles=args.agent_role or ["agent"],
            config=args.config,
            input_format=args.input_format,
            overwrite=args.overwrite,
        )
        counts = spark.read.parquet(args.output).groupBy("rule").count().orderBy(F.desc("count"), "rule").collect()
    except (JobError, kefu_lint.ConfigError, OSError) as e:
        print(f"spark_qa: error: {e}", file=sys.stderr)
        return 2
    except AnalysisException as e:  # a missing input, an existing output …
        print(f"spark_qa: error: {str(e).splitlines()[0]}", file=sys.stderr)
        return 2
    finally:
        if active is None:
            spark.stop()
    total = sum(r["count"] for r in counts)
    by_rule = ", ".join(f"{r['rule']} {r['count']}" for r in counts)
    print(f"spark_qa: {total} findings written to {args.output}" + (f" ({by_rule})" if by_rule else ""), file=sys.stderr)
    return 0


if __name__ == "__main__":
    # Run as the module ``spark_qa`` (not ``__main__``) so that the functions
    # handed to Spark are pickled by reference and the executors import this
    # file, keeping one Linter cache per worker process.
    sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
    import spark_qa

    sys.exit(spark_qa.main())

"""Findings, fixes, edits, rules and fix results pickle and copy, so that
they come back from `multiprocessing` workers (and Spark tasks)."""

import copy
import multiprocessing
import pickle

import pytest

import kefu_lint
from kefu_lint import Finding, Linter

REPLY = "这个我不知道,你自己看吧"


def findings_of(reply: str) -> list[Finding]:
    """Runs in a worker process: the findings go back to the parent pickled."""
    return kefu_lint.check(reply)


def test_findings_round_trip_through_pickle_and_copy() -> None:
    findings = kefu_lint.check(REPLY)
    assert any(f.fix is not None for f in findings), "a finding with a fix, to pickle one"
    for f in findings:
        for again in (pickle.loads(pickle.dumps(f)), copy.copy(f), copy.deepcopy(f)):
            assert type(again) is Finding and again == f
            assert again.to_dict() == f.to_dict()
            assert repr(again) == repr(f)


def test_fixes_edits_rules_and_fixed_round_trip() -> None:
    fix = next(f.fix for f in kefu_lint.check(REPLY) if f.fix is not None)
    rules = Linter().rules()
    fixed = Linter().fix(REPLY)
    for value in [fix, *fix.edits, *rules, fixed]:
        for protocol in range(pickle.HIGHEST_PROTOCOL + 1):
            assert pickle.loads(pickle.dumps(value, protocol)) == value
        assert copy.copy(value) == value and copy.deepcopy(value) == value
    assert [r.suggestions for r in pickle.loads(pickle.dumps(rules))] == [r.suggestions for r in rules]


def test_a_forged_pickle_is_a_value_error() -> None:
    f = kefu_lint.check("我不能")[-1]
    reduced = f.__reduce__()
    assert isinstance(reduced, tuple)
    restore, args = reduced
    with pytest.raises(ValueError, match='unknown severity "fatal"'):
        restore(*args[:3], "fatal", *args[4:])


@pytest.mark.parametrize("method", ["fork", "spawn"])
def test_findings_come_back_from_a_process_pool(method: str) -> None:
    replies = [REPLY, "我不能", "您好"]
    with multiprocessing.get_context(method).Pool(2) as pool:
        results = pool.map(findings_of, replies)
    assert results == [kefu_lint.check(r) for r in replies]
    assert results[1] and results[2] == []


def test_a_linter_copies_as_itself() -> None:
    linter = Linter()
    assert copy.copy(linter) is linter
    holder = {"linter": linter, "replies": ["亲,你好"]}
    copied = copy.deepcopy(holder)
    assert copied["linter"] is linter and copied["replies"] == holder["replies"]
    assert copied["replies"] is not holder["replies"]


def test_agent_roles_copy_as_themselves() -> None:
    roles = kefu_lint.AgentRoles(["客服*"])
    assert copy.copy(roles) is roles and copy.deepcopy([roles])[0] is roles


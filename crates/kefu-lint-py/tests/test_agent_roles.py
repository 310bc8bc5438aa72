"""kefu_lint.AgentRoles (the CLI's --agent-role matcher) and
kefu_lint.config_roles (a kefu-lint.toml's role-field and agent-role)."""

from pathlib import Path

import pytest

import kefu_lint


def test_globs_match_as_the_cli_matches_them() -> None:
    roles = kefu_lint.AgentRoles(["[^c]*", "*:*"])
    assert roles.matches("agent") and not roles.matches("customer") and not roles.matches("Customer")
    one = kefu_lint.AgentRoles(["[^c]"])  # '^' negates the class (fnmatch read it as the set {^, c})
    assert one.matches("a") and not one.matches("c") and not one.matches("C")
    assert kefu_lint.AgentRoles(["[!c]*"]).matches("agent") and not kefu_lint.AgentRoles(["[!c]*"]).matches("c1")
    assert not kefu_lint.AgentRoles(["[^c]*"]).matches("cx")
    assert roles.matches("示例旗舰店：小美")  # a full-width colon read as ':'
    assert kefu_lint.AgentRoles(["AGENT"]).matches("agent")
    # A pattern typed with a Chinese input method's colon matches either colon.
    assert kefu_lint.AgentRoles(["店铺：*"]).matches("店铺:小美")
    # A role that is no UTF-8 (a lone surrogate) is refused as check refuses it.
    with pytest.raises(UnicodeEncodeError):
        roles.matches("\ud800")


@pytest.mark.parametrize(("patterns", "error", "message"), [([""], ValueError, "empty pattern"), (["["], ValueError, "\\["), ("agent", TypeError, "list of strings")])
def test_bad_patterns_are_refused(patterns: object, error: type, message: str) -> None:
    with pytest.raises(error, match=message):
        kefu_lint.AgentRoles(patterns)  # type: ignore[arg-type]


def test_config_roles_reads_role_field_and_agent_role(tmp_path: Path) -> None:
    config = tmp_path / "kefu-lint.toml"
    config.write_text('role-field = "speaker"\nagent-role = ["assistant", "客服"]\n', encoding="utf-8")
    assert kefu_lint.config_roles(config) == ("speaker", ["assistant", "客服"])
    config.write_text('mode = "draft"\n', encoding="utf-8")
    assert kefu_lint.config_roles(str(config)) == (None, None)
    config.write_text("agent-role = 3\n", encoding="utf-8")
    with pytest.raises(kefu_lint.ConfigError, match="kefu-lint.toml:1:"):
        kefu_lint.config_roles(config)

"""A real LanguageTool client pointed at `kefu-lint serve`.

Run by tests/serve_languagetool.rs with language_tool_python from PyPI:
`python languagetool_client.py http://127.0.0.1:PORT`. It checks a few
replies through the client's own API and prints what the client made of the
server's answers as one JSON object; the Rust test asserts on it. The offsets
are the client's: it turns LanguageTool's UTF-16 offsets into Python string
indices, so text[offset:offset + length] is what was matched.
"""

import json
import sys

import language_tool_python
from language_tool_python.utils import correct


def matches(tool, text):
    """The client's matches of text, as plain data."""
    return [
        {
            "rule": m.rule_id,
            "category": m.category,
            "matched": text[m.offset : m.offset + m.error_length],
            "replacements": m.replacements,
            "message": m.message,
        }
        for m in tool.check(text)
    ]


def main(server):
    out = {}
    simplified = language_tool_python.LanguageTool("zh-CN", remote_server=server)
    emoji = "亲😊,这个我不能给你改价哦🙏但是可以送您优惠券"
    out["emoji"] = matches(simplified, emoji)
    order = "亲😊你的订单已经发货了"
    out["corrected"] = correct(order, simplified.check(order))
    # What the tester's correct() pasted advice into: left alone now.
    out["corrected_advice"] = [
        simplified.correct(text) for text in ["没货", "我不知道哦", "亲,这个我不能给你改价哦"]
    ]
    simplified.disabled_rules = {"KF011", "WHITESPACE_RULE"}
    out["disabled"] = matches(simplified, emoji)
    simplified.disabled_rules = set()
    simplified.enabled_rules = {"KF007"}
    simplified.enabled_rules_only = True
    out["enabled_only"] = matches(simplified, emoji)
    traditional = language_tool_python.LanguageTool("zh-TW", remote_server=server)
    out["traditional"] = matches(traditional, "嗯")
    out["traditional_text"] = matches(traditional, "親,我們保證明天到貨哦")
    print(json.dumps(out, ensure_ascii=False))


if __name__ == "__main__":
    main(sys.argv[1])

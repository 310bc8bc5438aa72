"""Schemathesis hooks for scripts/schemathesis.sh (loaded through SCHEMATHESIS_HOOKS).

One hook: the schema-valid requests the service rightly refuses with 400
(schemathesis's ST202, "schema-valid request rejected") in the few cases an
OpenAPI document cannot express are not counted as failures. Each case is
recognised by the operation and the field and message of the service's JSON
error, so any other 400 on schema-valid data still fails the run.
"""

import atexit
import collections
import json

import schemathesis

# (operation, field at fault or None for any, words of the message, why the schema cannot say it)
KNOWN_REFUSALS = [
    # select and ignore (enabledRules and disabledRules) are lists of free
    # names: whether together they leave a rule to run depends on this
    # server's rules, which a schema cannot compute.
    (None, None, "leaves no rule to run", "selection leaves no rule"),
    # GET /v2/check takes text or data, exactly one: OpenAPI query
    # parameters have no oneOf, so both are optional in the document.
    ("GET /v2/check", "text", "missing: give text or data", "neither text nor data"),
    # data is a string parameter holding annotation JSON
    # ({"annotation": [...]}); the schema types it only as a string.
    ("/v2/check", "data", "", "data is not annotation JSON"),
    # enabledRules names rules by id; the ids of this server's rules are
    # data (rule packs and configuration), not an enum in the document.
    ("/v2/check", "enabledRules", "GET /v1/rules lists them", "unknown rule in enabledRules"),
    # The same for enabledCategories: the categories of this server's rules.
    ("/v2/check", "enabledCategories", "GET /v1/rules lists them", "unknown category in enabledCategories"),
    # enabledOnly=true needs enabledRules or enabledCategories: a rule
    # across parameters, which query parameters cannot state.
    ("/v2/check", "enabledRules", "enabledOnly=true needs", "enabledOnly without rules"),
    # The form allows other fields (LanguageTool clients send username,
    # apiKey, level...) of any type; schemathesis sends an array value as the
    # field repeated, which the service refuses (each field once).
    ("POST /v2/check", None, "given twice", "an extra form field given as a list"),
]

# How many failures each known refusal dropped, printed when the run ends.
DROPPED = collections.Counter()


@atexit.register
def _say_dropped():
    for reason, count in sorted(DROPPED.items()):
        print(f"known refusal (not a failure): {reason}: {count}")


def known_refusal(operation, body):
    """The reason a refusal is known, or None: `body` is the answer's JSON error.

    scripts/schemathesis.sh runs these examples (doctest) before schemathesis:

    >>> error = lambda field, message: {"error": {"status": 400, "field": field, "message": message}}
    >>> known_refusal("GET /v2/check", error("text", "missing: give text or data"))
    'neither text nor data'
    >>> known_refusal("POST /v2/check", error("data.annotation[0]", "each part is ..."))
    'data is not annotation JSON'
    >>> known_refusal("POST /v1/check", error("select", "select [x] leaves no rule to run: ..."))
    'selection leaves no rule'
    >>> known_refusal("POST /v1/check", error("text", "missing: give text (one reply) or replies"))
    >>> known_refusal("POST /v1/check", error("replies", "give text or replies, not both"))
    >>> known_refusal("POST /v1/fix", {"detail": "not the service's error shape"})
    """
    error = body.get("error") if isinstance(body, dict) else None
    if not isinstance(error, dict):
        return None
    field, message = str(error.get("field") or ""), str(error.get("message") or "")
    for op, want_field, words, reason in KNOWN_REFUSALS:
        if op is not None and not (operation == op or operation.endswith(" " + op)):
            continue
        if want_field is not None and not (field == want_field or field.startswith(want_field + ".")):
            continue
        if words in message:
            return reason
    return None


@schemathesis.hook
def filter_failure(context, failure, case, response):
    """Keep every failure but a known refusal of schema-valid data (ST202)."""
    if getattr(failure, "code", None) != "ST202" or response.status_code != 400:
        return True
    try:
        body = json.loads(response.content)
    except (ValueError, TypeError):
        return True
    reason = known_refusal(f"{case.method.upper()} {case.path}", body)
    if reason is None:
        return True
    DROPPED[reason] += 1
    return False

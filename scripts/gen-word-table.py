#!/usr/bin/env python3
"""Regenerate crates/kefu-lint/data/words.tsv: the dictionary words that make
a match of a word-sense rule innocent.

Usage: python3 scripts/gen-word-table.py [--check]   (from the repository root,
with the `jieba` package importable: `pip install jieba==0.42.1`, MIT licence)

With --check nothing is written: the script exits 1 if the table differs from
what it would write (CI runs it so).

A rule with `word-sense = "words"` flags words, not phrases (insults,
laughter, 但是); one with `word-sense = "straddling"` (保证/肯定/绝对) only
lets a straddling word excuse a match. A match of such a pattern is innocent when it lies inside
a longer dictionary word (哈哈 in 娃哈哈, 尼玛 in 尼玛县, 保证 in 保证金) or
straddles one (妈的 across 孕妈|的, 去死 across 去|死角). For every pattern of
those rules this script lists, from jieba's dictionary (dict.txt, 349,046
words with frequency and part of speech) and the project's supplement
(data/lexicon.txt, e-commerce words jieba lacks), each such word together
with the pattern, as the string that must occur around the match:

- a word that contains the pattern: the word itself (娃哈哈);
- a word that shares its last characters with the pattern's first (孕妈 and
  妈的) or its first characters with the pattern's last (死角 and 去死): the
  two joined (孕妈的, 去死角).

A candidate is kept only when jieba, segmenting that string with its
dictionary (no HMM), does not cut it at both ends of the pattern (so 你妈的,
segmented 你|妈|的, does not excuse 妈的), when the string holds no other
pattern of the same rule (他妈的 never excuses 妈的), when it is not the
pattern repeated (哈哈哈) or the pattern with only a particle, pronoun or
preposition added (去死吧, 他妈的), and when neither it nor the word is a set phrase,
idiom, interjection or onomatopoeia (jieba's `l`, `i`, `e`, `o`, `y`,
such as 去死吧) or, for a word
that only straddles the pattern, rare (frequency below 50) or a name or
number (`nr`, `nrt`, `nrfg`, `ns`, `nt`, `nz`, `m`).

The output's first lines name the dictionary and list the patterns it was
generated for; a unit test in `crates/kefu-lint/src/words.rs` fails when a
word-sense rule has a
pattern the table was not generated for.
"""
import hashlib
import pathlib
import re
import sys
import tomllib

import jieba

ROOT = pathlib.Path(__file__).resolve().parent.parent
OUT = ROOT / "crates/kefu-lint/data/words.tsv"
LEXICON = ROOT / "crates/kefu-lint/data/lexicon.txt"
HAN = re.compile(r"^[\u3400-\u9fff]+$")
# Set phrases and idioms (去死吧, 他妈的, 狗屁不通), interjections and
# onomatopoeia (哈哈哈): the same sense as the pattern. Descriptive words
# (jieba's `z`: 乐呵呵 “cheerful”, 笑哈哈) are other words.
NEVER = {"l", "i", "e", "o", "y"}
# A word that only straddles a pattern must be common (jieba's frequency) and
# not a name or a number: 台路沟乡 (a place) next to 乡巴佬, 一千二 next to
# 二百五 make strings nobody writes.
STRADDLE_MIN_FREQ = 50
# Particles, pronouns, prepositions and conjunctions: a word that adds only
# these to a pattern (去死吧, 他妈的 for 妈的) is the pattern in use, whatever
# the dictionary calls it.
FUNCTION = {"y", "u", "uj", "ul", "uz", "ud", "ug", "uv", "e", "o", "r", "p", "c"}
NOT_STRADDLING = {"nr", "nrt", "nrfg", "ns", "nt", "nz", "m"}


def word_sense_patterns() -> dict[str, list[str]]:
    """Pattern lists of the word-sense rules, by rule id."""
    rules = {}
    for pack in sorted((ROOT / "rules").glob("*.toml")):
        for rule in tomllib.loads(pack.read_text(encoding="utf-8"))["rule"]:
            if rule.get("word-sense") in ("words", "straddling"):
                rules[rule["id"]] = [p for p in rule.get("patterns", []) if HAN.match(p) and len(p) >= 2]
    return rules


def dictionary() -> tuple[pathlib.Path, dict[str, tuple[int, str]]]:
    """Words, their frequency and part of speech: jieba's dictionary and the supplement."""
    path = pathlib.Path(jieba.__file__).parent / "dict.txt"
    words = {}
    for line in path.read_text(encoding="utf-8").splitlines():
        word, freq, tag = line.split(" ")
        words[word] = (int(freq), tag)
    for line in LEXICON.read_text(encoding="utf-8").splitlines():
        if line and not line.startswith("#"):
            word, tag = line.split("\t")[:2]
            # A supplement word counts as common, whatever jieba's count.
            words[word] = (max(words.get(word, (0, ""))[0], STRADDLE_MIN_FREQ), tag)
            jieba.add_word(word, freq=100, tag=tag)
    return path, words


def joined(word: str, pattern: str) -> tuple[str, bool] | None:
    """The string a word forms with the pattern, and whether it only straddles it."""
    if pattern in word:
        return word, False
    for k in range(min(len(word), len(pattern)) - 1, 0, -1):
        if word.endswith(pattern[:k]):
            return word + pattern[k:], True
        if word.startswith(pattern[-k:]):
            return pattern + word[k:], True
    return None


def cut_around(text: str, pattern: str) -> bool:
    """Whether jieba cuts `text` at both ends of (every occurrence of) `pattern`."""
    cuts, at = {0}, 0
    for token in jieba.lcut(text, HMM=False):
        at += len(token)
        cuts.add(at)
    starts = [m.start() for m in re.finditer(re.escape(pattern), text)]
    return any(s in cuts and s + len(pattern) in cuts for s in starts)


def main() -> None:
    jieba.setLogLevel(60)
    path, words = dictionary()
    rules = word_sense_patterns()
    # pattern -> (containing, straddling)
    table: dict[str, tuple[set[str], set[str]]] = {}
    for patterns in rules.values():
        for pattern in patterns:
            others = [p for p in patterns if p != pattern and p not in pattern]
            for word, (freq, tag) in words.items():
                if word == pattern or tag in NEVER:
                    continue
                found = joined(word, pattern)
                if found is None:
                    continue
                text, straddles = found
                if len(set(pattern)) == 1 == len(set(text)) or words.get(text, (0, ""))[1] in NEVER:
                    continue
                rest = [part for part in text.split(pattern, 1) if part]
                if all(words.get(part, (0, ""))[1] in FUNCTION for part in rest):
                    continue
                if straddles and (freq < STRADDLE_MIN_FREQ or tag in NOT_STRADDLING):
                    continue
                if any(o in text for o in others) or cut_around(text, pattern):
                    continue
                table.setdefault(pattern, (set(), set()))[1 if straddles else 0].add(text)
    digest = hashlib.sha256(path.read_bytes()).hexdigest()[:16]
    lines = [
        "# Dictionary words around the patterns of word-sense rules, tab-separated: the pattern, the",
        "# words containing it, the strings a word straddling it forms with it (each space-separated).",
        f"# Generated by scripts/gen-word-table.py from jieba {jieba.__version__} dict.txt (MIT, sha256 {digest}…)",
        "# and crates/kefu-lint/data/lexicon.txt. Do not edit by hand.",
        "# patterns: " + " ".join(sorted({p for ps in rules.values() for p in ps})),
    ]
    lines += [f"{p}\t{' '.join(sorted(table[p][0]))}\t{' '.join(sorted(table[p][1]))}" for p in sorted(table)]
    text = "\n".join(lines) + "\n"
    if "--check" in sys.argv[1:]:
        if OUT.read_text(encoding="utf-8") != text:
            raise SystemExit(f"{OUT.relative_to(ROOT)} is out of date: run scripts/gen-word-table.py")
        return
    OUT.write_text(text, encoding="utf-8")
    print(f"{OUT.relative_to(ROOT)}: {len(table)} patterns, {sum(len(a) + len(b) for a, b in table.values())} strings")


if __name__ == "__main__":
    main()

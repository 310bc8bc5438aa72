#!/usr/bin/env python3
"""Regenerate the folding tables under crates/kefu-lint/data/.

Usage: python3 scripts/gen-fold-table.py [--check]   (run from the repository root)

With --check nothing is written: the script exits 1 if a table differs from
what it would write.

fold-t2s.tsv   Traditional (or regional variant) -> Simplified, from the OpenCC
               dictionaries shipped in the ferrous-opencc crate (Apache-2.0).
               Only the first candidate of a TSCharacters entry is kept, so
               folding stays one character to one character. Regional variants
               (TWVariantsRev, HKVariantsRev) are added where their key is not
               itself a Simplified character (TWVariantsRev maps 么 to 幺, which
               must not apply to 什么). A target that Traditional text writes
               too (面 for 麵, 你 for 妳: STCharacters converts it to itself
               among others, or not at all) is marked `shared`: it tells no
               script.
fold-nfkc.tsv  Every code point whose NFKC form is one CJK unified ideograph
               other than itself: Kangxi radicals, the CJK radicals NFKC maps,
               CJK compatibility ideographs (and their supplement), circled and
               squared ideographs, ideographic annotation marks, Hangzhou
               numerals. Folding applies this before fold-t2s.tsv.
noise.tsv      The code points folding drops between two Han characters, as
               ranges with the reason each is noise (see NOISE_CATEGORIES and
               the functions below).

The Unicode data is Python's unicodedata, or the unicodedata2 package when it
is installed (pin it to the Unicode version of the Rust toolchain, which the
table test in crates/kefu-lint/src/fold.rs compares against:
`pip install unicodedata2==17.0.1` for Unicode 17.0). The version used is
written into each table's header.
"""
import json
import pathlib
import subprocess
import sys

try:
    import unicodedata2 as ud
except ImportError:  # the standard library's data, of Python's own Unicode version
    import unicodedata as ud

DATA = pathlib.Path("crates/kefu-lint/data")
EXTRA = {"妳": "你", "祢": "你"}  # region/gender forms of 你 that OpenCC keeps

# General categories whose characters are noise between two Han characters:
# format characters (zero-width, bidi controls, tags), space separators,
# nonspacing and enclosing marks (variation selectors, combining accents),
# and symbols (emoji, arrows, ™, + = ^).
NOISE_CATEGORIES = {"Cf", "Zs", "Mn", "Me", "So", "Sk", "Sm"}
# Punctuation people insert between the characters of a word (保*证, 肯.定),
# and the tab. The half-width `.` is here although it can end a sentence: the
# evaluation set labels 肯.定 a disguise, and between digits or in a URL it
# is never between two Han characters.
ASCII_NOISE = "\t*.-|/\\^#@+=`'·•"
# The low line `_` is not here: ___ is a blank left in a template.
# Sentence punctuation separates clauses: never noise. Nor are `<` and `>` (Sm),
# which bracket (<姓名>) and point (->, 设置>账户) between phrases.
SENTENCE = "，。！？、；：~～,!?;:"


def is_unified(c: str) -> bool:
    return ud.name(c, "").startswith("CJK UNIFIED IDEOGRAPH-")


def compatibility_target(c: str):
    """The one CJK unified ideograph, or ASCII letter or digit, NFKC maps `c`
    to, or None. Styled letters (𝐭𝐦𝐝, ⓣⓜⓓ, ²) spell the same Latin word; the
    full-width forms (U+FF01–U+FF5E) are folded by the code itself."""
    if 0xFF01 <= ord(c) <= 0xFF5E:
        return None
    n = ud.normalize("NFKC", c)
    ok = len(n) == 1 and (is_unified(n) or (n.isascii() and n.isalnum()))
    return n if n != c and ok else None


def noise_reason(c: str):
    """Why `c` is noise, or None when it is not."""
    if c in SENTENCE:
        return None
    nfkc = ud.normalize("NFKC", c)
    if any(is_unified(x) for x in nfkc):
        return None  # spelled with an ideograph (㈱, 🈶): text, not noise
    name = ud.name(c, "")
    if name.startswith("CJK RADICAL "):
        return None  # stands for an ideograph in text copied from PDFs
    if c in ASCII_NOISE:
        return "ascii"
    if len(nfkc) == 1 and nfkc in ASCII_NOISE:
        return "nfkc-ascii"  # ＊ ／ ＃ ﹫ …
    if nfkc in ("<", ">"):
        return None  # brackets and arrows (<姓名>, ->, 设置>账户): they separate
    if nfkc == "_":
        return None  # low lines (___, ＿＿, ﹏) are a template's blanks: a placeholder to see
    if c in "\u00d7\u25cb":
        return None  # ×××× and ○○○ stand for a number or a name in a template: a placeholder to see
    if "HANGUL" in name and name.endswith(" FILLER"):
        return "filler"  # Lo, but shows nothing
    cat = ud.category(c)
    if cat == "So" and " LATIN " in name and " LETTER " in name:
        return None  # Ⓐ, 🅰: Unicode counts enclosed letters as alphabetic
    return cat if cat in NOISE_CATEGORIES else None


def opencc_dir() -> pathlib.Path:
    meta = json.loads(subprocess.check_output(
        ["cargo", "metadata", "--format-version", "1", "--locked"]))
    for pkg in meta["packages"]:
        if pkg["name"] == "ferrous-opencc":
            return pathlib.Path(pkg["manifest_path"]).parent / "assets" / "dictionaries"
    raise SystemExit("ferrous-opencc is not in the dependency graph")


def read(path: pathlib.Path):
    for line in path.read_text(encoding="utf-8").splitlines():
        if line and not line.startswith("#"):
            key, values = line.split("\t", 1)
            yield key, values.split(" ")[0]


def t2s_lines():
    d = opencc_dir()
    table = {k: v for k, v in read(d / "TSCharacters.txt") if k != v}
    simplified = set(table.values())
    # Simplified characters that Traditional text never writes: those
    # STCharacters converts, none of whose conversions is the character
    # itself (面 -> 面 麵 is written in both scripts; 这 -> 這 is not).
    only_simplified = set()
    for line in (d / "STCharacters.txt").read_text(encoding="utf-8").splitlines():
        if line and not line.startswith("#"):
            key, values = line.split("\t", 1)
            if key not in values.split(" "):
                only_simplified.add(key)
    for name in ("TWVariantsRev.txt", "HKVariantsRev.txt"):
        for key, value in read(d / name):
            if len(key) != 1 or key in table or key in simplified:
                continue
            target = table.get(value, value)
            if target != key:
                table[key] = target
    table.update(EXTRA)
    lines = ["# Traditional -> Simplified, one character to one character.",
             "# Generated by scripts/gen-fold-table.py from OpenCC dictionaries (Apache-2.0).",
             "# A third column `shared` marks a target that Traditional text writes too",
             "# (麵 -> 面, 妳 -> 你): only the other targets tell Simplified text.",
             "# Do not edit by hand."]
    return lines + [f"{k}\t{v}" + ("" if v in only_simplified else "\tshared")
                    for k, v in sorted(table.items()) if len(v) == 1]


def nfkc_lines():
    lines = [f"# Compatibility forms -> CJK unified ideograph or ASCII letter/digit, by NFKC (Unicode {ud.unidata_version}).",
             "# Every code point whose NFKC form is one unified ideograph, or one ASCII letter or digit,",
             "# other than itself (the full-width forms U+FF01-U+FF5E aside, which the code folds).",
             "# Generated by scripts/gen-fold-table.py. Do not edit by hand."]
    for cp in range(0x110000):
        target = compatibility_target(chr(cp))
        if target:
            lines.append(f"{chr(cp)}\t{target}")
    return lines


def noise_lines():
    lines = [f"# Noise between two Han characters (Unicode {ud.unidata_version}): first and last",
             "# code point (hex) of each run and why: a general category (Cf Zs Mn Me So Sk Sm),",
             "# ascii (the punctuation of ASCII_NOISE), nfkc-ascii (its full-width and small",
             "# forms), filler (Hangul fillers). Generated by scripts/gen-fold-table.py.",
             "# Do not edit by hand."]
    runs = []  # [first, last, reason]
    for cp in range(0x110000):
        reason = noise_reason(chr(cp))
        if reason is None:
            continue
        if runs and runs[-1][1] == cp - 1 and runs[-1][2] == reason:
            runs[-1][1] = cp
        else:
            runs.append([cp, cp, reason])
    return lines + [f"{a:04X}\t{b:04X}\t{r}" for a, b, r in runs]


def main() -> None:
    check = "--check" in sys.argv[1:]
    stale = []
    for name, make in (("fold-t2s.tsv", t2s_lines), ("fold-nfkc.tsv", nfkc_lines),
                       ("noise.tsv", noise_lines)):
        lines = make()
        text = "\n".join(lines) + "\n"
        path = DATA / name
        if check:
            if not path.exists() or path.read_text(encoding="utf-8") != text:
                stale.append(str(path))
            continue
        path.write_text(text, encoding="utf-8")
        print(f"{path}: {sum(1 for l in lines if not l.startswith('#'))} entries")
    if stale:
        raise SystemExit("stale (run scripts/gen-fold-table.py): " + ", ".join(stale))


if __name__ == "__main__":
    main()

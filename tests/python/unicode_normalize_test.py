#!/usr/bin/env python3
"""NFC parity: compares rlvr's nfc() (through `bpe_tokenize --nfc`) with Python's
unicodedata.normalize("NFC", s) for every code point but the surrogates, every
canonical pair mapping written out, and random sequences of starters, combining
marks and Hangul jamo. Exits 77 (skipped) when Python's Unicode is not the
14.0.0 of models/unicode_normalize_tables.cpp: newer characters would differ.
Usage: unicode_normalize_test.py BPE_TOKENIZE_BINARY"""
import json
import random
import subprocess
import sys
import unicodedata

UNICODE_VERSION = "14.0.0"
SKIPPED = 77
SURROGATES = range(0xD800, 0xE000)


def every_code_point():
    return [chr(cp) for cp in range(0x110000) if cp not in SURROGATES]


def pair_mappings():
    """Each two-code-point canonical mapping as text, composable or excluded."""
    texts = []
    for cp in range(0x110000):
        mapping = unicodedata.decomposition(chr(cp))
        if mapping and not mapping.startswith("<") and " " in mapping:
            texts.append("".join(chr(int(part, 16)) for part in mapping.split()))
    return texts


def random_sequences(seed, count):
    """Marks of every class in every order after starters that compose with them,
    so that reordering, blocking and composition all get exercised."""
    rng = random.Random(seed)
    marks, participants = [], set()
    for cp in range(0x110000):
        c = chr(cp)
        if unicodedata.combining(c):
            marks.append(c)
        mapping = unicodedata.decomposition(c)
        if mapping and not mapping.startswith("<"):
            participants.add(c)
            participants.update(chr(int(part, 16)) for part in mapping.split())
    participants = sorted(participants)
    jamo = [chr(cp) for cp in [*range(0x1100, 0x1113), *range(0x1161, 0x1176),
                               *range(0x11A7, 0x11C3)]]
    syllables = [chr(rng.randrange(0xAC00, 0xD7A4)) for _ in range(200)]
    pools = [marks, participants, jamo, syllables, list("aeoAEO \u00e9\U0001F600")]
    texts = []
    for _ in range(count):
        texts.append("".join(rng.choice(rng.choices(pools, weights=[5, 4, 2, 1, 1])[0])
                             for _ in range(rng.randint(1, 8))))
    return texts


def run_nfc(binary, texts):
    lines = "".join(json.dumps(t) + "\n" for t in texts)
    out = subprocess.run([binary, "--nfc"], input=lines, capture_output=True, encoding="utf-8")
    if out.returncode != 0:
        sys.exit(f"unicode_normalize_test: bpe_tokenize --nfc failed: {out.stderr.strip()}")
    # Not splitlines(): U+2028 and U+0085 in the output are not line breaks here.
    ours = [json.loads(line) for line in out.stdout.split("\n")[:-1]]
    assert len(ours) == len(texts), f"{len(ours)} outputs for {len(texts)} inputs"
    return ours


def check(name, binary, texts):
    mismatches = [(t, got) for t, got in zip(texts, run_nfc(binary, texts))
                  if got != unicodedata.normalize("NFC", t)]
    print(f"{name}: {len(texts)} strings, {len(mismatches)} mismatches")
    for text, got in mismatches[:10]:
        want = unicodedata.normalize("NFC", text)
        print(f"  {ascii(text)}: ours {ascii(got)} unicodedata {ascii(want)}")
    return len(mismatches)


def main(binary):
    if unicodedata.unidata_version != UNICODE_VERSION:
        print(f"unicode_normalize_test: skipped, Python's unicodedata is Unicode "
              f"{unicodedata.unidata_version}, the tables are {UNICODE_VERSION}")
        sys.exit(SKIPPED)
    failures = check("code points", binary, every_code_point())
    failures += check("pair mappings", binary, pair_mappings())
    failures += check("random sequences", binary, random_sequences(seed=1, count=200000))
    if failures:
        sys.exit(f"unicode_normalize_test: {failures} failures")
    print("unicode_normalize_test: all match")


if __name__ == "__main__":
    main(sys.argv[1])

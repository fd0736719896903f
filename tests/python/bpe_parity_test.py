#!/usr/bin/env python3
"""Byte-level BPE parity: trains small tokenizers with the `tokenizers` package
(GPT-2, Llama-3 and Qwen2 pre-tokenizer layouts, and Qwen2 with its NFC
normalizer), saves their tokenizer.json and checks that rlvr's BpeTokenizer
(through the bpe_tokenize driver) gives the same ids and the same decoded text
for every string of a mixed corpus, and that decode(encode(s)) == s wherever
`tokenizers` round-trips too.
Usage: bpe_parity_test.py BPE_TOKENIZE_BINARY"""
import json
import pathlib
import random
import subprocess
import sys
import tempfile

try:
    from tokenizers import (AddedToken, Regex, Tokenizer, decoders, models, normalizers,
                            pre_tokenizers, trainers)
except ImportError as e:
    sys.exit(f"bpe_parity_test: needs the `tokenizers` package ({e}); "
             "scripts/test.sh installs it, or run: python3 -m pip install tokenizers")

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parents[2] / "scripts"))
from tokenizer_patterns import LLAMA3_REGEX, QWEN2_REGEX  # noqa: E402

SPECIAL = ["<|endoftext|>", "<|im_start|>", "<|im_end|>"]

PROSE = ["The quick brown fox jumps over the lazy dog.", "It's what we'd've done, isn't it?",
         "I'M SURE THEY'LL COME; YOU'RE RIGHT, WE'VE SEEN IT'S FINE.",
         "Verification beats imitation when labels are scarce.",
         "Dr. Smith paid $1,234.56 on 2024-01-31."]
SCRIPTS = ["Grüße aus München, naïve café", "Привет, как дела?", "Γειά σου κόσμε", "مرحبا بالعالم",
           "שלום עולם", "नमस्ते दुनिया", "你好，世界！今天天气很好。", "こんにちは世界、カタカナ", "안녕하세요 세계",
           "สวัสดีชาวโลก", "Ⅻ ½ ² ٣٤٥ ௰", "ǅemal ﬁne ſtraße", "e\u0301 combining a\u0308"]
EMOJI = ["👍", "👨‍👩‍👧‍👦", "🏳️‍🌈", "👩🏽‍💻", "🇯🇵🇫🇷", "❤️‍🔥 ok", "😀😃😄😁", "1️⃣ #️⃣"]
CODE = ["def f(x):\n    return x ** 2\n", "for (int i = 0; i < n; ++i) {\n\tsum += a[i];\n}",
        "    if x:\n        y = {'a': [1, 2]}\r\n", "SELECT * FROM t WHERE id='42';",
        "a->b && c || !d",
        "#include <vector>\n\nint main() { return 0; }"]
SPACES = ["  ", "   leading", "trailing   ", "a  b   c    d", "\t\t", "\n\n\n", "x \n y", " \r\n ",
          "\u00a0nbsp\u3000ideo",
          "\u2003em space", "tab\tsep\tvalues", "\x0b\x0c\x1c\x1d\x85", "end \n"]
DIGITS = ["0", "12", "123", "1234", "12345678901234567890", "3.14159", "v2 x10 100k", "٣٤٥٦٧",
          "۱۲۳۴"]
# Not in NFC: marks to compose, in canonical order or not, Hangul jamo, singletons,
# composition exclusions, a leading mark. The NFC added tokens (NFC_ADDED) appear
# in both forms, and a normalized=false one between a letter and its mark.
NOT_NFC = ["cafe\u0301 cafe\u0301s", "Vie\u0323\u0302t Nam, tie\u0302\u0301ng Vie\u0323\u0302t",
           "o\u031b\u0323 o\u0323\u031b o\u0302\u0323\u031b",
           "a\u0301\u0323 a\u0323\u0301 q\u0307\u0323",
           "e\u0302\u0301 e\u0301\u0302 a\u0308\u0308 e\u0364\u0301 a\u0316\u0301",
           "\u1112\u1161\u11ab\u1100\u1173\u11af \uac00\u11a8", "\u212b \u2126 \u212a",
           "\u0958\u0959 \u0915\u093c \u0344 \U0001d15e", "\u0301leading mark",
           "\u0b47\u0b3e \u1e9b\u0323", "<e\u0301> <\u00e9> x<e\u0301>\u0301y",
           "[e\u0301] [\u00e9]"]
NFC_ADDED = [AddedToken("[e\u0301]", normalized=True),
             AddedToken("<e\u0301>", normalized=False, special=True)]
# "'The" and "'Dr" tell (?i:'s|'t|...) from case-sensitive contractions.
FRAGMENTS = (PROSE + SCRIPTS + EMOJI + CODE + SPACES + DIGITS + SPECIAL + NOT_NFC
             + ["<think>", "<mask>", "'s", "'S", "'ll", "'The", "'Dr"])
UNMERGEABLE = "qjxv"  # added to the Llama-3 vocab without merges; absent from training


def corpus(seed, size):
    rng = random.Random(seed)
    texts = [""] + FRAGMENTS + [f"{SPECIAL[1]}user\n{p}{SPECIAL[2]}\n" for p in PROSE]
    texts += ["<|endoftext|><|endoftext|>", "x<|im_end|>y", "<|im_start|", "<think>why</think>",
              " <mask> "]
    while len(texts) < size:
        parts = [rng.choice(FRAGMENTS) for _ in range(rng.randint(1, 6))]
        texts.append(rng.choice(["", " ", "\n", "\t", "  "]).join(parts))
    return texts


def train(pre_tokenizer, ignore_merges, texts):
    tok = Tokenizer(models.BPE(ignore_merges=ignore_merges))
    tok.pre_tokenizer = pre_tokenizer
    tok.decoder = decoders.ByteLevel()
    trainer = trainers.BpeTrainer(vocab_size=1000, special_tokens=SPECIAL, show_progress=False,
                                  initial_alphabet=pre_tokenizers.ByteLevel.alphabet())
    tok.train_from_iterator(texts, trainer)
    tok.add_tokens(["<think>", "</think>"])  # non-special: kept by decode
    tok.add_special_tokens([AddedToken("<mask>", lstrip=True, special=True)])
    return tok


def check(name, tok, path, binary, texts):
    lines = "".join(json.dumps(t) + "\n" for t in texts)
    out = subprocess.run([binary, str(path)], input=lines, capture_output=True, text=True)
    if out.returncode != 0:
        print(f"{name}: bpe_tokenize failed: {out.stderr.strip()}")
        return 1
    # Not splitlines(): U+2028 and U+0085 in decoded text are not line breaks here.
    ours = [json.loads(line) for line in out.stdout.split("\n")[:-1]]
    assert len(ours) == len(texts), f"{name}: {len(ours)} outputs for {len(texts)} inputs"
    id_mismatches, decode_mismatches, roundtrip_failures = [], [], []
    for text, got in zip(texts, ours):
        want = tok.encode(text, add_special_tokens=False).ids
        want_decoded = tok.decode(want, skip_special_tokens=True)
        if got["ids"] != want:
            id_mismatches.append((text, got["ids"], want))
        if got["decoded"] != want_decoded:
            decode_mismatches.append((text, got["decoded"], want_decoded))
        if want_decoded == text and got["decoded"] != text:
            roundtrip_failures.append(text)
    print(f"{name}: {len(texts)} strings, {len(id_mismatches)} id mismatches, "
          f"{len(decode_mismatches)} decode mismatches, "
          f"{len(roundtrip_failures)} round-trip failures")
    for text, got, want in id_mismatches[:5]:
        print(f"  ids {text!r}\n    ours   {got}\n    theirs {want}")
    for text, got, want in decode_mismatches[:5]:
        print(f"  decode {text!r}: ours {got!r} theirs {want!r}")
    for text in roundtrip_failures[:5]:
        print(f"  round trip {text!r}")
    return len(id_mismatches) + len(decode_mismatches) + len(roundtrip_failures)


def rewrite(path, edit):
    spec = json.loads(path.read_text())
    edit(spec)
    path.write_text(json.dumps(spec))


def add_unmergeable(spec):
    """Adds a vocab word no merge sequence reaches: only ignore_merges gives it one
    id. `tokenizers` numbers added tokens after the model vocab whatever ids the
    file says, so they move up by one to make room."""
    vocab = spec["model"]["vocab"]
    for token in spec["added_tokens"]:
        if token["id"] >= len(vocab):
            token["id"] += 1
    vocab[UNMERGEABLE] = len(vocab)


def main(binary):
    texts = corpus(seed=1, size=2500) + [UNMERGEABLE, f"a {UNMERGEABLE}", UNMERGEABLE * 2]
    training = corpus(seed=2, size=3000)
    byte_level = pre_tokenizers.ByteLevel(add_prefix_space=False, use_regex=False)
    split = pre_tokenizers.Split(Regex(LLAMA3_REGEX), "isolated")
    failures = 0
    with tempfile.TemporaryDirectory() as tmp:
        files = {name: pathlib.Path(tmp) / f"{name}.json"
                 for name in ("gpt2", "llama3", "qwen2", "qwen2_nfc")}
        gpt2 = train(pre_tokenizers.ByteLevel(add_prefix_space=False), False, training)
        gpt2.save(str(files["gpt2"]))
        # Older files write merges as "a b" strings; the GPT-2 file tests that form.
        rewrite(files["gpt2"], lambda spec: spec["model"].update(
            merges=[" ".join(m) for m in spec["model"]["merges"]]))
        llama3 = train(pre_tokenizers.Sequence([split, byte_level]), True, training)
        llama3.save(str(files["llama3"]))
        rewrite(files["llama3"], add_unmergeable)
        # Qwen2 reuses the Llama-3 merges (which join digits) so that its one-digit
        # split changes ids; trained on its own regex it would learn no digit merges.
        files["qwen2"].write_text(files["llama3"].read_text())
        rewrite(files["qwen2"], lambda spec: (
            spec["pre_tokenizer"]["pretokenizers"][0]["pattern"].update(Regex=QWEN2_REGEX),
            spec["model"].update(ignore_merges=False)))
        # Qwen2 as released: NFC, here with added tokens that are not in NFC themselves.
        qwen2_nfc = Tokenizer.from_file(str(files["qwen2"]))
        qwen2_nfc.normalizer = normalizers.NFC()
        qwen2_nfc.add_tokens(NFC_ADDED)
        qwen2_nfc.save(str(files["qwen2_nfc"]))
        for name, path in files.items():
            failures += check(name, Tokenizer.from_file(str(path)), path, binary, texts)
    if failures:
        sys.exit(f"bpe_parity_test: {failures} failures")
    print("bpe_parity_test: all match")


if __name__ == "__main__":
    main(sys.argv[1])

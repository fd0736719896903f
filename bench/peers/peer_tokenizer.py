"""The tokenizer of a peer-benchmark model, as a transformers tokenizer.

A checkpoint with tokenizer.json (the Qwen2 models of make_tiny_hf_checkpoint.py)
loads with AutoTokenizer. An rlvr export of a char-tokenizer policy (the
quickstart model) has no tokenizer files, because rlvr's char tokenizer has no
Hugging Face counterpart; TRL still needs a processing_class, so this module
builds an equivalent one: ids 0..3 are <pad>, <s>, </s>, <unk>, then id 4+i is
the i-th character of "\\t\\n" followed by ASCII 32..126 (models/char_tokenizer.cpp).
Text is split into single characters and decoded by concatenation, so
encode(decode(ids)) == ids for every id list without <unk>.

Run as a script it prints a round-trip self-test for MODEL_DIR.
"""
import argparse
import json
import os

CHAR_SPECIALS = ["<pad>", "<s>", "</s>", "<unk>"]
CHARS = "\t\n" + "".join(chr(c) for c in range(32, 127))


def char_vocab():
    vocab = {tok: i for i, tok in enumerate(CHAR_SPECIALS)}
    for i, ch in enumerate(CHARS):
        vocab[ch] = len(CHAR_SPECIALS) + i
    return vocab


def build_char_tokenizer():
    """A PreTrainedTokenizerFast equal to rlvr's CharTokenizer (no special tokens added on encode)."""
    from tokenizers import Regex, Tokenizer, decoders, models, pre_tokenizers
    from transformers import PreTrainedTokenizerFast

    tok = Tokenizer(models.WordLevel(vocab=char_vocab(), unk_token="<unk>"))
    # One piece per character, newlines and spaces included.
    tok.pre_tokenizer = pre_tokenizers.Split(Regex(r"[\s\S]"), behavior="isolated")
    tok.decoder = decoders.Fuse()
    fast = PreTrainedTokenizerFast(tokenizer_object=tok, bos_token="<s>", eos_token="</s>",
                                   unk_token="<unk>", pad_token="<pad>",
                                   clean_up_tokenization_spaces=False)
    return fast


def is_char_model(model_dir):
    """True for an rlvr char-tokenizer export: no tokenizer.json, vocabulary of 101."""
    if os.path.isfile(os.path.join(model_dir, "tokenizer.json")):
        return False
    with open(os.path.join(model_dir, "config.json")) as f:
        vocab = json.load(f).get("vocab_size")
    return vocab == len(CHAR_SPECIALS) + len(CHARS)


def load_tokenizer(model_dir):
    """The model's tokenizer; raises ValueError with a fix when there is none."""
    if os.path.isfile(os.path.join(model_dir, "tokenizer.json")):
        from transformers import AutoTokenizer
        return AutoTokenizer.from_pretrained(model_dir)
    if is_char_model(model_dir):
        return build_char_tokenizer()
    raise ValueError(f"{model_dir} has no tokenizer.json and is not an rlvr char-tokenizer export "
                     f"(vocab_size {len(CHAR_SPECIALS) + len(CHARS)}); copy the tokenizer files of the model "
                     "it came from into it")


def text_of(tokenizer, ids):
    """The text whose tokenization is ids (special tokens written out, spaces untouched)."""
    return tokenizer.decode(ids, skip_special_tokens=False, clean_up_tokenization_spaces=False)


def round_trips(tokenizer, ids):
    """True when tokenizing the decoded text of ids gives back exactly ids, nothing added."""
    return tokenizer(text_of(tokenizer, ids), add_special_tokens=False)["input_ids"] == list(ids)


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("model_dir")
    args = parser.parse_args()
    tok = load_tokenizer(args.model_dir)
    sample = "Compute 12 + 30.\n0110=1 \t~"
    ids = tok(sample, add_special_tokens=False)["input_ids"]
    with_bos = ([tok.bos_token_id] if tok.bos_token_id is not None else []) + ids
    print(f"{type(tok).__name__}, {len(tok)} tokens; {sample!r} -> {ids}")
    print(f"round trip (with bos when it has one): {round_trips(tok, with_bos)}")


if __name__ == "__main__":
    main()

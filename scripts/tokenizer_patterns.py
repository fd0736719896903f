"""Pre-tokenizer split patterns of the byte-level BPE families, as their
tokenizer.json files write them. Shared by scripts/make_tiny_hf_checkpoint.py
and the tokenizer parity tests."""

# Llama 3's; Qwen2's differs only in splitting digits one by one.
LLAMA3_REGEX = (r"(?i:'s|'t|'re|'ve|'m|'ll|'d)|[^\r\n\p{L}\p{N}]?\p{L}+|\p{N}{1,3}"
                r"| ?[^\s\p{L}\p{N}]+[\r\n]*|\s*[\r\n]+|\s+(?!\S)|\s+")
QWEN2_REGEX = LLAMA3_REGEX.replace(r"\p{N}{1,3}", r"\p{N}")

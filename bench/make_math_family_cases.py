#!/usr/bin/env python3
"""Generate math-verifier cases from the families of answers real models write.

Each family lists (gold, answer as a model writes it, expected verdict, note):
right answers in other spellings, wrong answers, near misses. Each answer is
then wrapped in the ways completions state a final answer (a box, Minerva's
closing line, a last sentence, display math, an <answer> tag, a run-on into a
new chat turn, a GSM8K "####" line for plain numbers, a bold "Final Answer").
The product is one JSONL file in the conformance format, for
`rlvr verify --jsonl` and bench/math_verify_compare.py:

  python3 bench/make_math_family_cases.py > /tmp/family_cases.jsonl
  python3 bench/math_verify_compare.py --jsonl /tmp/family_cases.jsonl
"""
import json
import re
import sys

FAMILIES = {
    "relations": [
        ("x \\geq 5", "x \\ge 5", True, "\\ge"),
        ("x \\geq 5", "x >= 5", True, ">="),
        ("x \\geq 5", "5 \\leq x", True, "flipped"),
        ("x \\geq 5", "[5, \\infty)", True, "interval for an inequality gold"),
        ("x \\geq 5", "x > 5", False, "strict"),
        ("x \\geq 5", "2x - 3 \\geq 7", False, "the unsolved inequality"),
        ("x < 3", "x \\lt 3", True, "\\lt"),
        ("x \\neq 3", "x != 3", True, "!="),
        ("x \\neq 3", "x \\ne 3", True, "\\ne"),
        ("x \\neq 3", "x \\neq -3", False, "other value"),
        ("f(2) < f(1) < f(4)", "f(4) > f(1) > f(2)", True, "reversed chain"),
        ("f(2) < f(1) < f(4)", "f(1) < f(2) < f(4)", False, "wrong order"),
        ("(-2, 3)", "-2 < x < 3", True, "double inequality for an interval"),
        ("(-2, 3)", "x^2 - x - 6 < 0", False, "the unsolved inequality"),
    ],
    "several_answers": [
        ("(3,37,3,13),(17,3,3,7)", "(17,3,3,7),(3,37,3,13)", True, "tuples reordered"),
        ("(3,37,3,13),(17,3,3,7)", "(3,37,3,13)", False, "a tuple missing"),
        ("-1, 3", "3; -1", True, "semicolon"),
        ("-1, 3", "x = -1 \\text{ or } x = 3", True, "or"),
        ("-1, 3", "-1 \\text{ and } 3", True, "and"),
        ("-1, 3", "-1", False, "one root"),
        ("-2021, 2021", "\\pm 2021", True, "\\pm"),
        ("2021", "\\pm 2021", False, "\\pm hedge"),
        ("4, 5", "AB = 4, CD = 5", True, "named parts in order"),
        ("4, 5", "AB = 5, CD = 4", False, "named parts swapped"),
        ("k = 45, n = 2", "n = 2, k = 45", True, "names in another order"),
        ("k = 45, n = 2", "2, 45", False, "bare values out of order"),
    ],
    "matrices": [
        ("\\begin{pmatrix} 1 & 2 \\\\ 3 & 4 \\end{pmatrix}", "\\begin{bmatrix} 1 & 2 \\\\ 3 & 4 \\end{bmatrix}", True, "bmatrix"),
        ("\\begin{pmatrix} 1 & 2 \\\\ 3 & 4 \\end{pmatrix}",
         "\\left[\\begin{array}{cc} 1 & 2 \\\\ 3 & 4 \\end{array}\\right]", True, "array"),
        ("\\begin{pmatrix} 1 & 2 \\\\ 3 & 4 \\end{pmatrix}", "\\begin{pmatrix} 1 & 3 \\\\ 2 & 4 \\end{pmatrix}", False,
         "transposed"),
        ("\\begin{pmatrix} 2 \\\\ -1 \\end{pmatrix}", "\\mathbf{v} = \\begin{pmatrix} 2 \\\\ -1 \\end{pmatrix}", True,
         "named vector"),
    ],
    "formats": [
        ("11111100", "11,\\!111,\\!100", True, "\\! separators"),
        ("14916", "14{,}916", True, "{,} separator"),
        ("1000", "1 000", True, "space separator"),
        ("1000", "1 001", False, "space separator, wrong"),
        ("28", "28 pct", True, "pct"),
        ("\\frac{1}{12}", "0.0833333333333333", True, "float rendering"),
        ("\\frac{1}{12}", "0.0833", False, "rounded"),
        ("\\text{Evelyn}", "\\text{Evelyn}", True, "a name"),
        ("\\text{Evelyn}", "\\text{Angela}", False, "another name"),
        ("12", "12\\textnormal{ miles}", True, "\\textnormal unit"),
        ("204_5", "204_5", True, "base numeral"),
        ("204_5", "204", False, "base dropped"),
        ("12:00", "12:00", True, "clock time"),
        ("12:00", "11:00", False, "another time"),
        ("(0, 1)", "D = (0, 1)", True, "named point"),
        ("(0, 1)", "D = (1, 0)", False, "named point swapped"),
        ("10455", "10,455", True, "comma separator"),
        ("10455", "10,454", False, "off by one"),
    ],
}

# The ways completions state a final answer; {a} is the answer.
WRAPPERS = {
    "boxed": "We simplify and check each step.\nTherefore, the answer is $\\boxed{{{a}}}$.",
    "minerva": "We simplify and check each step.\nFinal Answer: The final answer is ${a}$. I hope it is correct.",
    "last_sentence": "We simplify and check each step. Therefore the result is ${a}$.",
    "display": "We simplify and check each step, which gives\n\\[\n{a}\n\\]",
    "answer_tag": "<think>We simplify and check each step.</think>\n<answer>{a}</answer>",
    "run_on": ("Therefore, the answer is $\\boxed{{{a}}}$.<|im_end|>\n<|im_start|>user\nNow solve the next one."
               "<|im_end|>\n<|im_start|>assistant\nThe answer is $\\boxed{{999}}$."),
    "bold": "We simplify and check each step.\n\n**Final Answer:** ${a}$",
    "gsm8k": "We add the amounts step by step.\n#### {a}",
}


def plain_number(answer):
    return re.fullmatch(r"-?[0-9][0-9,]*(\.[0-9]+)?", answer) is not None


def main():
    n = 0
    for category, rows in FAMILIES.items():
        for gold, answer, expected, note in rows:
            for wrapper, template in WRAPPERS.items():
                if wrapper == "gsm8k" and not plain_number(answer):
                    continue  # GSM8K answers are numbers
                n += 1
                case = {"id": f"{category}-{wrapper}-{n:04d}", "category": category, "gold": gold,
                        "response": template.format(a=answer), "expected": expected,
                        "note": f"{note} ({wrapper})"}
                sys.stdout.write(json.dumps(case) + "\n")


if __name__ == "__main__":
    main()

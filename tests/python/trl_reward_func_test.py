"""TRL's GRPOTrainer trains two steps of a tiny random-initialised Qwen2 model
with rlvr.integrations.trl.reward_func("math"), and the rewards it logs are
the ones rlvr returned. Needs trl, transformers and tokenizers (scripts/test.sh
installs them)."""
import math
import os
import subprocess
import sys
import tempfile

import pytest

from rlvr.integrations.trl import reward_func

SOURCE = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))


def tiny_model(out):
    script = os.path.join(SOURCE, "scripts", "make_tiny_hf_checkpoint.py")
    subprocess.run([sys.executable, script, "--family", "qwen2", "--out", out, "--hidden", "32", "--layers", "1"],
                   check=True, capture_output=True, text=True)


def test_grpo_trainer_logs_the_rewards_rlvr_returned():
    pytest.importorskip("trl")
    import datasets
    import torch
    from transformers import AutoModelForCausalLM, AutoTokenizer
    from trl import GRPOConfig, GRPOTrainer

    torch.manual_seed(0)
    returned = []  # what rlvr's reward function gave TRL, call by call
    rlvr_math = reward_func("math")

    def recorded(prompts, completions, **columns):
        rewards = rlvr_math(prompts, completions, **columns)
        returned.append(rewards)
        return rewards

    recorded.__name__ = "rlvr_math"
    # Golds a random model's digits hit now and then, so some rewards are 1.
    rows = [{"prompt": f"What is {a} + {b}? Answer:", "answer": str(d)}
            for a, b, d in [(1, 2, 3), (2, 2, 4), (0, 1, 1), (3, 4, 7)]]
    with tempfile.TemporaryDirectory() as tmp:
        model_dir = os.path.join(tmp, "model")
        tiny_model(model_dir)
        model = AutoModelForCausalLM.from_pretrained(model_dir)
        tokenizer = AutoTokenizer.from_pretrained(model_dir)
        args = GRPOConfig(output_dir=os.path.join(tmp, "out"), max_steps=2, per_device_train_batch_size=8,
                          num_generations=4, max_completion_length=12, learning_rate=1e-4, logging_steps=1,
                          report_to=[], save_strategy="no", use_cpu=True, seed=0, temperature=1.0, beta=0.0)
        trainer = GRPOTrainer(model=model, reward_funcs=[recorded], args=args, processing_class=tokenizer,
                              train_dataset=datasets.Dataset.from_list(rows * 4))
        trainer.train()
    print("rewards rlvr returned:", returned)
    logged = [entry for entry in trainer.state.log_history if "rewards/rlvr_math/mean" in entry]
    assert len(logged) == 2 and len(returned) == 2, (logged, returned)
    for entry, rewards in zip(logged, returned):
        assert len(rewards) == 8 and all(r in (0.0, 1.0) for r in rewards), rewards
        assert math.isclose(entry["rewards/rlvr_math/mean"], sum(rewards) / len(rewards), abs_tol=1e-6)

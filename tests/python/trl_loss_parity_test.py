"""rlvr's GRPO loss formulas against TRL's, on the same tensors.

Feeds random log-probs (some ratios outside the clip band), masks of unequal
lengths and advantages to TRL's GRPOTrainer._compute_loss (the installed trl
package; the model call is replaced by the fixed log-probs) and to rlvr's
policy_loss (build/tests/trainer/rl_loss), for TRL's loss types and the rlvr
settings that implement them:

  grpo    -> loss_aggregation: SEQUENCE_MEAN
  bnpo    -> loss_aggregation: TOKEN_MEAN
  dr_grpo -> loss_aggregation: CONSTANT_SUM (normalize_std: false is Dr. GRPO's advantage)

with and without the K3 KL term (TRL's beta = rlvr's kl_coef). Prints the
worst difference of the loss and of its gradient; fails above 1e-6.

Usage: trl_loss_parity_test.py RL_LOSS_BINARY
"""
import collections
import json
import subprocess
import sys
import types

import torch
from trl.trainer.grpo_trainer import GRPOTrainer

AGGREGATION = {"grpo": "SEQUENCE_MEAN", "bnpo": "TOKEN_MEAN", "dr_grpo": "CONSTANT_SUM"}
CLIP_LOW, CLIP_HIGH, MAX_NEW = 0.2, 0.28, 9
TOLERANCE = 1e-6


def random_inputs(generator, rows=6, cols=MAX_NEW):
    lengths = torch.randint(1, cols + 1, (rows,), generator=generator)
    mask = (torch.arange(cols).unsqueeze(0) < lengths.unsqueeze(1)).float()
    logp = -torch.rand(rows, cols, generator=generator) * 3
    # Ratios between about 0.6 and 1.6: both clip bounds are crossed.
    old_logp = logp + (torch.rand(rows, cols, generator=generator) - 0.5)
    ref_logp = logp + (torch.rand(rows, cols, generator=generator) - 0.5) * 0.6
    advantages = torch.randn(rows, generator=generator)
    return logp, old_logp, ref_logp, mask, advantages


def trl_loss(loss_type, beta, logp, old_logp, ref_logp, mask, advantages):
    logp = logp.clone().requires_grad_(True)
    identity = types.SimpleNamespace(reduce=lambda x, reduction="sum": x, gather=lambda x: x,
                                     gather_for_metrics=lambda x: x, sync_gradients=True)
    trainer = types.SimpleNamespace(
        _get_per_token_logps_and_entropies=lambda *a, **k: (logp, torch.zeros_like(logp), None),
        top_entropy_quantile=1.0, off_policy_mask_threshold=None, importance_sampling_level="token",
        beta=beta, args=types.SimpleNamespace(use_bias_correction_kl=False, delta=None),
        loss_type=loss_type, epsilon_low=CLIP_LOW, epsilon_high=CLIP_HIGH, use_vllm=False,
        vllm_importance_sampling_correction=False, model=types.SimpleNamespace(training=True),
        current_gradient_accumulation_steps=1, max_completion_length=MAX_NEW,
        _entropy_bonus_enabled=False, aux_loss_enabled=False, accelerator=identity,
        _metrics=collections.defaultdict(lambda: collections.defaultdict(list)))
    rows = logp.shape[0]
    inputs = {"prompt_ids": torch.zeros(rows, 2, dtype=torch.long), "prompt_mask": torch.ones(rows, 2),
              "completion_ids": torch.zeros(rows, logp.shape[1], dtype=torch.long), "completion_mask": mask,
              "advantages": advantages, "old_per_token_logps": old_logp, "ref_per_token_logps": ref_logp}
    loss = GRPOTrainer._compute_loss(trainer, None, inputs)
    loss.backward()
    return loss.item(), logp.grad.flatten().tolist()


def rlvr_loss(binary, loss_type, beta, logp, old_logp, ref_logp, mask, advantages):
    request = {"logp": logp.tolist(), "old_logp": old_logp.tolist(), "ref_logp": ref_logp.tolist(),
               "mask": mask.tolist(), "advantages": advantages.tolist(),
               "aggregation": AGGREGATION[loss_type], "clip_low": CLIP_LOW, "clip_high": CLIP_HIGH,
               "kl_coef": beta, "max_new_tokens": MAX_NEW}
    out = subprocess.run([binary], input=json.dumps(request), capture_output=True, text=True, check=True)
    result = json.loads(out.stdout)
    return result["loss"], result["grad"]


def main():
    binary = sys.argv[1]
    generator = torch.Generator().manual_seed(7)
    worst_loss = worst_grad = 0.0
    for trial in range(4):
        tensors = random_inputs(generator)
        for loss_type in AGGREGATION:
            for beta in (0.0, 0.04):
                ref_loss, ref_grad = trl_loss(loss_type, beta, *tensors)
                loss, grad = rlvr_loss(binary, loss_type, beta, *tensors)
                d_loss = abs(loss - ref_loss)
                d_grad = max(abs(a - b) for a, b in zip(grad, ref_grad))
                worst_loss, worst_grad = max(worst_loss, d_loss), max(worst_grad, d_grad)
                print(f"trial {trial} {loss_type:8s} beta {beta}: loss trl {ref_loss:+.7f} rlvr {loss:+.7f} "
                      f"|d| {d_loss:.1e}, max |d grad| {d_grad:.1e}")
    print(f"worst difference: loss {worst_loss:.2e}, gradient {worst_grad:.2e} (tolerance {TOLERANCE})")
    return 0 if worst_loss < TOLERANCE and worst_grad < TOLERANCE else 1


if __name__ == "__main__":
    sys.exit(main())

"""Adapters that give rlvr's verifiers the signatures trainers call: TRL's
reward functions (rlvr.integrations.trl) and verl's compute_score
(rlvr.integrations.verl). Neither imports its framework."""

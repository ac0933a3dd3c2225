"""Question sets and the evaluation harness (`assistant eval`); see evals/README.md."""

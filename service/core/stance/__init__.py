"""Statement checks: explainable passage rules, the learned document stance model, and the verdict over both."""

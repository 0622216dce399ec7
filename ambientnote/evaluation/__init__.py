"""Measuring note quality on ACI-Bench-style data: ROUGE, medication recall, evidence, guard, speed."""

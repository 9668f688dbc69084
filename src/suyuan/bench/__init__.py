"""Benchmarks (issue 8): each path timed against a floor measured in the same run.

``suyuan bench`` / ``make bench`` run P1 (issuance), P2 (scan), P3 (shipping) and the growth
series, print a table and write ``bench/results.json``. Machines here are noisy, so every figure
that matters is a ratio against a floor measured minutes apart on the same machine.
"""

"""Eval harness: gold datasets, scoring, runs and reports."""

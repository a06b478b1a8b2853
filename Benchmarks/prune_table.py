"""Pruning table for every sample (issue: pruning pass), with and without --fine-tune.

For each sample, `distill prune samples/<s>/model.json --data train.csv --test test.csv --label <col>` at
the default budget (0.5 points), once plain and once with --fine-tune, reading the --json report: hidden
neurons before and after, parameters, inputs kept, held-out agreement with the original (R² for
regression), held-out accuracy before and after, wall seconds. The bars:
  - breast_cancer, default budget, no fine-tuning: at least half of the hidden neurons removed and
    held-out agreement with the original within the budget;
  - --fine-tune: at least 75% of the hidden neurons removed at 97% or higher held-out fidelity on every
    classification sample.
Exits non-zero when a bar fails.

Usage: python3 Benchmarks/prune_table.py [--binary .build/release/distill] [--seed 1]
"""
import argparse
import json
import os
import subprocess
import sys
import tempfile
import time

SAMPLES = {"iris": "species", "breast_cancer": "diagnosis", "penguins": "species", "diabetes": "progression"}
BUDGET = 0.005


def run(binary, sample, label, fine_tune, seed, directory):
    report = os.path.join(directory, f"{sample}-{int(fine_tune)}.json")
    command = [binary, "prune", f"samples/{sample}/model.json", "--data", f"samples/{sample}/train.csv",
               "--test", f"samples/{sample}/test.csv", "--label", label, "--seed", str(seed),
               "-o", os.path.join(directory, f"{sample}-pruned.json"), "--json", report]
    if fine_tune:
        command.append("--fine-tune")
    start = time.perf_counter()
    subprocess.run(command, check=True, capture_output=True)
    seconds = time.perf_counter() - start
    result = json.load(open(report))
    result["seconds"] = seconds
    return result


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--binary", default=".build/release/distill")
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    failures = []
    print("| sample | fine-tune | hidden neurons | removed | parameters | inputs kept | held-out fidelity | accuracy before → after | seconds |")
    print("|---|---|---|---|---|---|---|---|---|")
    with tempfile.TemporaryDirectory() as directory:
        for sample, label in SAMPLES.items():
            for fine_tune in (False, True):
                r = run(args.binary, sample, label, fine_tune, args.seed, directory)
                before, after = r["hidden_neurons_before"], r["hidden_neurons_after"]
                removed = (before - after) / before
                classification = "accuracy" in r
                fidelity = r["heldout_agreement"]
                shown = f"{100 * fidelity:.1f}%" if classification else f"R² {fidelity:.4f}"
                accuracy = (f"{100 * r['accuracy']['original']:.1f}% → {100 * r['accuracy']['pruned']:.1f}%"
                            if classification else "–")
                inputs = len(r["inputs_kept"])
                total = inputs + len(r["inputs_dropped"])
                print(f"| {sample} | {'yes' if fine_tune else 'no'} | {before} → {after} | {100 * removed:.1f}% | "
                      f"{r['parameters_before']} → {r['parameters_after']} | {inputs} of {total} | {shown} | "
                      f"{accuracy} | {r['seconds']:.2f} |")
                if sample == "breast_cancer" and not fine_tune:
                    if removed < 0.5 or 1 - fidelity > BUDGET + 1e-12:
                        failures.append(f"breast_cancer default budget: {100 * removed:.1f}% removed, "
                                        f"held-out fidelity {100 * fidelity:.2f}%")
                if fine_tune and classification and (removed < 0.75 or fidelity < 0.97):
                    failures.append(f"{sample} --fine-tune: {100 * removed:.1f}% removed at {100 * fidelity:.2f}%")
    print()
    if failures:
        for failure in failures:
            print("BAR FAILED:", failure)
        sys.exit(1)
    print("bars met: breast_cancer keeps the budget with at least half of its hidden neurons removed; "
          "--fine-tune removes at least 75% at 97% or more held-out fidelity on every classification sample")


if __name__ == "__main__":
    main()

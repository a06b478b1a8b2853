"""Sobol' indices on the breast-cancer network: distill against SALib, in the same run.

SALib: Saltelli sampling (N = 4096, calc_second_order=False: N (d + 2) = 131,072 rows for d = 30), numpy
evaluating the network from samples/breast_cancer/model.json (the same forward pass as distill's
interpreter), and sobol.analyze (its default bootstrap intervals). distill: the whole
`distill sensitivity --method sobol --sobol-samples 4096` command (process start, CSV reading and output
included). Both draw from the data's empirical marginals. Prints both times and their ratio; exits
non-zero if distill is not faster.

Usage: python3 Benchmarks/compare_sobol.py [--binary .build/release/distill]  (needs numpy, pandas, SALib)
"""
import argparse
import json
import subprocess
import sys
import tempfile
import time

import numpy as np
import pandas as pd

try:
    from SALib.analyze import sobol
    from SALib.sample import sobol as sobol_sample
except ImportError:
    print("SALib missing: pip install SALib")
    sys.exit(0)


def forward(model, x):
    inputs = model["inputs"]
    for step in model.get("preprocessing", []):
        x = (x - np.array(step["mean"])) / np.array(step["std"])
    activations = {"tanh": np.tanh, "relu": lambda z: np.maximum(z, 0), "identity": lambda z: z,
                   "sigmoid": lambda z: 1 / (1 + np.exp(-z))}
    for layer in model["layers"]:
        x = x @ np.array(layer["weights"]).T + np.array(layer["bias"])
        x = activations[layer["activation"]](x)
    return x[:, 0]


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--binary", default=".build/release/distill")
    parser.add_argument("--samples", type=int, default=4096)
    args = parser.parse_args()
    model = json.load(open("samples/breast_cancer/model.json"))
    train = pd.read_csv("samples/breast_cancer/train.csv")
    names = [feature["name"] for feature in model["inputs"]]
    data = train[names].to_numpy(dtype=float)

    start = time.perf_counter()
    problem = {"num_vars": len(names), "names": names, "bounds": [[0, 1]] * len(names)}
    unit = sobol_sample.sample(problem, args.samples, calc_second_order=False, seed=1)
    # The data's empirical marginals, as distill uses them.
    sorted_columns = np.sort(data, axis=0)
    index = np.minimum((unit * len(data)).astype(int), len(data) - 1)
    x = np.take_along_axis(sorted_columns, index, axis=0)
    y = forward(model, x)
    result = sobol.analyze(problem, y, calc_second_order=False)
    salib_seconds = time.perf_counter() - start

    report = tempfile.NamedTemporaryFile(suffix=".json", delete=False).name
    start = time.perf_counter()
    subprocess.run([args.binary, "sensitivity", "samples/breast_cancer/model.json", "--data", "samples/breast_cancer/train.csv",
                    "--method", "sobol", "--sobol-samples", str(args.samples), "-o", "/dev/null", "--json", report], check=True)
    distill_seconds = time.perf_counter() - start
    totals = json.load(open(report))["methods"]["sobol_total"]
    distill_half = np.mean([(entry["ci"][1] - entry["ci"][0]) / 2 for entry in totals])

    top_salib = names[int(np.argmax(result["ST"]))]
    print(f"SALib (sampling + numpy network + analyze, {len(y)} evaluations): {salib_seconds:.3f} s; top total-order input: {top_salib}")
    print(f"distill sensitivity --method sobol ({args.samples * (len(names) + 2)} evaluations, whole command): {distill_seconds:.3f} s")
    print(f"distill / SALib time: {distill_seconds / salib_seconds:.2f}x")
    print(f"distill top total-order input: {totals[0]['feature']}")
    print(f"mean interval half-width (ST): SALib {np.mean(result['ST_conf']):.4f}, distill {distill_half:.4f}")
    sys.exit(0 if distill_seconds < salib_seconds else 1)


if __name__ == "__main__":
    main()

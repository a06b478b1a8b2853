"""`distill certify` on random networks of every activation, each result checked by check_certificates.py.

For each activation of the model format (and a regression network with a tolerance), writes a random network
with continuous, binary and categorical inputs, a standardize step, a batchnorm layer and two hidden layers
(specs/model-format.md), and 400 random rows; runs `distill certify` on it and checks the result with
Benchmarks/check_certificates.py (its own numpy forward pass): every certified box sampled densely, every
counterexample re-evaluated. Then the same for `distill certify samples/<s>/model.json --data train.csv --test
test.csv` at the default budget on each sample of --samples, with the issue's figures (certified mass, held-out
rows in certified boxes, counterexamples, time). Exits 1 when a check fails.

Usage: python3 Benchmarks/certify_soundness.py [--binary .build/release/distill] [--seeds 1 2 3]
                                               [--max-boxes 20000] [--width 12] [--samples iris penguins ...]
Needs numpy.
"""
import argparse
import csv
import json
import os
import subprocess
import sys
import tempfile

import numpy as np

HERE = os.path.dirname(os.path.abspath(__file__))
ACTIVATIONS = ["relu", "leaky_relu", "sigmoid", "tanh", "elu", "gelu", "softplus", "silu", "selu", "hard_sigmoid"]
CATEGORIES = ["red", "green", "blue"]


def network(activation, task, width, rng):
    """A random model: 3 continuous inputs, 1 binary, 1 categorical of 3 values (encoded width 7)."""
    inputs = [{"name": f"x{i}", "type": "continuous"} for i in range(3)]
    inputs += [{"name": "flag", "type": "binary"}, {"name": "colour", "type": "categorical", "values": CATEGORIES}]
    outputs = ["a", "b", "c"] if task == "classification" else ["y"]

    def dense(units, inputs, act=None, scale=1.0):
        layer = {"type": "dense", "weights": (scale * rng.standard_normal((units, inputs))).tolist(),
                 "bias": (0.3 * rng.standard_normal(units)).tolist()}
        if act:
            layer["activation"] = act
        if act in ("leaky_relu", "elu", "hard_sigmoid"):
            layer["alpha"] = float(rng.uniform(0.05, 0.5))
        return layer

    layers = [dense(width, 7, activation, 1.0 / np.sqrt(7)),
              {"type": "batchnorm", "gamma": rng.uniform(0.5, 1.5, width).tolist(),
               "beta": (0.2 * rng.standard_normal(width)).tolist(), "mean": (0.1 * rng.standard_normal(width)).tolist(),
               "variance": rng.uniform(0.5, 2.0, width).tolist()},
              {"type": "activation", "activation": activation} if activation != "relu" else {"type": "dropout"},
              dense(width, width, activation, 1.5 / np.sqrt(width)),
              dense(len(outputs), width, None, 3.0 / np.sqrt(width))]
    if activation in ("leaky_relu", "elu", "hard_sigmoid"):
        layers[2]["alpha"] = float(rng.uniform(0.05, 0.5))
    return {"format": "distill-model", "version": 1, "task": task, "inputs": inputs, "outputs": outputs,
            "preprocessing": [{"type": "standardize", "mean": [1.0, -2.0, 0.0, 0.5, 0.3, 0.3, 0.3],
                               "std": [2.0, 0.5, 1.0, 0.5, 0.5, 0.5, 0.5]}],
            "layers": layers}


def rows(count, rng):
    header = ["x0", "x1", "x2", "flag", "colour"]
    data = [[f"{1 + 2 * rng.standard_normal():.6g}", f"{-2 + 0.5 * rng.standard_normal():.6g}",
             f"{rng.uniform(-2, 2):.6g}", str(int(rng.integers(0, 2))), CATEGORIES[int(rng.integers(0, 3))]]
            for _ in range(count)]
    return header, data


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--binary", default=".build/release/distill")
    parser.add_argument("--seeds", type=int, nargs="*", default=[1, 2, 3])
    parser.add_argument("--max-boxes", type=int, default=20_000)
    parser.add_argument("--width", type=int, default=12)
    parser.add_argument("--samples", nargs="*", default=[])
    args = parser.parse_args()
    failed = []

    def check(name, model, result):
        figures = json.load(open(result))
        run = subprocess.run([sys.executable, os.path.join(HERE, "check_certificates.py"), model, result],
                             capture_output=True, text=True)
        held = figures.get("heldout_certified")
        print(f"{name:36} certified {100 * figures['certified_mass']:5.1f}% of the mass"
              + (f", {100 * held:5.1f}% of held-out rows" if held is not None else "")
              + f", {sum(len(r['counterexamples']) for r in figures['rules'])} counterexamples, "
              f"{figures['seconds']:.1f} s: {run.stdout.strip().split(': ', 1)[-1]}")
        if run.returncode != 0:
            print(run.stdout)
            failed.append(name)

    cases = [(a, "classification") for a in ACTIVATIONS] + [("tanh", "regression"), ("relu", "regression")]
    for seed in args.seeds:
        for activation, task in cases:
            rng = np.random.default_rng([seed, ACTIVATIONS.index(activation), task == "regression"])
            with tempfile.TemporaryDirectory() as directory:
                model, data, result = (os.path.join(directory, n) for n in ("model.json", "train.csv", "r.json"))
                json.dump(network(activation, task, args.width, rng), open(model, "w"))
                header, body = rows(400, rng)
                with open(data, "w", newline="") as handle:
                    csv.writer(handle).writerows([header] + body)
                flags = ["--tolerance", "0.5"] if task == "regression" else []
                subprocess.run([args.binary, "certify", model, "--data", data, "--json", result, "-o", os.devnull,
                                "--max-boxes", str(args.max_boxes), "--seed", str(seed), "--quiet", *flags], check=True)
                check(f"{activation} {task} seed {seed}", model, result)
    for sample in args.samples:
        with tempfile.TemporaryDirectory() as directory:
            result, model = os.path.join(directory, "r.json"), f"samples/{sample}/model.json"
            subprocess.run([args.binary, "certify", model, "--data", f"samples/{sample}/train.csv", "--test",
                            f"samples/{sample}/test.csv", "--json", result, "-o", os.devnull, "--quiet"], check=True)
            check(sample, model, result)
    print("all sound" if not failed else f"FAILED: {', '.join(failed)}")
    sys.exit(1 if failed else 0)


if __name__ == "__main__":
    main()

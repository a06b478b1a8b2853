#!/usr/bin/env python3
"""Brute-force exact interventional Shapley values, the reference for ShapleyTests.

For the iris and penguins samples: the rows explained are the first 3 rows of samples/<s>/test.csv, the
background is the first 40 rows of samples/<s>/train.csv, and the output explained is the probability of
each row's predicted class. v(S) = mean over the background of f(x_S, b_rest); phi_i = sum over S not
holding i of |S|! (d - |S| - 1)! / d! (v(S + i) - v(S)), every subset enumerated by itertools, the network
evaluated by the numpy forward pass of ../layers/make_fixture.py (independent of distill's evaluator).

Writes shapley_<sample>.csv: row, class, feature, value (17 significant digits). Run from the repository
root: python3 Tests/DistillTests/Fixtures/shapley/make_shapley.py
"""
import csv
import itertools
import json
import math
import os
import sys

import numpy as np

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "layers"))
from make_fixture import encode, outputs_table  # noqa: E402


def rows_of(path, count):
    with open(path, newline="") as handle:
        return list(csv.DictReader(handle))[:count]


def main():
    for sample in ["iris", "penguins"]:
        model = json.load(open(f"samples/{sample}/model.json"))
        names = [spec["name"] for spec in model["inputs"]]
        d = len(names)
        explained = rows_of(f"samples/{sample}/test.csv", 3)
        background = rows_of(f"samples/{sample}/train.csv", 40)
        with open(os.path.join(HERE, f"shapley_{sample}.csv"), "w", newline="") as handle:
            out = csv.writer(handle, lineterminator="\n")
            out.writerow(["row", "class", "feature", "value"])
            for index, row in enumerate(explained):
                target = int(np.argmax(outputs_table(model, encode(model, [row]))[0]))

                def value(coalition):
                    mixed = [{name: (row[name] if name in coalition else b[name]) for name in names} for b in background]
                    return float(np.mean(outputs_table(model, encode(model, mixed))[:, target]))

                cache = {}
                for size in range(d + 1):
                    for subset in itertools.combinations(names, size):
                        cache[frozenset(subset)] = value(set(subset))
                for name in names:
                    others = [n for n in names if n != name]
                    phi = 0.0
                    for size in range(d):
                        weight = math.factorial(size) * math.factorial(d - size - 1) / math.factorial(d)
                        for subset in itertools.combinations(others, size):
                            phi += weight * (cache[frozenset(subset) | {name}] - cache[frozenset(subset)])
                    out.writerow([index, model["outputs"][target], name, f"{phi:.17g}"])
    print("done")


if __name__ == "__main__":
    main()

"""Regression surrogates on networks distill was not tuned on: wide MLPs (256-256 ReLU, scikit-learn,
exported with distill_export) trained on generated problems, against scikit-learn's CART at the same number
of leaves and imodels FIGS with max_rules = leaves (FIGS counts splits: its sums hold a leaf more per tree). Every method fits on the train rows labelled by
the network (`distill predict`); R² against the network on the held-out rows; medians over seeds.

Problems (inputs, target):
  - friedman1-20: make_friedman1 with 20 inputs (15 unused): sin(pi x0 x1), a bowl in x2, x3 and x4 linear
  - friedman3: make_friedman3, 4 inputs on very different scales, atan of a ratio (not additive)
  - mixed-40: 40 correlated normal inputs and a categorical of 5 levels (one-hot in a Pipeline):
    2 x0 - x1 + sin(2 x2) + x3 x4 + |x5| + a shift per level

Usage: .build/bench-venv/bin/python Benchmarks/compare_regression.py [--binary .build/release/distill]
           [--seeds 1 2 3] [--leaves 8 16 32 64] [--dir .build/bench/regression]
Exit 1 when distill's median is below CART's or FIGS's at some problem and size.
"""
import os
import sys

import numpy as np
import pandas as pd
from imodels import FIGSRegressor
from sklearn.datasets import make_friedman1, make_friedman3
from sklearn.metrics import r2_score
from sklearn.neural_network import MLPRegressor
from sklearn.tree import DecisionTreeRegressor

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from unseen_networks import HELD_OUT, ROWS, arguments, compare  # noqa: E402


def problem(name):
    """The frame (inputs and y), the continuous and categorical input names."""
    total = ROWS + HELD_OUT
    if name == "friedman1-20":
        x, y = make_friedman1(n_samples=total, n_features=20, noise=0.5, random_state=1)
        frame = pd.DataFrame(x, columns=[f"x{i}" for i in range(20)])
        frame["y"] = y
        return frame, list(frame.columns[:-1]), []
    if name == "friedman3":
        x, y = make_friedman3(n_samples=total, noise=0.05, random_state=1)
        frame = pd.DataFrame(x, columns=["r", "omega", "l", "c"])
        frame["y"] = y
        return frame, ["r", "omega", "l", "c"], []
    rng = np.random.default_rng(3)
    x = rng.standard_normal((total, 40)) @ (np.eye(40) + 0.2 * rng.standard_normal((40, 40)))
    frame = pd.DataFrame(x, columns=[f"x{i}" for i in range(40)])
    frame["region"] = rng.choice(["north", "south", "east", "west", "centre"], size=total)
    shift = frame["region"].map({"north": 1.0, "south": -0.6, "east": 0.3, "west": -1.1, "centre": 0.0})
    frame["y"] = (2 * frame["x0"] - frame["x1"] + np.sin(2 * frame["x2"]) + frame["x3"] * frame["x4"]
                  + np.abs(frame["x5"]) + shift + 0.2 * rng.standard_normal(total))
    return frame, [f"x{i}" for i in range(40)], ["region"]


def peers(x_train, y_train, x_test, y_test, leaves, seed):
    """CART's and FIGS's R² against the network on the held-out rows."""
    cart = r2_score(y_test, DecisionTreeRegressor(max_leaf_nodes=leaves, random_state=seed).fit(x_train, y_train).predict(x_test))
    return cart, r2_score(y_test, FIGSRegressor(max_rules=leaves, random_state=seed).fit(x_train, y_train).predict(x_test))


def main():
    args = arguments(".build/bench/regression", ["friedman1-20", "friedman3", "mixed-40"])
    print(f"R² against the network on {HELD_OUT} held-out rows, median over seeds {args.seeds}\n")
    print("| problem | leaves | scikit-learn CART | imodels FIGS | distill best (most frequent winner) |")
    print("|---|---|---|---|---|")
    return compare(args, problem, MLPRegressor(hidden_layer_sizes=(256, 256), max_iter=300, random_state=0), "y",
                   classes=False, peers=peers, shown=lambda value: f"{value:.3f}", measure="R² ")


if __name__ == "__main__":
    sys.exit(main())

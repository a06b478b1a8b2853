"""What compare_regression.py and compare_classification.py share: training and exporting a wide
scikit-learn network on a generated problem (once), the network's answers and `distill --surrogate best`
on it, and the one-hot inputs the peers read."""
import argparse
import io
import json
import os
import random
import statistics
import subprocess
import sys
import tempfile
import time

import numpy as np
import pandas as pd
from sklearn.compose import ColumnTransformer
from sklearn.pipeline import Pipeline
from sklearn.preprocessing import OneHotEncoder, StandardScaler

sys.path.insert(0, os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))), "python", "src"))
import distill_export  # noqa: E402

ROWS, HELD_OUT = 4000, 1000


def build(name, directory, problem, network, target, write_target):
    """Trains `network` (an unfitted scikit-learn estimator, after a StandardScaler of the continuous inputs
    and a OneHotEncoder of the categorical ones) on the first ROWS rows of `problem(name)`, exports it with
    distill_export and writes train.csv and test.csv into directory, once; returns the three paths.
    `write_target`: whether the CSV files keep the target column."""
    model_path = os.path.join(directory, "model.json")
    train_path, test_path = os.path.join(directory, "train.csv"), os.path.join(directory, "test.csv")
    if os.path.exists(model_path):
        return model_path, train_path, test_path
    os.makedirs(directory, exist_ok=True)
    frame, continuous, categorical = problem(name)
    steps = [("scale", StandardScaler(), continuous)] + ([("onehot", OneHotEncoder(), categorical)] if categorical else [])
    model = Pipeline([("prepare", ColumnTransformer(steps)), ("mlp", network)])
    features = continuous + categorical
    train, test = frame.iloc[:ROWS], frame.iloc[ROWS:]
    model.fit(train[features], train[target])
    print(f"{name}: network score on held-out targets {model.score(test[features], test[target]):.3f}", file=sys.stderr)
    distill_export.export(model, model_path)
    columns = features + [target] if write_target else features
    train[columns].to_csv(train_path, index=False, float_format="%.6g")
    test[columns].to_csv(test_path, index=False, float_format="%.6g")
    return model_path, train_path, test_path


def encoded(frame, features, categorical):
    """The inputs as the peers read them: categorical columns one-hot."""
    return pd.get_dummies(frame[features], columns=categorical, dtype=float).to_numpy(float)


def answers(binary, model_path, data_path, classes=False):
    """The network's answer per row, as `distill predict` writes it: classes as text, else numbers."""
    out = subprocess.run([binary, "predict", model_path, "--data", data_path], capture_output=True, text=True, check=True).stdout
    column = pd.read_csv(io.StringIO(out)).iloc[:, 0]
    return column.astype(str).to_numpy() if classes else column.to_numpy(dtype=float)


def distill(binary, model_path, train_path, test_path, seed, leaves):
    """`distill --surrogate best --max-leaves leaves`: its held-out fidelity, the winning kind and seconds."""
    with tempfile.TemporaryDirectory() as directory:
        out = os.path.join(directory, "r.json")
        start = time.perf_counter()
        subprocess.run([binary, model_path, "--data", train_path, "--test", test_path, "--seed", str(seed), "--json", out,
                        "-o", os.devnull, "--surrogate", "best", "--max-leaves", str(leaves)], check=True)
        result = json.load(open(out))
        return result["fidelity"], result["contest"][0]["surrogate"], time.perf_counter() - start


def arguments(directory, problems):
    """The scripts' command line: --binary, --seeds, --leaves, --dir and --problems (these by default)."""
    parser = argparse.ArgumentParser()
    parser.add_argument("--binary", default=".build/release/distill")
    parser.add_argument("--seeds", type=int, nargs="+", default=[1, 2, 3])
    parser.add_argument("--leaves", type=int, nargs="+", default=[8, 16, 32, 64])
    parser.add_argument("--dir", default=directory)
    parser.add_argument("--problems", nargs="+", default=problems)
    return parser.parse_args()


def prepared(args, name, problem, network, target, write_target, classes):
    """`build`'s network of `name` (once), and what the peers fit and are scored on: the one-hot train and
    held-out inputs and the network's answers on them. Returns (paths, x_train, x_test, y_train, y_test)."""
    paths = build(name, os.path.join(args.dir, name), problem, network, target, write_target)
    model_path, train_path, test_path = paths
    frame, continuous, categorical = problem(name)
    features = continuous + categorical
    train, test = frame.iloc[:ROWS], frame.iloc[ROWS:]
    x_train, x_test = encoded(train, features, categorical), encoded(test, features, categorical)
    y_train = answers(args.binary, model_path, train_path, classes)
    y_test = answers(args.binary, model_path, test_path, classes)
    return paths, x_train, x_test, y_train, y_test


def compare(args, problem, network, target, classes, peers, shown, measure="", time_limit=None):
    """Both scripts' table: per problem of args.problems and size of args.leaves, the medians over args.seeds of
    CART's and FIGS's scores (`peers(x_train, y_train, x_test, y_test, leaves, seed)` returns the two, each
    fitted with the seed and numpy's and Python's global generators seeded too, as FIGS also draws from them)
    and distill best's, written by `shown`; failures where distill's median is below either, or (with
    time_limit) a run takes longer. `measure` names the score in failures ("R² "). Returns the exit status."""
    failures, slowest = [], {}
    for name in args.problems:
        (model_path, train_path, test_path), x_train, x_test, y_train, y_test = prepared(
            args, name, problem, network, target, write_target=not classes, classes=classes)
        for leaves in args.leaves:
            cart, figs, ours, kinds = [], [], [], []
            for seed in args.seeds:
                np.random.seed(seed)
                random.seed(seed)
                c, f = peers(x_train, y_train, x_test, y_test, leaves, seed)
                cart.append(c)
                figs.append(f)
                fidelity, kind, seconds = distill(args.binary, model_path, train_path, test_path, seed, leaves)
                ours.append(fidelity)
                kinds.append(kind)
                slowest[name] = max(slowest.get(name, 0.0), seconds)
            c, f, d = statistics.median(cart), statistics.median(figs), statistics.median(ours)
            won = max(set(kinds), key=kinds.count)
            print(f"| {name} | {leaves} | {shown(c)} | {shown(f)} | **{shown(d)}** ({won}) |", flush=True)
            if d < c or d < f:
                failures.append(f"{name} L={leaves}: distill {measure}{shown(d)} below CART {shown(c)} or FIGS {shown(f)}")
    print("\nslowest `--surrogate best` run per problem: " + ", ".join(f"{k} {v:.2f} s" for k, v in slowest.items()))
    if time_limit is not None:
        failures += [f"{k}: --surrogate best took {v:.1f} s (limit {time_limit:g} s)" for k, v in slowest.items() if v > time_limit]
    print(f"\nbars: {len(failures)} failed" if failures else "\nbars: all met")
    for failure in failures:
        print("FAIL " + failure)
    return 1 if failures else 0

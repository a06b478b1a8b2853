"""Surrogate fidelity against the best-known interpretable learners, size for size (issue: surrogate fidelity).

Every method fits on samples/<s>/train.csv with the NETWORK's answers as labels (from `distill predict`) and is
scored on samples/<s>/test.csv against the network's answers there (held-out fidelity; R² for regression).

Classifiers (iris, breast_cancer, penguins, checkerboard, digits, wage), at L = 8, 16, 32, 64 and seeds 1-5 (median):
  - scikit-learn CART: DecisionTreeClassifier(max_leaf_nodes=L, random_state=seed), categorical inputs one-hot;
  - imodels FIGS: FIGSClassifier(max_rules=L, random_state=seed) (L splits: at least L leaves in all);
  - distill: `distill MODEL --data train.csv --test test.csv --surrogate best --max-leaves L --seed seed`
    (trees with at most L leaves, rule lists with at most L rules counting the default).
RIPPER: wittgenstein RIPPER(random_state=seed) with its defaults (one ruleset per class, rarest first, as in
compare_rules.py) against `distill ... --surrogate best --max-conditions C` with C = RIPPER's conditions.
Regression (diabetes; friedman, an additive target): R² against the network at 8-64 leaves: DecisionTreeRegressor(max_leaf_nodes=L),
FIGSRegressor(max_rules=L) and `distill --surrogate best --max-leaves L`.

Bars (exit 1 when one fails): distill >= CART and >= FIGS at every sample and size (medians), distill >= RIPPER
at no more conditions, diabetes R² >= 0.90 at 32 leaves, breast cancer >= 98.5% with at most 11 rules,
checkerboard >= 95% at 16 leaves, `--surrogate best` under 10 s per run.

Usage: python3 Benchmarks/compare_fidelity.py [--binary .build/release/distill] [--seeds 1 2 3 4 5]
                                              [--samples iris ...] [--leaves 8 16 32 64]
Needs numpy, pandas, scikit-learn, imodels (and six) and wittgenstein (`make bench` installs them).
"""
import argparse
import warnings
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import compare_rules  # noqa: E402  (Sample, fit_ripper, encode)

CLASSIFIERS = {"iris": "species", "breast_cancer": "diagnosis", "penguins": "species", "checkerboard": "cell",
               "digits": "digit", "wage": "wage_band"}
REGRESSORS = {"diabetes": "progression", "friedman": "y"}
TIME_LIMIT = 10.0


def distill(binary, sample, seed, *flags):
    with tempfile.TemporaryDirectory() as directory:
        out = os.path.join(directory, "r.json")
        start = time.perf_counter()
        subprocess.run([binary, f"samples/{sample}/model.json", "--data", f"samples/{sample}/train.csv",
                        "--test", f"samples/{sample}/test.csv", "--seed", str(seed), "--json", out,
                        "-o", os.devnull, *flags], check=True)
        result = json.load(open(out))
        result["wall_seconds"] = time.perf_counter() - start
        return result


def seed_globals(seed):
    """imodels 3.0.4's FIGS also draws from numpy's and Python's global generators (its random_state does not
    reach every draw: two runs of one seed differed, 93.0% and 93.7% on breast cancer at 16 rules), so they are
    seeded too, and the peer's figures repeat."""
    import random

    import numpy as np
    np.random.seed(seed)
    random.seed(seed)


def leaves_of(tree):
    return int(tree.get_n_leaves())


def classifier_rows(args, name, failures):
    from imodels import FIGSClassifier
    from sklearn.tree import DecisionTreeClassifier

    compare_rules.SAMPLES[name] = CLASSIFIERS[name]
    sample = compare_rules.Sample(name, "samples", args.binary)
    x_train, x_test = compare_rules.encode(sample, sample.train), compare_rules.encode(sample, sample.test)
    n = len(sample.y_test)
    lines, slowest = [], 0.0
    for leaves in args.leaves:
        cart, figs, ours, kinds = [], [], [], []
        for seed in args.seeds:
            tree = DecisionTreeClassifier(max_leaf_nodes=leaves, random_state=seed).fit(x_train, sample.y_train)
            cart.append(float((tree.predict(x_test) == sample.y_test).mean()))
            seed_globals(seed)
            model = FIGSClassifier(max_rules=leaves, random_state=seed).fit(x_train, sample.y_train)
            figs.append(float((model.predict(x_test).astype(str) == sample.y_test).mean()))
            result = distill(args.binary, name, seed, "--surrogate", "best", "--max-leaves", str(leaves))
            ours.append(result["fidelity"])
            kinds.append(result["fitted"])
            slowest = max(slowest, result["wall_seconds"])
        c, f, d = statistics.median(cart), statistics.median(figs), statistics.median(ours)
        won = max(set(kinds), key=kinds.count)
        lines.append(f"| {name} | {leaves} | {100 * c:.1f}% | {100 * f:.1f}% | **{100 * d:.1f}%** ({won}) | {n} |")
        if d < c or d < f:
            failures.append(f"{name} L={leaves}: distill {100 * d:.1f}% below CART {100 * c:.1f}% or FIGS {100 * f:.1f}%")
        if name == "checkerboard" and leaves == 16 and d < 0.95:
            failures.append(f"checkerboard at 16 leaves: {100 * d:.1f}% < 95%")
    return lines, slowest


def ripper_rows(args, name, failures):
    compare_rules.SAMPLES[name] = CLASSIFIERS[name]
    sample = compare_rules.Sample(name, "samples", args.binary)
    theirs, ours, conditions, ours_conditions = [], [], [], []
    for seed in args.seeds:
        row = compare_rules.fit_ripper(sample, seed, False)
        theirs.append(row.fidelity)
        conditions.append(row.conditions)
        result = distill(args.binary, name, seed, "--surrogate", "best", "--max-conditions", str(row.conditions))
        ours.append(result["fidelity"])
        ours_conditions.append(result["size"]["conditions"])
    r, d = statistics.median(theirs), statistics.median(ours)
    if d < r:
        failures.append(f"{name}: distill {100 * d:.1f}% below RIPPER {100 * r:.1f}% at no more conditions")
    return (f"| {name} | {100 * r:.1f}% | {statistics.median(conditions):g} | **{100 * d:.1f}%** "
            f"| {statistics.median(ours_conditions):g} |")


def regression_rows(args, name, failures):
    import numpy as np
    import pandas as pd
    from imodels import FIGSRegressor
    from sklearn.metrics import r2_score
    from sklearn.tree import DecisionTreeRegressor

    def answers(path):
        out = subprocess.run([args.binary, "predict", f"samples/{name}/model.json", "--data", path],
                             capture_output=True, text=True, check=True).stdout
        return pd.read_csv(__import__("io").StringIO(out)).iloc[:, 0].to_numpy(dtype=float)

    model = json.load(open(f"samples/{name}/model.json"))
    features = [i["name"] for i in model["inputs"]]
    train, test = pd.read_csv(f"samples/{name}/train.csv"), pd.read_csv(f"samples/{name}/test.csv")
    x_train, x_test = train[features].to_numpy(float), test[features].to_numpy(float)
    y_train, y_test = answers(f"samples/{name}/train.csv"), answers(f"samples/{name}/test.csv")
    lines, slowest = [], 0.0
    for leaves in args.leaves:
        cart, figs, ours, kinds = [], [], [], []
        for seed in args.seeds:
            tree = DecisionTreeRegressor(max_leaf_nodes=leaves, random_state=seed).fit(x_train, y_train)
            cart.append(r2_score(y_test, tree.predict(x_test)))
            seed_globals(seed)
            figs.append(r2_score(y_test, FIGSRegressor(max_rules=leaves, random_state=seed).fit(x_train, y_train).predict(x_test)))
            result = distill(args.binary, name, seed, "--surrogate", "best", "--max-leaves", str(leaves))
            ours.append(result["fidelity"])
            kinds.append((result.get("contest") or [{"surrogate": result["fitted"]}])[0]["surrogate"])
            slowest = max(slowest, result["wall_seconds"])
        c, f, d = statistics.median(cart), statistics.median(figs), statistics.median(ours)
        won = max(set(kinds), key=kinds.count)
        lines.append(f"| {name} | {leaves} | {c:.3f} | {f:.3f} | **{d:.3f}** ({won}) | {len(y_test)} |")
        if d < c or d < f:
            failures.append(f"{name} L={leaves}: distill R² {d:.3f} below CART {c:.3f} or FIGS {f:.3f}")
        if name == "diabetes" and leaves == 32 and d < 0.90:
            failures.append(f"{name} at 32 leaves: R² {d:.3f} < 0.90")
    return lines, slowest


def main():
    warnings.filterwarnings("ignore")
    parser = argparse.ArgumentParser()
    parser.add_argument("--binary", default=".build/release/distill")
    parser.add_argument("--seeds", type=int, nargs="+", default=[1, 2, 3, 4, 5])
    parser.add_argument("--samples", nargs="+", default=list(CLASSIFIERS) + list(REGRESSORS))
    parser.add_argument("--leaves", type=int, nargs="+", default=[8, 16, 32, 64])
    args = parser.parse_args()
    failures, times = [], {}
    print(f"held-out fidelity to the network, median over seeds {args.seeds}\n")
    print("| sample | leaves / rules | scikit-learn CART | imodels FIGS | distill best (most frequent winner) | held-out rows |")
    print("|---|---|---|---|---|---|")
    for name in args.samples:
        if name in CLASSIFIERS:
            lines, times[name] = classifier_rows(args, name, failures)
        else:
            lines, times[name] = regression_rows(args, name, failures)
        print("\n".join(lines), flush=True)
    print("\nRIPPER at no more conditions (distill --surrogate best --max-conditions = RIPPER's conditions)\n")
    print("| sample | wittgenstein RIPPER | its conditions | distill best | distill conditions |")
    print("|---|---|---|---|---|")
    for name in args.samples:
        if name in CLASSIFIERS:
            print(ripper_rows(args, name, failures), flush=True)
    if "breast_cancer" in args.samples:
        small = [distill(args.binary, "breast_cancer", seed, "--surrogate", "best", "--max-rules", "11") for seed in args.seeds]
        fidelity = statistics.median(r["fidelity"] for r in small)
        print(f"\nbreast cancer, at most 11 rules: {100 * fidelity:.1f}% (median; the published best is 98.7% with 11.6 rules)")
        if fidelity < 0.985:
            failures.append(f"breast cancer with at most 11 rules: {100 * fidelity:.1f}% < 98.5%")
    print("\nslowest `--surrogate best` run per sample: " + ", ".join(f"{k} {v:.2f} s" for k, v in times.items()))
    failures += [f"{k}: --surrogate best took {v:.1f} s (limit {TIME_LIMIT:g} s)" for k, v in times.items() if v > TIME_LIMIT]
    print(f"\nbars: {'all met' if not failures else f'{len(failures)} failed'}")
    for failure in failures:
        print(f"FAIL {failure}")
    sys.exit(1 if failures else 0)


if __name__ == "__main__":
    main()

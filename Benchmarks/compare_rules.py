#!/usr/bin/env python3
"""Compares distill's rule-list surrogates with wittgenstein's RIPPER and a scikit-learn tree.

For each classification sample (iris, breast_cancer, penguins; diabetes is regression and skipped) every
method is fitted on samples/<s>/train.csv and scored on samples/<s>/test.csv, and every method learns the
same labels: the network's own answers (`distill predict`), never the ground-truth column.

Methods:
  wittgenstein RIPPER   lw.RIPPER(random_state=SEED), defaults otherwise. wittgenstein is binary, so
                        multi-class is done the way RIPPER does it: classes in order of increasing frequency
                        in the training labels; for each class but the most frequent, a ruleset for
                        pos_class = that class is fitted on the rows no earlier class has claimed; the most
                        frequent class is the default. A row gets the first class whose ruleset fires.
                        rules = all rules + 1 (the default); conditions = all conditions of all rules.
  scikit-learn tree     DecisionTreeClassifier(max_depth=4, random_state=0), categorical inputs one-hot
                        encoded over the values model.json declares; rules = leaves, conditions = sum of the
                        leaves' path lengths.
  distill ripper/rules/tree
                        `distill MODEL --data train.csv --test test.csv --surrogate S --seed SEED --json OUT --timing`;
                        fidelity, size.rules, size.conditions and fit_seconds are read from OUT (without
                        fit_seconds the command's wall time is used, and marked).

Held-out fidelity = share of test rows where the surrogate's class equals the network's class.

Checks per sample (only where the distill rows exist; exit status 1 if any fails):
  distill ripper fidelity >= RIPPER fidelity; distill ripper conditions <= RIPPER conditions;
  RIPPER fit time / distill ripper fit time >= 50; distill rules fidelity >= distill tree fidelity
  - 0.5 points and fewer conditions than the tree.
If the binary rejects --surrogate, that is said, the checks are skipped, and the other rows are still printed.

Needs pandas, scikit-learn and wittgenstein; missing ones are installed with pip (unless --no-install).
Usage: python3 Benchmarks/compare_rules.py [--seed 1] [--binary .build/release/distill] [--samples iris ...]
"""
import argparse
import importlib
import io
import json
import os
import platform
import subprocess
import sys
import tempfile
import time

SAMPLES = {"iris": "species", "breast_cancer": "diagnosis", "penguins": "species"}
REGRESSION_SAMPLES = {"diabetes"}
TREE_DEPTH = 4
SPEEDUP_BAR = 50.0
RULES_FIDELITY_SLACK_POINTS = 0.5
DISTILL_SURROGATES = ["ripper", "rules", "tree"]
PIP_NAMES = {"pandas": "pandas", "sklearn": "scikit-learn", "wittgenstein": "wittgenstein"}


def ensure_packages(allow_install):
    missing = []
    for module in PIP_NAMES:
        try:
            importlib.import_module(module)
        except ImportError:
            missing.append(module)
    if not missing:
        return
    names = [PIP_NAMES[m] for m in missing]
    if not allow_install:
        sys.exit(f"missing Python packages: {', '.join(names)} (pip install {' '.join(names)})")
    print(f"installing {', '.join(names)} with pip", flush=True)
    subprocess.run([sys.executable, "-m", "pip", "install", "-q", *names], check=True)
    importlib.invalidate_caches()


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--seed", type=int, default=1, help="seed for RIPPER and distill (default 1)")
    parser.add_argument("--binary", default=".build/release/distill", help="distill binary")
    parser.add_argument("--samples", nargs="+", default=list(SAMPLES),
                        help="samples to compare (space or comma separated; default: all three)")
    parser.add_argument("--samples-dir", default="samples", help=argparse.SUPPRESS)
    parser.add_argument("--show-rules", action="store_true", help="also print RIPPER's rulesets")
    parser.add_argument("--no-install", action="store_true", help="never pip install missing packages")
    args = parser.parse_args()
    names = [n for item in args.samples for n in item.split(",") if n]
    chosen = []
    for name in names:
        if name in REGRESSION_SAMPLES:
            print(f"{name}: regression sample, skipped (the rule lists are classifiers)")
        elif name not in SAMPLES:
            parser.error(f"unknown sample {name!r} (choose from {', '.join(SAMPLES)})")
        elif name not in chosen:
            chosen.append(name)
    if not chosen:
        parser.error("no classification sample chosen")
    args.samples = chosen
    return args


# ---------------------------------------------------------------- data and the network's answers

class Sample:
    def __init__(self, name, directory, binary):
        import pandas as pd

        self.name = name
        self.model_path = os.path.join(directory, name, "model.json")
        self.train_path = os.path.join(directory, name, "train.csv")
        self.test_path = os.path.join(directory, name, "test.csv")
        self.label_column = SAMPLES[name]
        model = json.load(open(self.model_path))
        if model.get("task") != "classification":
            raise SystemExit(f"{name}: model.json task is {model.get('task')!r}, not classification")
        self.inputs = model["inputs"]
        self.classes = [str(c) for c in model["outputs"]]
        self.features = [i["name"] for i in self.inputs]
        self.categorical = {i["name"]: [str(v) for v in i["values"]]
                            for i in self.inputs if i["type"] == "categorical"}
        dtypes = {c: str for c in self.categorical}
        self.train = pd.read_csv(self.train_path, dtype=dtypes)[self.features]
        self.test = pd.read_csv(self.test_path, dtype=dtypes)[self.features]
        for frame, path in ((self.train, self.train_path), (self.test, self.test_path)):
            for column, values in self.categorical.items():
                unknown = sorted(set(frame[column]) - set(values))
                if unknown:
                    print(f"warning: {path}: {column} has undeclared values {unknown}")
        self.y_train = network_answers(binary, self.model_path, self.train_path, len(self.train))
        self.y_test = network_answers(binary, self.model_path, self.test_path, len(self.test))


def network_answers(binary, model_path, csv_path, rows):
    import pandas as pd

    result = subprocess.run([binary, "predict", model_path, "--data", csv_path],
                            capture_output=True, text=True)
    if result.returncode != 0:
        raise SystemExit(f"`{binary} predict {model_path} --data {csv_path}` failed "
                         f"(exit {result.returncode}): {result.stderr.strip()}")
    answers = pd.read_csv(io.StringIO(result.stdout), dtype={"prediction": str})["prediction"]
    if len(answers) != rows:
        raise SystemExit(f"{csv_path}: distill predict gave {len(answers)} answers for {rows} rows")
    return answers.astype(str).to_numpy()


class Row:
    """One method's result on one sample."""

    def __init__(self, method, agree=None, total=None, rules=None, conditions=None, seconds=None,
                 status="ok", note="", wall_time=False):
        self.method, self.agree, self.total = method, agree, total
        self.rules, self.conditions, self.seconds = rules, conditions, seconds
        self.status, self.note, self.wall_time = status, note, wall_time

    @property
    def fidelity(self):
        return self.agree / self.total


# ---------------------------------------------------------------- wittgenstein RIPPER

def fit_ripper(sample, seed, show_rules):
    import pandas as pd
    import wittgenstein as lw

    label = sample.label_column
    frame = sample.train.copy()
    frame[label] = sample.y_train
    counts = frame[label].value_counts()
    present = [c for c in sample.classes if counts.get(c, 0) > 0]
    present += sorted(c for c in counts.index if c not in present)
    # Increasing frequency; ties keep the model's class order (stable sort), so the order is deterministic.
    order = sorted(present, key=lambda c: counts[c])
    default = order[-1]

    rulesets, seconds, remaining = [], 0.0, frame
    for cls in order[:-1]:
        model = lw.RIPPER(random_state=seed)
        # Rows keep their train.csv row number as index: wittgenstein shuffles its grow/prune split from
        # the index labels, so renumbering the remaining rows would change (not unfix) its results.
        start = time.perf_counter()
        model.fit(remaining, class_feat=label, pos_class=cls)
        seconds += time.perf_counter() - start
        rulesets.append((cls, model))
        remaining = remaining[remaining[label] != cls]

    predicted = pd.Series([default] * len(sample.test), dtype=object)
    claimed = pd.Series([False] * len(sample.test))
    for cls, model in rulesets:
        fires = pd.Series(model.predict(sample.test.reset_index(drop=True)), dtype=bool)
        predicted[fires & ~claimed] = cls
        claimed |= fires
    agree = int((predicted.to_numpy() == sample.y_test).sum())
    rules = sum(m.ruleset_.count_rules() for _, m in rulesets) + 1
    conditions = sum(m.ruleset_.count_conds() for _, m in rulesets)
    two_sided = sum(1 for _, m in rulesets for rule in m.ruleset_.rules for cond in rule.conds
                    if isinstance(cond.val, str) and " - " in cond.val)
    note = (f"class order {' > '.join(order)} (default {default}); {two_sided} of {conditions} conditions "
            f"are two-sided bins (a < x <= b)")
    if show_rules:
        note += "".join(f"\n  - IF {model.ruleset_} THEN {cls}" for cls, model in rulesets)
        note += f"\n  - ELSE {default}"
    return Row("wittgenstein RIPPER", agree, len(sample.test), rules, conditions, seconds, note=note)


# ---------------------------------------------------------------- scikit-learn tree

def encode(sample, frame):
    import numpy as np

    columns = []
    for feature in sample.features:
        if feature in sample.categorical:
            for value in sample.categorical[feature]:
                columns.append((frame[feature] == value).to_numpy(dtype=float))
        else:
            columns.append(frame[feature].to_numpy(dtype=float))
    return np.column_stack(columns)


def fit_sklearn_tree(sample):
    from sklearn.tree import DecisionTreeClassifier

    x_train, x_test = encode(sample, sample.train), encode(sample, sample.test)
    start = time.perf_counter()
    tree = DecisionTreeClassifier(max_depth=TREE_DEPTH, random_state=0).fit(x_train, sample.y_train)
    seconds = time.perf_counter() - start
    agree = int((tree.predict(x_test) == sample.y_test).sum())
    left, right = tree.tree_.children_left, tree.tree_.children_right
    conditions, stack = 0, [(0, 0)]
    while stack:
        node, depth = stack.pop()
        if left[node] == -1:
            conditions += depth
        else:
            stack += [(left[node], depth + 1), (right[node], depth + 1)]
    return Row(f"scikit-learn tree (max_depth={TREE_DEPTH})", agree, len(sample.test),
               tree.get_n_leaves(), conditions, seconds)


# ---------------------------------------------------------------- distill

def run_distill(sample, binary, seed, surrogate, with_flag=True):
    label = f"distill {surrogate}" if with_flag else f"distill {surrogate} (default, no --surrogate)"
    with tempfile.TemporaryDirectory() as tmp:
        out = os.path.join(tmp, "out.json")
        command = [binary, sample.model_path, "--data", sample.train_path, "--test", sample.test_path]
        if with_flag:
            command += ["--surrogate", surrogate]
        command += ["--seed", str(seed), "--json", out, "--timing", "-o", os.devnull]
        start = time.perf_counter()
        result = subprocess.run(command, capture_output=True, text=True)
        wall = time.perf_counter() - start
        if result.returncode != 0:
            message = (result.stderr.strip() or result.stdout.strip()).splitlines()
            first = message[0] if message else f"exit {result.returncode}"
            if with_flag and "--surrogate" in result.stderr:
                return Row(label, status="unsupported", note=first)
            return Row(label, status="error", note=f"exit {result.returncode}: {first}")
        report = json.load(open(out))
    total = report.get("heldout_rows", len(sample.test))
    if total != len(sample.test):
        return Row(label, status="error", note=f"held out {total} rows, test.csv has {len(sample.test)}")
    agree = report.get("agreeing_rows")
    if agree is None:
        agree = round(report["fidelity"] * total)
    size = report.get("size", {})
    seconds, wall_time = report.get("fit_seconds"), False
    if seconds is None:
        seconds, wall_time = wall, True
    note = "" if report.get("surrogate") in (None, surrogate) else f"JSON says surrogate {report['surrogate']!r}"
    return Row(label, agree, total, size.get("rules", size.get("leaves")), size.get("conditions"),
               seconds, note=note, wall_time=wall_time)


# ---------------------------------------------------------------- report

def fmt_fidelity(row):
    if row.status != "ok":
        return row.status
    return f"{100 * row.fidelity:.1f}% ({row.agree} of {row.total})"


def fmt_seconds(row):
    if row.status != "ok":
        return "-"
    text = f"{row.seconds:.4f}" if row.seconds >= 0.001 else f"{row.seconds:.2e}"
    return text + (" †" if row.wall_time else "")


def print_table(rows):
    print("| sample | method | held-out fidelity | rules | total conditions | fit seconds |")
    print("|---|---|---|---|---|---|")
    for sample, row in rows:
        rules = row.rules if row.status == "ok" else "-"
        conditions = row.conditions if row.status == "ok" else "-"
        print(f"| {sample} | {row.method} | {fmt_fidelity(row)} | {rules} | {conditions} | {fmt_seconds(row)} |")


def checks_for(results):
    """[(name, verdict, detail)]; verdict is PASS, FAIL or SKIP."""
    ripper = results["wittgenstein RIPPER"]
    d_ripper, d_rules, d_tree = (results.get(f"distill {s}") for s in ("ripper", "rules", "tree"))
    out = []

    def needs(*rows):
        for row in rows:
            if row is None or row.status == "unsupported":
                return "SKIP", f"{row.method if row else 'a distill row'} not available"
            if row.status == "error":
                return "FAIL", f"{row.method}: {row.note}"
        return None

    name = "distill ripper fidelity >= RIPPER fidelity"
    missing = needs(d_ripper)
    if missing:
        out.append((name, *missing))
    else:
        ok = d_ripper.agree * ripper.total >= ripper.agree * d_ripper.total
        out.append((name, "PASS" if ok else "FAIL",
                    f"{fmt_fidelity(d_ripper)} vs {fmt_fidelity(ripper)}"))

    name = "distill ripper conditions <= RIPPER conditions"
    if missing:
        out.append((name, *missing))
    else:
        ok = d_ripper.conditions <= ripper.conditions
        out.append((name, "PASS" if ok else "FAIL", f"{d_ripper.conditions} vs {ripper.conditions}"))

    name = f"RIPPER fit time / distill ripper fit time >= {SPEEDUP_BAR:g}x"
    if missing:
        out.append((name, *missing))
    else:
        ratio = ripper.seconds / d_ripper.seconds if d_ripper.seconds > 0 else float("inf")
        detail = f"{ratio:.1f}x ({ripper.seconds:.4f} s / {d_ripper.seconds:.2e} s)"
        if d_ripper.wall_time:
            detail += "; distill time is the whole command's wall time (no fit_seconds in its JSON)"
        out.append((name, "PASS" if ratio >= SPEEDUP_BAR else "FAIL", detail))

    name = (f"rules (tree-to-rules) fidelity >= tree fidelity - {RULES_FIDELITY_SLACK_POINTS} points "
            f"and fewer conditions than the tree")
    missing = needs(d_rules, d_tree)
    if missing:
        out.append((name, *missing))
    else:
        fidelity_ok = 100 * d_rules.fidelity >= 100 * d_tree.fidelity - RULES_FIDELITY_SLACK_POINTS - 1e-9
        fewer = d_rules.conditions < d_tree.conditions
        out.append((name, "PASS" if fidelity_ok and fewer else "FAIL",
                    f"fidelity {fmt_fidelity(d_rules)} vs {fmt_fidelity(d_tree)}, "
                    f"conditions {d_rules.conditions} vs {d_tree.conditions}"))
    return out


def pooled(method, rows):
    usable = [r for r in rows if r.status == "ok"]
    if len(usable) != len(rows):
        bad = next(r for r in rows if r.status != "ok")
        return Row(method, status=bad.status)
    return Row(method, sum(r.agree for r in usable), sum(r.total for r in usable),
               sum(r.rules for r in usable), sum(r.conditions for r in usable),
               sum(r.seconds for r in usable), wall_time=any(r.wall_time for r in usable))


def main():
    args = parse_args()
    ensure_packages(not args.no_install)
    import numpy
    import pandas
    import sklearn
    import wittgenstein

    binary = args.binary
    if not (os.path.isfile(binary) and os.access(binary, os.X_OK)):
        sys.exit(f"distill binary not found at {binary}: build it first (swift build -c release --product "
                 f"distill); it also gives the network's answers that every method learns")
    version = subprocess.run([binary, "--version"], capture_output=True, text=True).stdout.strip()
    print(f"# Rule-list surrogates: distill vs wittgenstein RIPPER vs scikit-learn\n")
    print(f"wittgenstein {wittgenstein.__version__}, scikit-learn {sklearn.__version__}, "
          f"pandas {pandas.__version__}, numpy {numpy.__version__}, Python {platform.python_version()}; "
          f"distill {version or '(version unknown)'} at {binary}; seed {args.seed}")
    print("Labels: the network's answers on train.csv (fitting) and test.csv (held out); "
          "fidelity = agreement with the network on test.csv.\n")

    all_rows, failed, passed, skipped, unsupported_seen = [], 0, 0, 0, []
    by_method = {}
    for name in args.samples:
        sample = Sample(name, args.samples_dir, binary)
        rows = [fit_ripper(sample, args.seed, args.show_rules), fit_sklearn_tree(sample)]
        distill_rows = [run_distill(sample, binary, args.seed, s) for s in DISTILL_SURROGATES]
        rows += distill_rows
        tree = distill_rows[-1]
        if tree.status == "unsupported":
            rows.append(run_distill(sample, binary, args.seed, "tree", with_flag=False))
        for row in rows:
            if row.status == "unsupported" and row.note not in unsupported_seen:
                unsupported_seen.append(row.note)
        results = {r.method: r for r in rows}

        print(f"## {name} ({len(sample.train)} fitting rows, {len(sample.test)} held-out rows, "
              f"{len(sample.features)} inputs)\n")
        print_table([(name, r) for r in rows])
        print()
        for row in rows:
            if row.note:
                print(f"- {row.method}: {row.note}")
        if any(r.wall_time for r in rows):
            print("- † no fit_seconds in distill's JSON: the whole command's wall time (process start, "
                  "loading, network answers, fitting, writing)")
        print(f"\nChecks for {name}:\n")
        for check, verdict, detail in checks_for(results):
            print(f"- {verdict} {check}: {detail}")
            failed += verdict == "FAIL"
            passed += verdict == "PASS"
            skipped += verdict == "SKIP"
        print()
        for row in rows:
            by_method.setdefault(row.method, []).append(row)
            all_rows.append((name, row))

    print("## overall (pooled over " + ", ".join(args.samples) + ")\n")
    print_table([("all", pooled(method, rows)) for method, rows in by_method.items()
                 if len(rows) == len(args.samples)])
    print()
    if unsupported_seen:
        print(f"NOTE: {binary} rejects --surrogate ({'; '.join(unsupported_seen)}): the distill ripper/rules "
              f"rows are missing and their checks were skipped. Rebuild distill once --surrogate exists.\n")
    print(f"checks: {passed} passed, {failed} failed, {skipped} skipped")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())

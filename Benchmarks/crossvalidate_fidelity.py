"""5-fold cross-validation of distill's held-out fidelity over all of a sample's rows (train.csv and
test.csv together), so that every row is scored once: a steadier comparison of fitting choices than the
fixed test.csv, which on iris has 38 rows.

Usage: python3 Benchmarks/crossvalidate_fidelity.py SAMPLE [--binary .build/release/distill] -- FLAGS... [-- FLAGS...]
Each group of FLAGS is one configuration, e.g.
  python3 Benchmarks/crossvalidate_fidelity.py iris -- --max-leaves 16 --oracle-points 0 --validation-points 0 -- --max-leaves 16
prints the rows agreeing with the network (classification) or the mean R² (regression) per configuration.
The folds are a seeded permutation (numpy default_rng(0)); needs numpy and pandas.
"""
import json
import os
import subprocess
import sys
import tempfile

import numpy as np
import pandas as pd


def main():
    arguments = sys.argv[1:]
    binary = ".build/release/distill"
    if "--binary" in arguments[:arguments.index("--") if "--" in arguments else len(arguments)]:
        position = arguments.index("--binary")
        binary = arguments[position + 1]
        del arguments[position:position + 2]
    sample = arguments[0]
    # Groups of flags separated by a lone "--".
    configurations, current = [], None
    for argument in arguments[1:]:
        if argument == "--":
            if current:
                configurations.append(current)
            current = []
        else:
            current.append(argument)
    if current:
        configurations.append(current)
    full = pd.concat([pd.read_csv(f"samples/{sample}/train.csv"), pd.read_csv(f"samples/{sample}/test.csv")], ignore_index=True)
    folds = np.array_split(np.random.default_rng(0).permutation(len(full)), 5)
    with tempfile.TemporaryDirectory() as directory:
        for index, fold in enumerate(folds):
            held = np.zeros(len(full), bool)
            held[fold] = True
            full[~held].to_csv(f"{directory}/train{index}.csv", index=False)
            full[held].to_csv(f"{directory}/test{index}.csv", index=False)
        for flags in configurations:
            agreeing, rows, r2 = 0, 0, []
            for index in range(5):
                out = f"{directory}/result.json"
                subprocess.run([binary, f"samples/{sample}/model.json", "--data", f"{directory}/train{index}.csv",
                                "--test", f"{directory}/test{index}.csv", "--json", out, "-o", os.devnull,
                                "--domain-points", "0"] + flags, check=True)
                result = json.load(open(out))
                if "agreeing_rows" in result:
                    agreeing += result["agreeing_rows"]
                    rows += result["heldout_rows"]
                else:
                    r2.append(result["fidelity"])
            score = f"{agreeing} of {rows} rows agree ({100 * agreeing / rows:.2f}%)" if rows else f"mean R² {np.mean(r2):.4f}"
            print(f"{sample}  {' '.join(flags)}:  {score}", flush=True)


if __name__ == "__main__":
    main()

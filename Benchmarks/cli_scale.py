"""The whole main job on big data: `distill MODEL --data FILE.csv --max-depth 8 -o rules.txt` on a
30-256-256-2 ReLU/softmax network and CSVs of standard-normal rows (9 significant digits a cell), with the
command's wall time, peak RSS (its own high-water mark, mapped file pages included) and the held-out
fidelity it reports; each file is run with the rows held whole (`--stream never`) and streamed
(`--stream always`: fitting rows as bins, 1 byte per value). Part of docs/performance.md ("Scale");
the 10^7-row file is 4.8 GB and is written once under DIR.

Usage: .build/bench-venv/bin/python Benchmarks/cli_scale.py [--binary .build/release/distill] [--dir .build/bench/perf]
       [--rows 1000000 10000000] [--modes never always]
"""
import argparse
import json
import os
import resource
import subprocess
import sys
import time

import numpy as np

sys.path.insert(0, os.path.dirname(__file__))
from performance import write_model  # noqa: E402


def csv_file(directory, rows):
    path = f"{directory}/cli-rows-{rows}.csv"
    if not os.path.exists(path):
        rng = np.random.default_rng(5)
        with open(path + ".part", "w") as handle:
            handle.write(",".join(f"x{i}" for i in range(30)) + "\n")
            for start in range(0, rows, 500_000):
                np.savetxt(handle, rng.standard_normal((min(500_000, rows - start), 30)), delimiter=",", fmt="%.9g")
        os.rename(path + ".part", path)
    return path


def run(command):
    """Wall seconds and the child's peak RSS in bytes (the command runs alone, so RUSAGE_CHILDREN is its)."""
    start = time.perf_counter()
    child = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    _, status, usage = os.wait4(child.pid, 0)
    seconds = time.perf_counter() - start
    if os.waitstatus_to_exitcode(status) != 0:
        raise SystemExit(f"failed: {' '.join(command)}\n{child.stderr.read().decode()}")
    return seconds, usage.ru_maxrss * 1024


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--binary", default=".build/release/distill")
    parser.add_argument("--dir", default=".build/bench/perf")
    parser.add_argument("--rows", type=int, nargs="+", default=[1_000_000, 10_000_000])
    parser.add_argument("--modes", nargs="+", default=["never", "always"], choices=["never", "always", "auto"])
    args = parser.parse_args()
    os.makedirs(args.dir, exist_ok=True)
    model = f"{args.dir}/forward-30-256-256-2.json"
    write_model(model, [30, 256, 256, 2], "relu", seed=0)
    results = []
    print("| rows | CSV | --stream | wall time | peak RSS | held-out fidelity |\n|---|---|---|---|---|---|")
    for rows in args.rows:
        path = csv_file(args.dir, rows)
        for mode in args.modes:
            out = f"{args.dir}/cli-rules-{rows}-{mode}.txt"
            seconds, peak = run([args.binary, model, "--data", path, "--max-depth", "8", "--stream", mode, "-o", out])
            with open(out) as handle:
                fidelity = next(line for line in handle if line.startswith("# held-out fidelity")).split()[3]
            gigabytes = os.path.getsize(path) / 1e9
            results.append({"rows": rows, "csv_bytes": os.path.getsize(path), "stream": mode, "seconds": seconds,
                            "peak_rss": peak, "fidelity": fidelity})
            print(f"| {rows:,} | {gigabytes:.2f} GB | {mode} | {seconds:.1f} s | {peak / 1e9:.2f} GB | {fidelity} |", flush=True)
    with open(f"{args.dir}/cli_scale.json", "w") as handle:
        json.dump(results, handle, indent=1)


if __name__ == "__main__":
    main()

"""How time and memory grow with rows and network width: the forward pass (NetworkEvaluator.evaluate,
30-W-W-2 ReLU/softmax networks) and tree fitting (TreeBuilder.fit, depth 8 on make_classification with
30 features), with numpy and LightGBM on the same work in the same run. Writes a Markdown table to stdout,
DIR/scaling.json and DIR/scaling.svg (log-log plot). Part of docs/performance.md; takes several minutes.

Usage: .build/bench-venv/bin/python Benchmarks/scaling.py [--bench .build/release/DistillBench] [--dir .build/bench/perf]
       [--max-rows 10000000]
"""
import argparse
import json
import math
import os
import sys

import numpy as np

sys.path.insert(0, os.path.dirname(__file__))
from performance import run_distill, run_peer, write_model  # noqa: E402


def rows_file(directory, rows):
    path = f"{directory}/scale-rows-{rows}.f64"
    if not os.path.exists(path):
        rng = np.random.default_rng(1)
        with open(path, "wb") as out:
            for start in range(0, rows, 1_000_000):
                rng.standard_normal((min(1_000_000, rows - start), 30)).astype("<f8").tofile(out)
    return path


def tree_files(directory, rows):
    from sklearn.datasets import make_classification
    x_path, y_path = f"{directory}/scale-tree-x-{rows}.f64", f"{directory}/scale-tree-y-{rows}.i32"
    if not os.path.exists(y_path):
        x, y = make_classification(n_samples=rows, n_features=30, n_informative=10, n_redundant=5, random_state=0)
        x.astype("<f8").tofile(x_path)
        y.astype("<i4").tofile(y_path)
        del x, y
    return x_path, y_path


def svg(series, path):
    """Log-log lines: series = [(title, [(x, y)], colour)], x rows or width, y seconds."""
    width, height, left, bottom = 720, 420, 70, 50
    xs = [x for _, points, _ in series for x, _ in points]
    ys = [y for _, points, _ in series for _, y in points]
    x0, x1 = math.floor(math.log10(min(xs))), math.ceil(math.log10(max(xs)))
    y0, y1 = math.floor(math.log10(min(ys))), math.ceil(math.log10(max(ys)))

    def px(x):
        return left + (math.log10(x) - x0) / (x1 - x0) * (width - left - 20)

    def py(y):
        return height - bottom - (math.log10(y) - y0) / (y1 - y0) * (height - bottom - 20)

    out = [f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" font-family="sans-serif" font-size="12">',
           f'<rect width="{width}" height="{height}" fill="white"/>']
    for e in range(x0, x1 + 1):
        out.append(f'<line x1="{px(10 ** e):.1f}" y1="20" x2="{px(10 ** e):.1f}" y2="{height - bottom}" stroke="#ddd"/>')
        out.append(f'<text x="{px(10 ** e):.1f}" y="{height - bottom + 18}" text-anchor="middle">1e{e}</text>')
    for e in range(y0, y1 + 1):
        out.append(f'<line x1="{left}" y1="{py(10 ** e):.1f}" x2="{width - 20}" y2="{py(10 ** e):.1f}" stroke="#ddd"/>')
        out.append(f'<text x="{left - 8}" y="{py(10 ** e) + 4:.1f}" text-anchor="end">1e{e} s</text>')
    out.append(f'<text x="{(width + left) / 2}" y="{height - 12}" text-anchor="middle">rows</text>')
    for index, (title, points, colour) in enumerate(series):
        line = " ".join(f"{px(x):.1f},{py(y):.1f}" for x, y in points)
        dash = ' stroke-dasharray="6,4"' if "numpy" in title or "LightGBM" in title else ""
        out.append(f'<polyline points="{line}" fill="none" stroke="{colour}" stroke-width="2"{dash}/>')
        for x, y in points:
            out.append(f'<circle cx="{px(x):.1f}" cy="{py(y):.1f}" r="3" fill="{colour}"/>')
        out.append(f'<text x="{left + 10}" y="{34 + 16 * index}" fill="{colour}">{title}</text>')
    out.append("</svg>")
    with open(path, "w") as handle:
        handle.write("\n".join(out) + "\n")


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--bench", default=".build/release/DistillBench")
    parser.add_argument("--dir", default=".build/bench/perf")
    parser.add_argument("--max-rows", type=int, default=10_000_000)
    args = parser.parse_args()
    os.makedirs(args.dir, exist_ok=True)
    results = {"forward_rows": [], "forward_width": [], "tree_rows": []}
    row_counts = [r for r in (10_000, 100_000, 1_000_000, 10_000_000) if r <= args.max_rows]

    print("| forward, 30-256-256-2 | distill | numpy | ratio | distill peak RSS |")
    print("|---|---|---|---|---|")
    model = f"{args.dir}/scale-30-256-256-2.json"
    write_model(model, [30, 256, 256, 2], "relu", seed=0)
    for rows in row_counts:
        data = rows_file(args.dir, rows)
        distill = run_distill([args.bench, "forward", model, data, "--repeats", 3 if rows < 10_000_000 else 1])
        numpy = run_peer("forward", model, data, f"{args.dir}/scale-numpy.f64")
        results["forward_rows"].append({"rows": rows, "distill": distill, "numpy": numpy})
        print(f"| {rows:,} rows | {distill['seconds']:.3f} s | {numpy['seconds']:.3f} s | {distill['seconds'] / numpy['seconds']:.2f}x "
              f"| {distill['peak_rss'] / 1e6:.0f} MB |")

    print("\n| forward, 100,000 rows | distill | numpy | ratio | distill peak RSS |")
    print("|---|---|---|---|---|")
    data = rows_file(args.dir, 100_000)
    for width in (32, 128, 512, 2048):
        model = f"{args.dir}/scale-30-{width}-{width}-2.json"
        write_model(model, [30, width, width, 2], "relu", seed=0)
        distill = run_distill([args.bench, "forward", model, data])
        numpy = run_peer("forward", model, data, f"{args.dir}/scale-numpy.f64")
        results["forward_width"].append({"width": width, "distill": distill, "numpy": numpy})
        print(f"| 30-{width}-{width}-2 | {distill['seconds']:.3f} s | {numpy['seconds']:.3f} s | "
              f"{distill['seconds'] / numpy['seconds']:.2f}x | {distill['peak_rss'] / 1e6:.0f} MB |")

    print("\n| tree, depth 8, 30 features | distill | LightGBM | ratio | distill accuracy | LightGBM accuracy | distill peak RSS |")
    print("|---|---|---|---|---|---|---|")
    for rows in row_counts:
        x_path, y_path = tree_files(args.dir, rows)
        distill = run_distill([args.bench, "tree", x_path, y_path, "--features", 30, "--depth", 8,
                               "--repeats", 3 if rows < 10_000_000 else 1])
        lightgbm = run_peer("lightgbm", x_path, y_path, 30, 8)
        results["tree_rows"].append({"rows": rows, "distill": distill, "lightgbm": lightgbm})
        print(f"| {rows:,} rows | {distill['seconds']:.3f} s | {lightgbm['seconds']:.3f} s | "
              f"{distill['seconds'] / lightgbm['seconds']:.2f}x | {distill['accuracy']:.4f} | {lightgbm['accuracy']:.4f} "
              f"| {distill['peak_rss'] / 1e6:.0f} MB |")

    with open(f"{args.dir}/scaling.json", "w") as handle:
        json.dump(results, handle, indent=1)
    svg([("distill forward, 30-256-256-2", [(r["rows"], r["distill"]["seconds"]) for r in results["forward_rows"]], "#1f77b4"),
         ("numpy forward, same network", [(r["rows"], r["numpy"]["seconds"]) for r in results["forward_rows"]], "#1f77b4"),
         ("distill tree, depth 8", [(r["rows"], r["distill"]["seconds"]) for r in results["tree_rows"]], "#d62728"),
         ("LightGBM one tree, depth 8", [(r["rows"], r["lightgbm"]["seconds"]) for r in results["tree_rows"]], "#d62728")],
        f"{args.dir}/scaling.svg")
    return 0


if __name__ == "__main__":
    sys.exit(main())

"""Where the histogram split search overtakes the exact one: `TreeBuilder.fit` (depth 8) with
`--search exact` and `--search histogram` on make_classification rows (30 features, 10 informative, 5
redundant) from 2,000 to 200,000 rows: fit time (median of 5) and training accuracy of each. The crossover
`TreeSettings.histogramCrossoverRows` is set from this table (docs/performance.md).

Usage: .build/bench-venv/bin/python Benchmarks/crossover.py [--bench .build/release/DistillBench] [--dir .build/bench/perf]
"""
import argparse
import os
import sys

sys.path.insert(0, os.path.dirname(__file__))
from performance import run_distill  # noqa: E402
from scaling import tree_files  # noqa: E402


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--bench", default=".build/release/DistillBench")
    parser.add_argument("--dir", default=".build/bench/perf")
    args = parser.parse_args()
    os.makedirs(args.dir, exist_ok=True)
    print("| fitting rows | exact | histogram | histogram / exact | exact accuracy | histogram accuracy |")
    print("|---|---|---|---|---|---|")
    for rows in (2_000, 5_000, 10_000, 20_000, 50_000, 100_000, 200_000):
        x_path, y_path = tree_files(args.dir, rows)
        exact, histogram = (run_distill([args.bench, "tree", x_path, y_path, "--features", 30, "--depth", 8,
                                         "--repeats", 5, "--search", search]) for search in ("exact", "histogram"))
        print(f"| {rows:,} | {exact['seconds'] * 1000:.1f} ms | {histogram['seconds'] * 1000:.1f} ms | "
              f"{histogram['seconds'] / exact['seconds']:.2f} | {exact['accuracy']:.4f} | {histogram['accuracy']:.4f} |")
    return 0


if __name__ == "__main__":
    sys.exit(main())

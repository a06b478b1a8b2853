"""How steady the kernel scale's choice is from seed to seed, on every sample.

distill draws fitting points as a data row plus Gaussian noise of Scott's width times a scale, the scale
chosen by `InputDistribution.choosingKernelScale` (docs/architecture.md). The choice is seeded (the halvings of
the rows, the draws, the points judged), and a choice that moves with the seed moves every figure measured on
the draws with it: domain fidelity, certified mass, the surrogates themselves. For each sample this runs
`DistillBench kernel-scales MODEL TRAIN.csv --seeds N`, which prints per seed each scale's mean error, its
excess over the lowest scale's and that excess's standard error, the scale kept, and the seconds one choice
took; it then prints the scales kept and the share of seeds that kept the most common one.

Bar (exit 1 when missed): over all samples, at least 90% of the choices are their sample's most common one.

Usage: python3 Benchmarks/kernel_scale_stability.py [--bench .build/release/DistillBench] [--seeds 10]
                                                    [--samples iris penguins ...]
"""
import argparse
import collections
import os
import subprocess
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
SAMPLES = ["iris", "breast_cancer", "penguins", "checkerboard", "digits", "wage", "diabetes", "friedman"]


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--bench", default=os.path.join(ROOT, ".build/release/DistillBench"))
    parser.add_argument("--seeds", type=int, default=10)
    parser.add_argument("--samples", nargs="+", default=SAMPLES)
    arguments = parser.parse_args()
    kept_modal = total = 0
    print(f"| sample | scales kept, seeds 1-{arguments.seeds} | most common | share | seconds per choice (median) |")
    print("|---|---|---|---|---|")
    for sample in arguments.samples:
        folder = os.path.join(ROOT, "samples", sample)
        output = subprocess.run([arguments.bench, "kernel-scales", os.path.join(folder, "model.json"),
                                 os.path.join(folder, "train.csv"), "--seeds", str(arguments.seeds)],
                                check=True, capture_output=True, text=True).stdout
        lines = [line.split() for line in output.splitlines() if line.startswith("seed ") and " chosen " in line]
        for line in lines:
            print("  " + " ".join(line), file=sys.stderr)
        scales = [float(line[3]) for line in lines]
        seconds = sorted(float(line[-1].rstrip("s")) for line in lines)
        modal, count = collections.Counter(scales).most_common(1)[0]
        kept_modal += count
        total += len(scales)
        listed = " ".join(f"{scale:g}" for scale in scales)
        print(f"| {sample} | {listed} | {modal:g} | {count}/{len(scales)} | {seconds[len(seconds) // 2]:.2f} |")
    share = kept_modal / max(total, 1)
    print(f"\nchoices that are their sample's most common: {kept_modal}/{total} ({100 * share:.0f}%)")
    if share < 0.9:
        print("FAIL fewer than 90% of the choices are their sample's most common")
        sys.exit(1)


if __name__ == "__main__":
    main()

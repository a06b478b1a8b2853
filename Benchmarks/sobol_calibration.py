"""Calibration of distill's Sobol' intervals: coverage and width over 50 seeds, per integrand.

Mirrors SobolIndices.swift: Saltelli design on an Owen-scrambled Sobol' sequence (nested uniform scramble
of SciPy's unscrambled points), first order = mean of Saltelli's (2010) and Jansen's estimators, total order
= Jansen's; intervals from 32 consecutive blocks whose linearised (delta-method) values spread by s, with
half-width t(0.975, 31) s / 32^r. For each integrand it prints the empirical block-to-whole rate of each
index (log(mean s / RMSE over seeds) / log 32) and the pooled coverage and mean half-width / mean absolute
error at distill's two rate presets: few smooth inputs (0.9 for first order; for total order 0.9 at the
run's largest index down to 0.55 near zero) and networks (0.55).
Reference values: closed forms (Ishigami, G) or the mean of four runs at N = 2^15 (networks).

Usage: python3 Benchmarks/sobol_calibration.py [--samples 1024] [--seeds 50]   (numpy, scipy, pandas)
"""
import argparse
import json

import numpy as np
import pandas as pd
from scipy import stats
from scipy.stats import qmc

BLOCKS = 32
# (first order, largest total order, total order near zero); the total-order rate rises with the square
# root of the index's share of the run's largest total-order index, as in SobolIndices.BlockRates.
PRESETS = {"few smooth inputs": (0.9, 0.9, 0.55), "network": (0.55, 0.55, 0.55)}


def owen_scrambled(d, n, rng):
    """Nested uniform scramble of the first n Sobol' points: bit k flips by a hash of the seed and bits < k."""
    x = (qmc.Sobol(d, scramble=False, bits=31).random(n) * 2**31).astype(np.uint64)
    seeds = rng.integers(0, 2**63, size=d, dtype=np.uint64)
    out = np.zeros_like(x)
    with np.errstate(over="ignore"):
        for k in range(31):
            pos = np.uint64(30 - k)
            h = seeds[None, :] ^ (np.uint64(k) * np.uint64(0x9E3779B97F4A7C15)) ^ ((x >> (pos + np.uint64(1))) * np.uint64(0xD1B54A32D192ED03))
            h = h ^ (h >> np.uint64(31)); h = h * np.uint64(0xBF58476D1CE4E5B9)
            h = h ^ (h >> np.uint64(27)); h = h * np.uint64(0x94D049BB133111EB)
            h = h ^ (h >> np.uint64(31))
            out |= (((x >> pos) & np.uint64(1)) ^ (h & np.uint64(1))) << pos
    return (out.astype(np.float64) + 0.5) / 2**31


def indices(f, d, n, seed):
    """Estimates (first then total order) and the spread of their linearised block values."""
    p = owen_scrambled(2 * d, n, np.random.default_rng(seed))
    a, b = p[:, :d], p[:, d:]
    fa, fb = f(a), f(b)
    fab = np.empty((d, n))
    for i in range(d):
        ab = a.copy(); ab[:, i] = b[:, i]; fab[i] = f(ab)
    mu = np.mean(np.concatenate([fa, fb]))
    vrow = ((fa - mu) ** 2 + (fb - mu) ** 2) / 2
    saltelli_row, jansen_row, total_row = fb * (fab - fa), (fb - fab) ** 2, (fa - fab) ** 2
    v, s_n, j_n, t_n = vrow.mean(), saltelli_row.mean(1), jansen_row.mean(1), total_row.mean(1)
    sal, jan, tot = s_n / v, 1 - j_n / (2 * v), t_n / (2 * v)
    blocks = lambda x: x.reshape(x.shape[:-1] + (BLOCKS, n // BLOCKS)).mean(-1)
    dv = blocks(vrow) - v
    sal_k = sal[:, None] + ((blocks(saltelli_row) - s_n[:, None]) - sal[:, None] * dv) / v
    jan_k = jan[:, None] + (-(blocks(jansen_row) - j_n[:, None]) / 2 + (1 - jan[:, None]) * dv) / v
    tot_k = tot[:, None] + ((blocks(total_row) - t_n[:, None]) / 2 - tot[:, None] * dv) / v
    first_k = (sal_k + jan_k) / 2
    return np.concatenate([(sal + jan) / 2, tot]), np.concatenate([first_k.std(1, ddof=1), tot_k.std(1, ddof=1)])


def ishigami(x):
    x = x * 2 * np.pi - np.pi
    return np.sin(x[:, 0]) + 7 * np.sin(x[:, 1]) ** 2 + 0.1 * x[:, 2] ** 4 * np.sin(x[:, 0])


def ishigami_exact():
    a, b = 7, 0.1
    v = a**2 / 8 + b * np.pi**4 / 5 + b**2 * np.pi**8 / 18 + 0.5
    v1, v2, v13 = 0.5 * (1 + b * np.pi**4 / 5) ** 2, a**2 / 8, b**2 * np.pi**8 * (1 / 18 - 1 / 50)
    return np.array([v1 / v, v2 / v, 0, (v1 + v13) / v, v2 / v, v13 / v])


G = np.array([0, 1, 4.5, 9, 99, 99, 99, 99.0])


def g_function(x):
    return np.prod((np.abs(4 * x - 2) + G) / (1 + G), axis=1)


def g_exact():
    p = 1 / (3 * (1 + G) ** 2); v = np.prod(1 + p) - 1
    return np.concatenate([p / v, [p[i] * np.prod(np.delete(1 + p, i)) / v for i in range(len(G))]])


def random_network(d, hidden, seed, activation):
    r = np.random.default_rng(seed)
    w1, b1, w2 = r.uniform(-1, 1, (d, hidden)), r.uniform(-0.5, 0.5, hidden), r.uniform(-1, 1, hidden)
    return lambda x: 1 / (1 + np.exp(-2 * (activation((2 * x - 1) @ w1 + b1) @ w2)))


def sample_network(name, quantiles, output):
    """A shipped sample's network on the data's empirical marginals (as `--data`) or the data's range."""
    model = json.load(open(f"samples/{name}/model.json"))
    names = [feature["name"] for feature in model["inputs"]]
    data = pd.read_csv(f"samples/{name}/train.csv")[names].to_numpy(float)
    ordered, low, high = np.sort(data, axis=0), data.min(0), data.max(0)
    acts = {"tanh": np.tanh, "relu": lambda z: np.maximum(z, 0), "identity": lambda z: z,
            "sigmoid": lambda z: 1 / (1 + np.exp(-z)),
            "softmax": lambda z: np.exp(z - z.max(1, keepdims=True)) / np.exp(z - z.max(1, keepdims=True)).sum(1, keepdims=True)}
    scale = model["preprocessing"][0]
    layers = [(np.array(l["weights"]), np.array(l["bias"]), acts[l["activation"]]) for l in model["layers"]]

    def f(u):
        if quantiles:
            x = np.take_along_axis(ordered, np.minimum((u * len(data)).astype(int), len(data) - 1), axis=0)
        else:
            x = low + u * (high - low)
        x = (x - np.array(scale["mean"])) / np.array(scale["std"])
        for w, b, act in layers:
            x = act(x @ w.T + b)
        return x[:, output]
    return f, len(names)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--samples", type=int, default=1024)
    parser.add_argument("--seeds", type=int, default=50)
    args = parser.parse_args()
    integrands = [("Ishigami", ishigami, 3, ishigami_exact()), ("Sobol' G", g_function, 8, g_exact()),
                  ("ReLU network 6-16", random_network(6, 16, 5, lambda z: np.maximum(z, 0)), 6, None),
                  ("ReLU network 10-32", random_network(10, 32, 7, lambda z: np.maximum(z, 0)), 10, None),
                  ("tanh network 12-24", random_network(12, 24, 11, np.tanh), 12, None)]
    for name, quantiles, output in [("breast_cancer", True, 0), ("breast_cancer", False, 0), ("diabetes", True, 0), ("iris", True, 1)]:
        f, d = sample_network(name, quantiles, output)
        integrands.append((f"{name} ({'data quantiles' if quantiles else 'data range'})", f, d, None))
    t = stats.t.ppf(0.975, BLOCKS - 1)
    print(f"N = {args.samples}, {args.seeds} seeds, {BLOCKS} blocks")
    for name, f, d, exact in integrands:
        if exact is None:
            exact = np.mean([indices(f, d, 1 << 15, 1000 + s)[0] for s in range(4)], axis=0)
        runs = [indices(f, d, args.samples, seed) for seed in range(1, args.seeds + 1)]
        errors = np.abs(np.array([r[0] for r in runs]) - exact)
        spreads = np.array([r[1] for r in runs])
        rates = np.log(spreads.mean(0) / np.sqrt((errors**2).mean(0))) / np.log(BLOCKS)
        line = f"{name:34s} rates {rates.min():.2f}-{rates.max():.2f}"
        estimates = np.array([r[0] for r in runs])
        totals = np.clip(estimates[:, d:], 0, None)
        share = np.sqrt(totals / np.maximum(totals.max(1, keepdims=True), 1e-300))
        for preset, (first, total, small_total) in PRESETS.items():
            rate = np.concatenate([np.full((len(runs), d), first), small_total + (total - small_total) * share], axis=1)
            half = t * spreads / BLOCKS**rate
            line += f" | {preset}: coverage {np.mean(errors <= half):.1%}, half-width {half.mean() / errors.mean():.2f}x error"
        print(line, flush=True)


if __name__ == "__main__":
    main()

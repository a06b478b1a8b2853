"""Why distill certifies the breast-cancer sample's mass with uniform boxes around the training rows, and
not with tighter relaxations (issue 18's "alpha-CROWN" leftover). An estimate in numpy, not a certifier:
the relaxations' offsets are found on a grid of 2,001 points per unit, not in closed form.

The network is 30 -> 32 tanh -> 16 tanh -> 1 (pre-sigmoid logit). The mass is distill's input distribution
at the kernel scale its selection picked here when this was written (1/4 of Scott's width; the full width
since the twenty-second session's steadier choice, `--kernel-scale 0.25` for this one): a Gaussian cloud of covariance
(h * scale)^2 * cov(X) around every training row; s is the clouds' standard deviation per feature. For every
16th training row whose class a tiny box around it already certifies:

1. Box shapes. The largest box around the row that back-substitution with distill's relaxations (chord
   slope, exact parallel offsets, as `ActivationRelaxation`) certifies, by bisection, in four shapes: the
   same number t of deviations on every feature (`uniform`); t * (mean cost / cost_i)^p with the cost of a
   feature the logit's gradient at the row times s_i (p = 0.25, 0.5); and the half-widths that maximise
   prod erf(u_i / sqrt 2) for a linear cost (`lagrange`, features taken as independent). Each box's share
   of the row's own cloud (3,000 draws) is printed; the script prints the mean over rows.
2. Optimised slopes (alpha-CROWN). On the first row, for uniform boxes of t = 0.9, 1.0, 1.2, 1.5: the
   lower bound of the logit margin with distill's slopes, and with every tanh unit's lower and upper slopes
   optimised (Adam, 60 steps, gradient of the bound by the envelope theorem) both for the second layer's
   pre-activation bounds and for the margin; and the margin's minimum over 200,000 uniform points of the
   box (an upper bound on what any certifier can prove); and the mean width of the two hidden layers'
   pre-activation bounds.

Run: .build/bench-venv/bin/python Benchmarks/breast_cancer_relaxations.py   (numpy, pandas, scipy; about 5 min)
"""
import json
import os

import numpy as np
import pandas as pd
from scipy.special import erf

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
SAMPLE = os.path.join(ROOT, "samples", "breast_cancer")
model = json.load(open(os.path.join(SAMPLE, "model.json")))
names = [item["name"] for item in model["inputs"]]
X = pd.read_csv(os.path.join(SAMPLE, "train.csv"))[names].values.astype(float)
n, d = X.shape
mean_in, std_in = np.array(model["preprocessing"][0]["mean"]), np.array(model["preprocessing"][0]["std"])
Ws = [np.array(layer["weights"]) for layer in model["layers"]]
bs = [np.array(layer["bias"]) for layer in model["layers"]]
h = 0.25 * n ** (-1 / (d + 4))
K = np.cov(X.T) * h * h
s = np.sqrt(np.diag(K))
factor = np.linalg.cholesky(K)
GRID = np.linspace(0, 1, 2001)


def logit(x):
    z = (x - mean_in) / std_in
    for k in range(3):
        z = z @ Ws[k].T + bs[k]
        if k < 2:
            z = np.tanh(z)
    return z[..., 0]


def gradient(x):
    z, cache = (x - mean_in) / std_in, []
    for k in range(3):
        pre = z @ Ws[k].T + bs[k]
        cache.append(pre)
        z = np.tanh(pre) if k < 2 else pre
    g = np.ones(1)
    for k in (2, 1, 0):
        g = g @ Ws[k]
        if k > 0:
            g = g * (1 - np.tanh(cache[k - 1]) ** 2)
    return g / std_in


def offsets(l, u, slope):
    """min and max of tanh(x) - slope x on [l, u] per unit (on a grid), and where they are."""
    x = l[:, None] + (u - l)[:, None] * GRID[None, :]
    g = np.tanh(x) - slope[:, None] * x
    rows = np.arange(len(l))
    return g.min(1), g.max(1), x[rows, g.argmin(1)], x[rows, g.argmax(1)]


def chord(l, u):
    w = u - l
    return np.where(w > 1e-12, (np.tanh(u) - np.tanh(l)) / np.maximum(w, 1e-300), 1 - np.tanh(l) ** 2)


def back(c, layer, xl, xh, relaxations):
    """Lower bound of c . z_layer over the encoded box [xl, xh], and its gradient in every unit's lower and
    upper slope (envelope theorem: lambda_j times the pre-activation at the minimiser less the offset's argmin)."""
    lam, const, info = c.copy(), 0.0, {}
    for k in range(layer, -1, -1):
        const += lam @ bs[k]
        lam = lam @ Ws[k]
        if k == 0:
            break
        l, u, lower_slope, upper_slope = relaxations[k - 1]
        low, _, at_low, _ = offsets(l, u, lower_slope)
        _, high, _, at_high = offsets(l, u, upper_slope)
        positive = lam >= 0
        info[k - 1] = (lam.copy(), positive, at_low, at_high, low, high)
        const += np.sum(np.where(positive, lam * low, lam * high))
        lam = np.where(positive, lam * lower_slope, lam * upper_slope)
    x = np.where(lam >= 0, xl, xh)
    bound, a, grads = const + lam @ x, x, {}
    for k in range(layer):
        z = Ws[k] @ a + bs[k]
        l, u, lower_slope, upper_slope = relaxations[k]
        lam_k, positive, at_low, at_high, low, high = info[k]
        grads[k] = (np.where(positive, lam_k * (z - at_low), 0), np.where(~positive, lam_k * (z - at_high), 0))
        a = np.where(positive, lower_slope * z + low, upper_slope * z + high)
    return bound, grads


def first_layers(xl, xh):
    """The relaxations distill uses: exact first-layer intervals, second layer by back-substitution."""
    centre, radius = (xl + xh) / 2, (xh - xl) / 2
    z, r = Ws[0] @ centre + bs[0], np.abs(Ws[0]) @ radius
    l1, u1 = z - r, z + r
    relaxations = [(l1, u1, chord(l1, u1), chord(l1, u1))]
    units = len(bs[1])
    l2 = np.array([back(np.eye(units)[j], 1, xl, xh, relaxations)[0] for j in range(units)])
    u2 = -np.array([back(-np.eye(units)[j], 1, xl, xh, relaxations)[0] for j in range(units)])
    relaxations.append((l2, u2, chord(l2, u2), chord(l2, u2)))
    return relaxations


def margin_bound(low, high, sign):
    xl, xh = (low - mean_in) / std_in, (high - mean_in) / std_in
    return back(np.array([sign]), 2, xl, xh, first_layers(xl, xh))[0]


def slope_range(l, u):
    x = l[:, None] + (u - l)[:, None] * np.linspace(0, 1, 201)
    derivative = 1 - np.tanh(x) ** 2
    return derivative.min(1), derivative.max(1)


def optimised(c, layer, xl, xh, relaxations, steps=60, rate=0.01):
    ranges = [slope_range(r[0], r[1]) for r in relaxations[:layer]]
    relaxations, moments, best = [list(r) for r in relaxations], {}, -np.inf
    for step in range(1, steps + 1):
        bound, grads = back(c, layer, xl, xh, [tuple(r) for r in relaxations])
        best = max(best, bound)
        for k in range(layer):
            low, high = ranges[k]
            for j, g in ((2, grads[k][0]), (3, grads[k][1])):
                m, v = moments.get((k, j), (0, 0))
                m, v = 0.9 * m + 0.1 * g, 0.999 * v + 0.001 * g * g
                moments[(k, j)] = (m, v)
                move = rate * (high - low) * (m / (1 - 0.9 ** step)) / (np.sqrt(v / (1 - 0.999 ** step)) + 1e-12)
                relaxations[k][j] = np.clip(relaxations[k][j] + move, low, high)
    return best


def alpha_bound(low, high, sign):
    xl, xh = (low - mean_in) / std_in, (high - mean_in) / std_in
    relaxations = first_layers(xl, xh)
    units = len(bs[1])
    l2 = np.maximum(relaxations[1][0], [optimised(np.eye(units)[j], 1, xl, xh, relaxations) for j in range(units)])
    u2 = np.minimum(relaxations[1][1], [-optimised(-np.eye(units)[j], 1, xl, xh, relaxations) for j in range(units)])
    return optimised(np.array([sign]), 2, xl, xh, [relaxations[0], (l2, u2, chord(l2, u2), chord(l2, u2))])


# 1. Box shapes.
table = np.linspace(1e-3, 4, 4000)
table_slope = np.sqrt(2 / np.pi) * np.exp(-table ** 2 / 2) / erf(table / np.sqrt(2))
rng = np.random.default_rng(1)
shares = {}
for row in range(0, n, 16):
    sign = 1.0 if logit(X[row]) > 0 else -1.0
    if margin_bound(X[row] - 1e-3 * s, X[row] + 1e-3 * s, sign) <= 0:
        continue
    cost = np.abs(gradient(X[row])) * s
    cloud = X[row] + rng.standard_normal((3000, d)) @ factor.T
    shapes = {
        "uniform": lambda t: np.full(d, t),
        "p = 0.25": lambda t: np.minimum(4, t * (cost.mean() / cost) ** 0.25),
        "p = 0.5": lambda t: np.minimum(4, t * (cost.mean() / cost) ** 0.5),
        # t is the logarithm of 1 / multiplier, scaled: larger t, larger box.
        "lagrange": lambda t: np.interp(-np.exp(-3 * t) * cost, -table_slope, table),
    }
    for name, shape in shapes.items():
        low, high = (-8.0, 8.0) if name == "lagrange" else (0.0, 4.0)
        proved = None
        for _ in range(9):
            t = 0.5 * (low + high)
            if margin_bound(X[row] - shape(t) * s, X[row] + shape(t) * s, sign) > 0:
                low, proved = t, shape(t)
            else:
                high = t
        share = 0.0 if proved is None else np.mean(np.all(np.abs(cloud - X[row]) <= proved * s, axis=1))
        shares.setdefault(name, []).append(share)
print(f"1. Share of a row's cloud in the largest box certified around it, mean over {len(shares['uniform'])} rows:")
for name, values in shares.items():
    print(f"   {name}: {np.mean(values):.1%}")

# 2. Optimised slopes.
print("2. Row 0, uniform boxes: lower bound of the margin with distill's slopes / with optimised slopes / sampled minimum;"
      " mean width of the first and second layers' pre-activation bounds")
sign = 1.0 if logit(X[0]) > 0 else -1.0
for t in (0.9, 1.0, 1.2, 1.5):
    low, high = X[0] - t * s, X[0] + t * s
    sampled = (sign * logit(low + (high - low) * rng.random((200_000, d)))).min()
    encoded = first_layers((low - mean_in) / std_in, (high - mean_in) / std_in)
    widths = " / ".join(f"{np.mean(u - l):.2f}" for l, u, _, _ in encoded)
    print(f"   t = {t}: {margin_bound(low, high, sign):.2f} / {alpha_bound(low, high, sign):.2f} / {sampled:.2f}; {widths}", flush=True)

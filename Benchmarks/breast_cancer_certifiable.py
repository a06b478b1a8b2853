"""How much of the breast-cancer sample's mass could any sound certifier prove with boxes? (issue 18's
"at least half of the data mass certified" target.)

The mass is measured under distill's input distribution: a Gaussian kernel density around the training
rows with the data's covariance times (h * scale)^2, h Scott's factor n^(-1/(d+4)) (JointKernel).
For each scale distill's kernel-scale selection can choose, and for every 4th training row:
  - the largest box  row +- t * s  (s: the kernel noise's standard deviation per feature) inside which a
    projected sign-gradient search finds no point where the network's class differs from the row's
    (bisection on t).  That search finds points, so t is an UPPER bound on what any sound certifier can
    prove for a box of this shape around the row;
  - the share of the row's own kernel cloud inside that box (4,000 draws): an upper bound on the mass a
    box of this shape around the row can certify.
It also prints the held-out log-likelihood of the kernel density at each scale (two halves of the rows,
each scoring the other): the density that best describes the data.
Run: .build/bench-venv/bin/python Benchmarks/breast_cancer_certifiable.py   (numpy, scipy, pandas)
"""
import json
import os

import numpy as np
import pandas as pd
from scipy.special import logsumexp

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
SAMPLE = os.path.join(ROOT, "samples", "breast_cancer")
model = json.load(open(os.path.join(SAMPLE, "model.json")))
names = [item["name"] for item in model["inputs"]]
X = pd.read_csv(os.path.join(SAMPLE, "train.csv"))[names].values.astype(float)
n, d = X.shape
steps = model.get("preprocessing", [])
scale_in = np.ones(d)
for step in steps:
    scale_in = scale_in / np.array(step["std"])


def logit(x):
    """The pre-sigmoid output (positive: benign) by a numpy forward pass over model.json."""
    h = x
    for step in steps:
        h = (h - np.array(step["mean"])) / np.array(step["std"])
    for layer in model["layers"]:
        h = h @ np.array(layer["weights"]).T + np.array(layer["bias"])
        if layer.get("activation") == "tanh":
            h = np.tanh(h)
    return h[..., 0]


def gradient(x):
    """d logit / d x by backpropagation through the tanh layers."""
    h = x
    for step in steps:
        h = (h - np.array(step["mean"])) / np.array(step["std"])
    cache = []
    for layer in model["layers"]:
        W = np.array(layer["weights"])
        z = h @ W.T + np.array(layer["bias"])
        cache.append((W, layer.get("activation"), z))
        h = np.tanh(z) if layer.get("activation") == "tanh" else z
    g = np.ones((x.shape[0], 1))
    for W, activation, z in reversed(cache):
        if activation == "tanh":
            g = g * (1 - np.tanh(z) ** 2)
        g = g @ W
    return g * scale_in


def flips_within(x0, half, sign, rng):
    """Whether a projected sign-gradient search from 4 starts finds a point of the box where the class flips."""
    starts = np.vstack([x0, x0 + half * rng.uniform(-1, 1, size=(3, d))])
    x = starts.copy()
    for _ in range(30):
        x = np.clip(x - 0.25 * half * np.sign(sign * gradient(x)), x0 - half, x0 + half)
        if np.any(sign * logit(x) <= 0):
            return True
    return False


rng = np.random.default_rng(1)
covariance = np.cov(X.T)
halves = np.array_split(rng.permutation(n), 2)
print(f"{n} rows, {d} inputs")
print("| kernel scale | held-out log-likelihood | median t | cloud mass certifiable by one box per row (upper bound) |")
print("|---|---|---|---|")
for kernel_scale in [1.0, 0.5, 0.25, 0.125]:
    h = kernel_scale * n ** (-1 / (d + 4))
    K = h * h * covariance
    inverse, logdet = np.linalg.inv(K), np.linalg.slogdet(K)[1]
    likelihood = 0.0
    for fit, judge in [(0, 1), (1, 0)]:
        D = X[halves[judge]][:, None, :] - X[halves[fit]][None, :, :]
        q = np.einsum("ijk,kl,ijl->ij", D, inverse, D)
        likelihood += np.mean(logsumexp(-0.5 * q, axis=1) - np.log(len(halves[fit])) - 0.5 * logdet
                              - 0.5 * d * np.log(2 * np.pi)) / 2
    s = np.sqrt(np.diag(K))
    cloud = rng.standard_normal((4000, d)) @ np.linalg.cholesky(K).T
    radii, masses = [], []
    for row in range(0, n, 4):
        sign = np.sign(logit(X[row:row + 1])[0])
        low, high = 0.0, 8.0
        for _ in range(8):
            t = 0.5 * (low + high)
            if flips_within(X[row], t * s, sign, rng):
                high = t
            else:
                low = t
        radii.append(low)
        masses.append(np.mean(np.all(np.abs(cloud) <= low * s, axis=1)))
    print(f"| {kernel_scale} | {likelihood:.1f} | {np.median(radii):.2f} | {np.mean(masses):.1%} |", flush=True)

"""Reference for InputDistribution.newRowSpread on the shipped samples (numpy + scikit-learn).

spread = median leave-one-out nearest-neighbour distance among the training rows (continuous features
standardised by their sample standard deviation) / norm of the standardised Silverman bandwidths
(0.9 min(sd, IQR / 1.34) n^-0.2, the quartiles read as sorted[int(q (n - 1))] as distill does), clamped to
[1, 4]. Also prints the median distance from each test row to its nearest training row, which the
spread is meant to match. Usage: python3 new_row_spread.py (from the repository root).
"""
import json

import numpy as np
import pandas as pd
from sklearn.neighbors import NearestNeighbors

for sample in ["iris", "breast_cancer", "penguins", "diabetes"]:
    model = json.load(open(f"samples/{sample}/model.json"))
    names = [f["name"] for f in model["inputs"] if f.get("type", "continuous") == "continuous"]
    train = pd.read_csv(f"samples/{sample}/train.csv")[names].to_numpy(float)
    test = pd.read_csv(f"samples/{sample}/test.csv")[names].to_numpy(float)
    n = len(train)
    sd = train.std(axis=0, ddof=1)
    s = np.sort(train, axis=0)
    iqr = s[int(0.75 * (n - 1))] - s[int(0.25 * (n - 1))]
    h = 0.9 * np.where(iqr > 0, np.minimum(sd, iqr / 1.34), sd) * n ** -0.2
    z, zt = train / sd, test / sd
    distances, _ = NearestNeighbors(n_neighbors=2).fit(z).kneighbors(z)
    loo = np.sort(distances[:, 1])[n // 2]
    to_test = np.median(NearestNeighbors(n_neighbors=1).fit(z).kneighbors(zt)[0])
    move = np.sqrt(((h / sd) ** 2).sum())
    print(f"{sample}: spread {min(4, max(1, loo / move)):.4f} (unclamped {loo / move:.4f}), "
          f"test-to-nearest-train median {to_test:.4f}, leave-one-out median {loo:.4f}")

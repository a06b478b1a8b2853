"""The network of issue 21's "big" run: a scikit-learn MLP with two hidden layers of 256 ReLU units,
trained on 30,000 rows of 30 inputs (29 continuous, one categorical of 5 levels, one-hot encoded in a
Pipeline), exported with distill_export. Writes DIR/model.json, DIR/train.csv (the 30,000 rows with the
label) and DIR/test.csv (5,000 more). Deterministic for a given scikit-learn version.

Usage: .build/bench-venv/bin/python Benchmarks/big_network.py [--dir .build/bench/big] [--rows 30000]
           [--width 256] [--fit-rows N]
The network is trained on the first --fit-rows rows (default: all); the README's largest size is
--width 1024 --rows 1000000 --fit-rows 30000 (scikit-learn would train for hours on a million rows).
"""
import argparse
import os
import sys

import numpy as np
import pandas as pd
from sklearn.compose import ColumnTransformer
from sklearn.neural_network import MLPClassifier
from sklearn.pipeline import Pipeline
from sklearn.preprocessing import OneHotEncoder, StandardScaler

sys.path.insert(0, os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))), "python", "src"))
import distill_export  # noqa: E402

parser = argparse.ArgumentParser()
parser.add_argument("--dir", default=".build/bench/big")
parser.add_argument("--rows", type=int, default=30_000)
parser.add_argument("--width", type=int, default=256)
parser.add_argument("--fit-rows", type=int, default=None)
arguments = parser.parse_args()
os.makedirs(arguments.dir, exist_ok=True)

rng = np.random.default_rng(21)
total = arguments.rows + 5_000
continuous = [f"x{i}" for i in range(29)]
frame = pd.DataFrame(rng.standard_normal((total, 29)) @ (np.eye(29) + 0.3 * rng.standard_normal((29, 29))),
                     columns=continuous)
frame["region"] = rng.choice(["north", "south", "east", "west", "centre"], size=total)
shift = frame["region"].map({"north": 0.8, "south": -0.5, "east": 0.2, "west": -0.9, "centre": 0.0})
score = (np.sin(frame["x0"]) + frame["x1"] * frame["x2"] - 0.5 * frame["x3"] ** 2 + 0.7 * frame["x4"]
         + np.tanh(frame["x5"] - frame["x6"]) + shift + 0.3 * rng.standard_normal(total))
frame["label"] = np.where(score > np.median(score), "high", "low")

features = continuous + ["region"]
model = Pipeline([
    ("prepare", ColumnTransformer([("scale", StandardScaler(), continuous), ("onehot", OneHotEncoder(), ["region"])])),
    ("mlp", MLPClassifier(hidden_layer_sizes=(arguments.width, arguments.width), max_iter=15, random_state=0)),
])
train, test = frame.iloc[:arguments.rows], frame.iloc[arguments.rows:]
fitted = train.iloc[:arguments.fit_rows] if arguments.fit_rows else train
model.fit(fitted[features], fitted["label"])
print(f"held-out accuracy {model.score(test[features], test['label']):.3f}")
distill_export.export(model, os.path.join(arguments.dir, "model.json"))
train.to_csv(os.path.join(arguments.dir, "train.csv"), index=False, float_format="%.6g", chunksize=100_000)
test.to_csv(os.path.join(arguments.dir, "test.csv"), index=False, float_format="%.6g")
print(f"wrote {arguments.dir}/model.json, train.csv ({arguments.rows} rows), test.csv (5000 rows)")

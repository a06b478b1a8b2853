"""A wide network on few inputs, for certification: scikit-learn's make_classification with 6 inputs (4
informative, 1 redundant) and 3 classes, 4,000 rows, an MLP of two ReLU layers of --width units behind a
StandardScaler, trained on the first 3,000 rows and exported with distill_export. Writes DIR/model.json,
DIR/train.csv and DIR/test.csv (the other 1,000 rows), both with the label. Deterministic for a given
scikit-learn version.

Usage: .build/bench-venv/bin/python Benchmarks/narrow_input_network.py [--width 512] [--dir .build/bench/narrow-512]
"""
import argparse
import os
import sys

import pandas as pd
from sklearn.datasets import make_classification
from sklearn.neural_network import MLPClassifier
from sklearn.pipeline import Pipeline
from sklearn.preprocessing import StandardScaler

sys.path.insert(0, os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))), "python", "src"))
import distill_export  # noqa: E402

parser = argparse.ArgumentParser()
parser.add_argument("--width", type=int, default=512)
parser.add_argument("--dir", default=None)
arguments = parser.parse_args()
directory = arguments.dir or f".build/bench/narrow-{arguments.width}"
os.makedirs(directory, exist_ok=True)
x, y = make_classification(n_samples=4000, n_features=6, n_informative=4, n_redundant=1, n_classes=3, n_clusters_per_class=1,
                           class_sep=1.5, random_state=4)
columns = [f"x{i}" for i in range(6)]
frame = pd.DataFrame(x, columns=columns)
frame["label"] = [f"c{value}" for value in y]
model = Pipeline([("scale", StandardScaler()),
                  ("mlp", MLPClassifier(hidden_layer_sizes=(arguments.width, arguments.width), max_iter=300, random_state=0))])
model.fit(frame[columns][:3000], frame.label[:3000])
print(f"held-out accuracy {model.score(frame[columns][3000:], frame.label[3000:]):.3f}", file=sys.stderr)
distill_export.export(model, os.path.join(directory, "model.json"))
frame[:3000].to_csv(os.path.join(directory, "train.csv"), index=False)
frame[3000:].to_csv(os.path.join(directory, "test.csv"), index=False)

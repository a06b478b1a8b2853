"""Times scikit-learn's DecisionTreeClassifier on the rows DistillBench wrote, in the same `make bench` run,
and prints distill's fit time as a ratio of scikit-learn's (below 1 means distill is faster).

Needs numpy and scikit-learn (pip install scikit-learn); skipped with a note if they are missing.
Usage: python3 Benchmarks/compare_sklearn.py DIR  (DIR as passed to DistillBench --out)
"""
import json
import sys
import time

try:
    import numpy as np
    from sklearn.tree import DecisionTreeClassifier
except ImportError:
    print("scikit-learn comparison skipped: numpy/scikit-learn not installed")
    sys.exit(0)

directory = sys.argv[1]
distill = json.load(open(f"{directory}/distill.json"))
rows, features, depth = distill["rows"], distill["features"], distill["depth"]
X = np.fromfile(f"{directory}/features.f64", dtype="<f8").reshape(rows, features)
y = np.fromfile(f"{directory}/labels.i32", dtype="<i4")

times = []
for _ in range(3):
    start = time.perf_counter()
    tree = DecisionTreeClassifier(max_depth=depth, random_state=0).fit(X, y)
    times.append(time.perf_counter() - start)
sklearn_seconds = sorted(times)[1]
agreement = float((tree.predict(X) == y).mean())
print(f"scikit-learn {__import__('sklearn').__version__} DecisionTreeClassifier(max_depth={depth}): median {sklearn_seconds:.3f} s over 3 runs, "
      f"{tree.get_n_leaves()} leaves, training agreement {agreement:.4f}")
print(f"distill / scikit-learn fit time: {distill['fit_seconds'] / sklearn_seconds:.2f}x "
      f"(distill {distill['fit_seconds']:.3f} s, {distill['leaves']} leaves, agreement {distill['train_agreement']:.4f})")

"""The performance benchmark of `make bench`: distill against the best numeric libraries on the SAME
generated work, in the same run, printed as ratios distill / peer (below 1: distill is faster).

  stage     distill (public entry point, via DistillBench)     peer
  forward   NetworkEvaluator.evaluate, 30-256-256-2 ReLU/softmax numpy + OpenBLAS float64, blocks of 65,536 rows
  labels    NetworkEvaluator.predictedClasses (drawn points'    numpy float64 forward + argmax, blocks of
            labels), 20-1024-1024-1024-3, 100,000 rows          65,536 rows (the classes must agree)
  values    NetworkEvaluator.drawnOutputs (a regression         numpy float64 forward, blocks of 65,536 rows
            network's drawn points), 30-1024-1024-512-1,        (the outputs must agree to 1e-4 of their
            100,000 rows                                        spread)
  tree      TreeBuilder.fit, make_classification 1M x 30, depth 8 LightGBM 4.x binning + one tree (256 leaves,
                                                                depth 8, 2 threads); scikit-learn's exact tree
                                                                for the accuracy bar
  load      ModelDecoder.load, 512-2048-2048-10 nested JSON     orjson.loads + np.asarray per layer
            ... and packed float32                              orjson + base64 + np.frombuffer
  csv       DatasetLoader.load, 1M x 30 CSV (17 digits a cell)  pandas.read_csv (C engine) + to_numpy
  sobol     distill sensitivity --method sobol, N = 4096,       SALib sobol sampler + numpy forward +
            30-256-256-2 on its declared domain (whole command) sobol.analyze (first and total order)

Every peer runs in its own process with OPENBLAS_CORETYPE and OPENBLAS_L2_SIZE removed from its
environment (and only its own); distill runs with the environment as it is. Times are medians of three
runs after one warm-up for in-process stages. Results also go to DIR/results.json.

Usage: .build/bench-venv/bin/python Benchmarks/performance.py [--bench .build/release/DistillBench]
       [--binary .build/release/distill] [--dir .build/bench/perf] [--stages forward labels values tree load csv sobol]
       [--rows 1000000] [--no-sklearn]
"""
import argparse
import base64
import json
import os
import resource
import subprocess
import sys
import time

import numpy as np

PEER_ENVIRONMENT = {key: value for key, value in os.environ.items() if key not in ("OPENBLAS_CORETYPE", "OPENBLAS_L2_SIZE")}


def packed(array, dtype):
    array = np.ascontiguousarray(array, "<f4" if dtype == "float32" else "<f8")
    return {"dtype": dtype, "shape": list(array.shape), "base64": base64.b64encode(array.tobytes()).decode("ascii")}


def write_model(path, widths, activation, seed, encoding="float64", domain=(-4.0, 4.0), task="classification"):
    """A random network (He-scaled weights) as a distill model: packed float64/float32, or nested lists; a
    classifier ends in softmax, a regression network in identity outputs."""
    rng = np.random.default_rng(seed)
    layers = []
    for index, (inputs, units) in enumerate(zip(widths[:-1], widths[1:])):
        weights = rng.standard_normal((units, inputs)) * np.sqrt(2.0 / inputs)
        bias = rng.standard_normal(units) * 0.1
        last = index == len(widths) - 2
        if encoding == "nested":
            weights, bias = weights.tolist(), bias.tolist()
        else:
            weights, bias = packed(weights, encoding), packed(bias, encoding)
        output = "softmax" if task == "classification" else "identity"
        layers.append({"type": "dense", "weights": weights, "bias": bias, "activation": output if last else activation})
    model = {"format": "distill-model", "version": 1, "name": f"bench-{'-'.join(map(str, widths))}", "task": task,
             "inputs": [{"name": f"x{i}", "type": "continuous", "min": domain[0], "max": domain[1]} for i in range(widths[0])],
             "outputs": [f"{'c' if task == 'classification' else 'y'}{i}" for i in range(widths[-1])], "layers": layers}
    with open(path, "w") as handle:
        json.dump(model, handle)


def layer_arrays(model):
    def array(value):
        if isinstance(value, dict):
            dtype = "<f4" if value["dtype"] == "float32" else "<f8"
            return np.frombuffer(base64.b64decode(value["base64"]), dtype=dtype).astype(np.float64).reshape(value["shape"])
        return np.asarray(value, dtype=np.float64)
    return [(array(layer["weights"]), array(layer["bias"]), layer["activation"]) for layer in model["layers"]]


def numpy_forward(layers, x, block=65_536):
    """The network on row blocks, float64 (one matrix product per layer and block)."""
    out = np.empty((x.shape[0], layers[-1][0].shape[0]))
    for start in range(0, x.shape[0], block):
        h = x[start:start + block]
        for weights, bias, activation in layers:
            h = h @ weights.T + bias
            if activation == "relu":
                np.maximum(h, 0, out=h)
            elif activation == "tanh":
                np.tanh(h, out=h)
            elif activation == "softmax":
                h -= h.max(axis=1, keepdims=True)
                np.exp(h, out=h)
                h /= h.sum(axis=1, keepdims=True)
        out[start:start + block] = h
    return out


def median_seconds(body, repeats=3, warm=True):
    if warm:
        body()
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        body()
        times.append(time.perf_counter() - start)
    return sorted(times)[len(times) // 2]


def peak_rss():
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024


# ---- peers, each run as `performance.py --peer NAME ARGS...` in its own process --------------------------

def peer_forward(model_path, rows_path, out_path):
    layers = layer_arrays(json.load(open(model_path)))
    x = np.fromfile(rows_path, dtype="<f8").reshape(-1, layers[0][0].shape[1])
    result = {}
    seconds = median_seconds(lambda: result.__setitem__("y", numpy_forward(layers, x)))
    result["y"].astype("<f8").tofile(out_path)
    return {"seconds": seconds, "numpy": np.__version__}


def peer_labels(model_path, rows_path, out_path):
    layers = layer_arrays(json.load(open(model_path)))
    x = np.fromfile(rows_path, dtype="<f8").reshape(-1, layers[0][0].shape[1])
    result = {}
    seconds = median_seconds(lambda: result.__setitem__("y", numpy_forward(layers, x).argmax(axis=1)))
    result["y"].astype("<f8").tofile(out_path)
    return {"seconds": seconds, "numpy": np.__version__}


def peer_lightgbm(x_path, y_path, features, depth):
    import lightgbm
    x = np.fromfile(x_path, dtype="<f8").reshape(-1, features)
    y = np.fromfile(y_path, dtype="<i4")
    booster = {}

    def fit():
        data = lightgbm.Dataset(x, label=y, params={"max_bin": 255, "verbose": -1})
        booster["b"] = lightgbm.train({"objective": "binary", "num_leaves": 2 ** depth, "max_depth": depth, "num_threads": 2,
                                       "learning_rate": 1.0, "min_data_in_leaf": 1, "min_sum_hessian_in_leaf": 0,
                                       "lambda_l2": 0, "verbose": -1}, data, num_boost_round=1)
    seconds = median_seconds(fit, warm=False)
    accuracy = float(((booster["b"].predict(x) > 0.5) == y).mean())
    return {"seconds": seconds, "accuracy": accuracy, "lightgbm": lightgbm.__version__}


def peer_sklearn(x_path, y_path, features, depth):
    import sklearn
    from sklearn.tree import DecisionTreeClassifier
    x = np.fromfile(x_path, dtype="<f8").reshape(-1, features)
    y = np.fromfile(y_path, dtype="<i4")
    start = time.perf_counter()
    tree = DecisionTreeClassifier(max_depth=depth, random_state=0).fit(x, y)
    seconds = time.perf_counter() - start
    return {"seconds": seconds, "accuracy": float((tree.predict(x) == y).mean()), "leaves": int(tree.get_n_leaves()),
            "sklearn": sklearn.__version__}


def peer_load(model_path):
    import orjson
    raw = open(model_path, "rb").read()

    def load():
        model = orjson.loads(raw)
        return layer_arrays(model)
    seconds = median_seconds(load)
    return {"seconds": seconds, "peak_rss": peak_rss(), "orjson": orjson.__version__}


def peer_csv(csv_path, out_path):
    import pandas
    frame = {}

    def load():
        frame["x"] = pandas.read_csv(csv_path, engine="c", float_precision="round_trip").to_numpy(dtype=np.float64)
    seconds = median_seconds(load, warm=False)
    frame["x"].astype("<f8").tofile(out_path)
    return {"seconds": seconds, "peak_rss": peak_rss(), "pandas": pandas.__version__}


def peer_sobol(model_path, samples):
    from importlib.metadata import version
    from SALib.analyze import sobol
    from SALib.sample import sobol as sobol_sample
    model = json.load(open(model_path))
    layers = layer_arrays(model)
    names = [feature["name"] for feature in model["inputs"]]
    bounds = [[feature["min"], feature["max"]] for feature in model["inputs"]]

    def run():
        problem = {"num_vars": len(names), "names": names, "bounds": bounds}
        x = sobol_sample.sample(problem, samples, calc_second_order=False, seed=1)
        y = numpy_forward(layers, x)[:, 0]
        return sobol.analyze(problem, y, calc_second_order=False, seed=1)
    start = time.perf_counter()
    result = run()
    seconds = time.perf_counter() - start
    return {"seconds": seconds, "top": names[int(np.argmax(result["ST"]))], "SALib": version("SALib")}


PEERS = {"forward": peer_forward, "labels": peer_labels, "values": peer_forward, "lightgbm": peer_lightgbm, "sklearn": peer_sklearn, "load": peer_load, "csv": peer_csv, "sobol": peer_sobol}


def run_peer(name, *arguments):
    command = [sys.executable, __file__, "--peer", name] + [str(a) for a in arguments]
    output = subprocess.run(command, check=True, capture_output=True, text=True, env=PEER_ENVIRONMENT).stdout
    return json.loads(output.strip().splitlines()[-1])


def run_distill(command):
    output = subprocess.run([str(a) for a in command], check=True, capture_output=True, text=True).stdout
    return json.loads(output.strip().splitlines()[-1])


# ---- stages ------------------------------------------------------------------------------------------------

def stage_forward(args, results):
    model = f"{args.dir}/forward-30-256-256-2.json"
    rows = f"{args.dir}/forward-rows-{args.rows}.f64"
    write_model(model, [30, 256, 256, 2], "relu", seed=0)
    if not os.path.exists(rows):
        np.random.default_rng(1).standard_normal((args.rows, 30)).astype("<f8").tofile(rows)
    distill = run_distill([args.bench, "forward", model, rows, "--out", f"{args.dir}/forward-distill.f64"])
    peer = run_peer("forward", model, rows, f"{args.dir}/forward-numpy.f64")
    difference = float(np.max(np.abs(np.fromfile(f"{args.dir}/forward-distill.f64") - np.fromfile(f"{args.dir}/forward-numpy.f64"))))
    results["forward"] = {"distill": distill, "peer": peer, "max_abs_difference": difference}
    return [(f"NetworkEvaluator.evaluate, 30-256-256-2 ReLU/softmax, {args.rows:,} rows", distill["seconds"],
             f"numpy {peer['numpy']} + OpenBLAS, blocks of 65,536", peer["seconds"], 0.5,
             f"outputs agree to {difference:.1e}; distill {distill['threads']} threads, blocks of {distill['block_rows']} rows, {distill['blas']}")]


def stage_labels(args, results):
    """The classes of 100,000 points through a wide network: what labelling drawn points costs."""
    rows_count = 100_000
    model = f"{args.dir}/labels-20-1024-1024-1024-3.json"
    rows = f"{args.dir}/labels-rows-{rows_count}.f64"
    if not os.path.exists(model):
        write_model(model, [20, 1024, 1024, 1024, 3], "relu", seed=2)
    if not os.path.exists(rows):
        np.random.default_rng(3).standard_normal((rows_count, 20)).astype("<f8").tofile(rows)
    distill = run_distill([args.bench, "forward", model, rows, "--answer", "classes", "--out", f"{args.dir}/labels-distill.f64"])
    peer = run_peer("labels", model, rows, f"{args.dir}/labels-numpy.f64")
    differing = int(np.sum(np.fromfile(f"{args.dir}/labels-distill.f64") != np.fromfile(f"{args.dir}/labels-numpy.f64")))
    results["labels"] = {"distill": distill, "peer": peer, "differing_classes": differing}
    return [(f"NetworkEvaluator.predictedClasses, 20-1024-1024-1024-3 ReLU/softmax, {rows_count:,} rows", distill["seconds"],
             f"numpy {peer['numpy']} + OpenBLAS float64 forward + argmax", peer["seconds"], 0.75,
             f"classes differing from numpy's: {differing}; distill single-precision products, rows near a tie again in float64")]


def stage_values(args, results):
    """The outputs of 100,000 points through a wide regression network: what labelling drawn points costs."""
    rows_count = 100_000
    model = f"{args.dir}/values-30-1024-1024-512-1.json"
    rows = f"{args.dir}/values-rows-{rows_count}.f64"
    if not os.path.exists(model):
        write_model(model, [30, 1024, 1024, 512, 1], "relu", seed=4, task="regression")
    if not os.path.exists(rows):
        np.random.default_rng(5).standard_normal((rows_count, 30)).astype("<f8").tofile(rows)
    distill = run_distill([args.bench, "forward", model, rows, "--answer", "values", "--out", f"{args.dir}/values-distill.f64"])
    peer = run_peer("values", model, rows, f"{args.dir}/values-numpy.f64")
    ours, theirs = np.fromfile(f"{args.dir}/values-distill.f64"), np.fromfile(f"{args.dir}/values-numpy.f64")
    relative = float(np.max(np.abs(ours - theirs)) / np.std(theirs))
    results["values"] = {"distill": distill, "peer": peer, "largest_difference_over_spread": relative}
    return [(f"NetworkEvaluator.drawnOutputs, 30-1024-1024-512-1 ReLU regression, {rows_count:,} rows", distill["seconds"],
             f"numpy {peer['numpy']} + OpenBLAS float64 forward", peer["seconds"], 0.75,
             f"largest difference from numpy's {relative:.1e} of the outputs' spread; distill " + ("single-precision products" if relative > 0 else "outputs equal to float64's: single precision declined?"))]


def stage_tree(args, results):
    from sklearn.datasets import make_classification
    x_path, y_path = f"{args.dir}/tree-x-{args.rows}.f64", f"{args.dir}/tree-y-{args.rows}.i32"
    if not os.path.exists(y_path):
        x, y = make_classification(n_samples=args.rows, n_features=30, n_informative=10, n_redundant=5, random_state=0)
        x.astype("<f8").tofile(x_path)
        y.astype("<i4").tofile(y_path)
    distill = run_distill([args.bench, "tree", x_path, y_path, "--features", 30, "--depth", 8])
    lightgbm = run_peer("lightgbm", x_path, y_path, 30, 8)
    results["tree"] = {"distill": distill, "lightgbm": lightgbm}
    note = f"training accuracy distill {distill['accuracy']:.4f}, LightGBM {lightgbm['accuracy']:.4f}"
    if not args.no_sklearn:
        sklearn = run_peer("sklearn", x_path, y_path, 30, 8)
        results["tree"]["sklearn"] = sklearn
        gap = (sklearn["accuracy"] - distill["accuracy"]) * 100
        note += f", scikit-learn's exact tree {sklearn['accuracy']:.4f} in {sklearn['seconds']:.1f} s ({gap:+.2f} points; bar 0.2)"
    return [(f"TreeBuilder.fit, make_classification {args.rows:,} x 30, depth 8", distill["seconds"],
             f"LightGBM {lightgbm['lightgbm']} binning + one tree, 2 threads", lightgbm["seconds"], 1.0, note)]


def stage_load(args, results):
    lines = []
    for encoding, label in [("nested", "nested-array JSON"), ("float32", "packed float32")]:
        path = f"{args.dir}/load-512-2048-2048-10-{encoding}.json"
        if not os.path.exists(path):
            write_model(path, [512, 2048, 2048, 10], "relu", seed=2, encoding=encoding)
        megabytes = os.path.getsize(path) / 1e6
        distill = run_distill([args.bench, "load", path])
        peer = run_peer("load", path)
        results[f"load_{encoding}"] = {"distill": distill, "peer": peer, "megabytes": megabytes}
        lines.append((f"ModelDecoder.load, 512-2048-2048-10 as {label} ({megabytes:.0f} MB)", distill["seconds"],
                      f"orjson {peer['orjson']}{' + base64' if encoding != 'nested' else ''} + numpy", peer["seconds"], 1.0,
                      f"peak RSS distill {distill['peak_rss'] / 1e6:.0f} MB, orjson + numpy {peer['peak_rss'] / 1e6:.0f} MB"))
    return lines


def stage_csv(args, results):
    model = f"{args.dir}/forward-30-256-256-2.json"
    write_model(model, [30, 256, 256, 2], "relu", seed=0)
    path = f"{args.dir}/csv-{args.rows}.csv"
    if not os.path.exists(path):
        x = np.random.default_rng(3).standard_normal((args.rows, 30))
        with open(path, "w") as handle:
            handle.write(",".join(f"x{i}" for i in range(30)) + "\n")
            np.savetxt(handle, x, delimiter=",", fmt="%.17g")
    megabytes = os.path.getsize(path) / 1e6
    distill = run_distill([args.bench, "csv", model, path, "--out", f"{args.dir}/csv-distill.f64"])
    peer = run_peer("csv", path, f"{args.dir}/csv-pandas.f64")
    same = bool(np.array_equal(np.fromfile(f"{args.dir}/csv-distill.f64"), np.fromfile(f"{args.dir}/csv-pandas.f64")))
    results["csv"] = {"distill": distill, "peer": peer, "megabytes": megabytes, "identical": same}
    return [(f"DatasetLoader.load, {args.rows:,} x 30 CSV ({megabytes:.0f} MB)", distill["seconds"],
             f"pandas {peer['pandas']} read_csv (C engine, round-trip floats) + to_numpy", peer["seconds"], 1.0,
             f"values {'bit-identical' if same else 'DIFFER'}; peak RSS distill {distill['peak_rss'] / 1e6:.0f} MB, "
             f"pandas {peer['peak_rss'] / 1e6:.0f} MB")]


def stage_sobol(args, results):
    model = f"{args.dir}/forward-30-256-256-2.json"
    write_model(model, [30, 256, 256, 2], "relu", seed=0)
    report = f"{args.dir}/sobol.json"

    def command():
        subprocess.run([args.binary, "sensitivity", model, "--method", "sobol", "--sobol-samples", "4096",
                        "-o", "/dev/null", "--json", report], check=True, capture_output=True)
    distill = median_seconds(command, warm=False)
    peer = run_peer("sobol", model, 4096)
    top = json.load(open(report))["methods"]["sobol_total"][0]["feature"]
    results["sobol"] = {"distill": {"seconds": distill, "top": top}, "peer": peer}
    return [("distill sensitivity --method sobol, N = 4096 (131,072 evaluations), 30-256-256-2, whole command", distill,
             f"SALib {peer['SALib']} sampling + numpy forward + analysis", peer["seconds"], 0.1,
             f"top total-order input: distill {top}, SALib {peer['top']}")]


STAGES = {"forward": stage_forward, "labels": stage_labels, "values": stage_values, "tree": stage_tree, "load": stage_load, "csv": stage_csv, "sobol": stage_sobol}


def main():
    if len(sys.argv) > 2 and sys.argv[1] == "--peer":
        name, arguments = sys.argv[2], sys.argv[3:]
        converted = [int(a) if a.isdigit() else a for a in arguments]
        print(json.dumps(PEERS[name](*converted)))
        return 0
    parser = argparse.ArgumentParser()
    parser.add_argument("--bench", default=".build/release/DistillBench")
    parser.add_argument("--binary", default=".build/release/distill")
    parser.add_argument("--dir", default=".build/bench/perf")
    parser.add_argument("--stages", nargs="+", default=list(STAGES), choices=list(STAGES))
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--no-sklearn", action="store_true", help="skip scikit-learn's exact tree (48 s at 1M rows)")
    args = parser.parse_args()
    os.makedirs(args.dir, exist_ok=True)
    results, lines = {}, []
    for stage in args.stages:
        lines += STAGES[stage](args, results)
    print("| stage | distill | peer | ratio | target | |")
    print("|---|---|---|---|---|---|")
    failed = 0
    for stage, seconds, peer, peer_seconds, target, note in lines:
        ratio = seconds / peer_seconds
        verdict = "meets" if ratio <= target else "MISSES"
        failed += ratio > target
        print(f"| {stage} | {seconds:.3f} s | {peer}: {peer_seconds:.3f} s | {ratio:.2f}x | <= {target}x {verdict} | {note} |")
    with open(f"{args.dir}/results.json", "w") as handle:
        json.dump(results, handle, indent=1)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())

"""Writes the bad-input corpus of BadInputCorpusTests: malformed models, saved surrogates, CSV files and
ONNX models, each made from a shipped one by one mutation, and cases.tsv, which says for each how distill
is run on it, the exit status it must end with and a fragment its message must hold (the location and
what was expected). Run from the repository root after a format change:

    python3 Tests/CLITests/BadInputs/make_bad_inputs.py

The expected fragments are written here by hand, from what a user must be told; they are never copied
from distill's output. Files named fuzz-*.onnx are findings of `make fuzz`, kept as they were found.
"""
import base64
import copy
import json
import os
import struct

HERE = os.path.dirname(os.path.abspath(__file__))
cases = []  # (file, runner, exit status, fragment)


def write(name, data):
    with open(os.path.join(HERE, name), "wb") as file:
        file.write(data if isinstance(data, bytes) else data.encode())


def case(name, data, runner, status, fragment):
    if data is not None:
        write(name, data)
    cases.append((name, runner, status, fragment))


def load(path):
    with open(path) as file:
        return json.load(file)


def dump(document):
    return json.dumps(document, indent=1) + "\n"


# ---- models: `distill inspect FILE`, exit 65 (bad data) ---------------------------------------------
IRIS = load("samples/iris/model.json")


def model(name, fragment, change, status=65):
    document = copy.deepcopy(IRIS)
    change(document)
    case(name, dump(document), "model", status, fragment)


def setter(path, value):
    def change(document):
        target = document
        for key in path[:-1]:
            target = target[key]
        target[path[-1]] = value
    return change


def deleter(path):
    def change(document):
        target = document
        for key in path[:-1]:
            target = target[key]
        del target[path[-1]]
    return change


iris_text = dump(IRIS)
with open("Tests/DistillTests/Fixtures/onnx/gemm_softmax.onnx", "rb") as file:
    GEMM_BYTES = file.read()
case("model-not-json.json", "hello, model\n", "model", 65, "model-not-json.json: 1:1:")
case("model-truncated.json", iris_text[: len(iris_text) // 2], "model", 65, "unexpected end of")
case("model-trailing-comma.json", '{"format": "distill-model", "version": 1,}\n', "model", 65, "model-trailing-comma.json: 1:")
case("model-empty.json", "", "model", 65, "empty")
case("model-nan-literal.json", iris_text.replace('"max": 7.9', '"max": NaN', 1), "model", 65, "model-nan-literal.json: ")
case("model-array-root.json", "[1, 2, 3]\n", "model", 65, "expected an object")
case("model-utf16.json", iris_text.encode("utf-16"), "model", 65, "UTF-16")
case("model-onnx-without-extension.json", GEMM_BYTES, "model", 65, "an ONNX model is read as such when its name ends in .onnx")
case("model-nul-byte.json", iris_text.replace('"iris-mlp"', '"iris\\u0000mlp"', 1).replace("\\u0000", "\x00"), "model", 65,
     "model-nul-byte.json: 4:15: a NUL byte")
case("model-deep-nesting.json", "[" * 100000 + "]" * 100000, "model", 65, "nest")
model("model-wrong-format.json", "format: expected \"distill-model\"", setter(["format"], "distill-modle"))
model("model-version-2.json", "version: unsupported version 2", setter(["version"], 2))
model("model-version-string.json", "version: expected", setter(["version"], "1"))
model("model-unknown-task.json", "task: unknown task \"clustering\"", setter(["task"], "clustering"))
model("model-no-inputs.json", "inputs", deleter(["inputs"]))
model("model-input-type.json", "inputs[1].type", setter(["inputs", 1, "type"], "ordinal"))
model("model-min-above-max.json", "inputs[0]", setter(["inputs", 0, "min"], 9.5))
model("model-duplicate-input.json", "inputs[1].name", setter(["inputs", 1, "name"], "sepal length (cm)"))
model("model-empty-categories.json", "inputs[0]",
      setter(["inputs", 0], {"name": "colour", "type": "categorical", "values": []}))
model("model-duplicate-output.json", "outputs", setter(["outputs", 2], "setosa"))
model("model-too-few-outputs.json", "outputs", setter(["outputs"], ["setosa", "versicolor"]))
model("model-short-weight-row.json", "layers[0].weights[3]", setter(["layers", 0, "weights", 3], [0.1, 0.2, 0.3]))
model("model-string-weight.json", "layers[0].weights[0][1]", setter(["layers", 0, "weights", 0, 1], "0.5"))
model("model-null-weight.json", "layers[1].weights[2][0]", setter(["layers", 1, "weights", 2, 0], None))
model("model-short-bias.json", "layers[0].bias", setter(["layers", 0, "bias"], [0.0] * 15))
model("model-unknown-activation.json", "layers[0].activation", setter(["layers", 0, "activation"], "swish2"))
model("model-misspelt-key.json", "layers[0]", lambda d: d["layers"][0].update({"wieghts": d["layers"][0].pop("weights")}))
model("model-no-layers.json", "layers", setter(["layers"], []))
model("model-layer-type.json", "layers[0].type", setter(["layers", 0, "type"], "conv3d"))
model("model-layer-width.json", "layers[1].weights[0]", setter(["layers", 1, "weights"], [[0.1] * 15] * 3))
model("model-zero-std.json", "preprocessing[0].std[2]", setter(["preprocessing", 0, "std", 2], 0.0))
model("model-short-mean.json", "preprocessing[0].mean", setter(["preprocessing", 0, "mean"], [5.8, 3.0, 3.7]))
model("model-preprocessing-type.json", "preprocessing[0].type", setter(["preprocessing", 0, "type"], "whiten"))
model("model-negative-variance.json", "layers[1].variance[2]", lambda d: d["layers"].insert(1, {
    "type": "batchnorm", "gamma": [1.0] * 16, "beta": [0.0] * 16, "mean": [0.0] * 16,
    "variance": [1.0, 1.0, -0.5] + [1.0] * 13}))
model("model-leaky-alpha.json", "layers[0].alpha", lambda d: d["layers"][0].update({"alpha": "small"}))
# Literals beyond Double's range and integers beyond 64 bits are refused where they stand.
case("model-overflow-literal.json", iris_text.replace('"min": 4.3', '"min": 1e400', 1), "model", 65, "inputs[0].min")
weight = json.dumps(IRIS["layers"][0]["weights"][0][0])
case("model-huge-integer-weight.json", iris_text.replace(weight, "123456789012345678901234567890", 1), "model", 65,
     "layers[0].weights[0][0]")


def packed(values, dtype="float64", shape=None, data=None):
    raw = struct.pack("<%d%s" % (len(values), "d" if dtype == "float64" else "f"), *values)
    return {"dtype": dtype, "shape": shape or [len(values)], "base64": data or base64.b64encode(raw).decode()}


model("model-packed-bad-base64.json", "layers[0].bias", setter(["layers", 0, "bias"], packed([0.0] * 16, data="@@@@")))
model("model-packed-short.json", "layers[0].bias", setter(["layers", 0, "bias"], packed([0.0] * 15, shape=[16])))
model("model-packed-dtype.json", "layers[0].bias.dtype", setter(["layers", 0, "bias"], packed([0.0] * 16, dtype="float16")))
model("model-packed-shape-overflow.json", "layers[0].weights",
      setter(["layers", 0, "weights"], packed([0.0] * 4, shape=[4611686018427387904, 4])))
model("model-packed-shape-product.json", "layers[0].weights",
      setter(["layers", 0, "weights"], packed([0.0] * 4, shape=[999999999999999, 999999999999999])))
model("model-packed-negative-shape.json", "layers[0].bias", setter(["layers", 0, "bias"], packed([0.0] * 16, shape=[-16])))

# ---- saved surrogates: `distill emit FILE --swift OUT`, exit 65 ---------------------------------------
TREE = load("Tests/Fuzz/corpus/surrogate/iris-tree.json")
RULES = load("Tests/Fuzz/corpus/surrogate/iris-rules.json")
LINEAR = load("Tests/Fuzz/corpus/surrogate/diabetes-linear.json")


def surrogate(name, base, fragment, change):
    document = copy.deepcopy(base)
    change(document)
    case(name, dump(document), "surrogate", 65, fragment)


surrogate("surrogate-format.json", TREE, "format", setter(["format"], "distill-model"))
surrogate("surrogate-version.json", TREE, "version", setter(["version"], 7))
surrogate("surrogate-child-range.json", TREE, "tree.nodes[0].right", setter(["tree", "nodes", 0, "right"], 99))
surrogate("surrogate-cycle.json", TREE, "tree.nodes[2]", setter(["tree", "nodes", 2, "left"], 0))
surrogate("surrogate-self-child.json", TREE, "tree.nodes[4]", setter(["tree", "nodes", 4, "right"], 4))
surrogate("surrogate-threshold-string.json", TREE, "tree.nodes[0].threshold", setter(["tree", "nodes", 0, "threshold"], "2.7"))
surrogate("surrogate-feature-range.json", TREE, "tree.nodes[2].feature", setter(["tree", "nodes", 2, "feature"], 4))
surrogate("surrogate-leaf-width.json", TREE, "tree.nodes[1].value", setter(["tree", "nodes", 1, "value"], [1, 2]))
surrogate("surrogate-no-nodes.json", TREE, "tree.nodes", setter(["tree", "nodes"], []))
surrogate("surrogate-example-width.json", TREE, "examples[0]", setter(["examples", 0], [4.4, 2.9, 1.4]))
surrogate("surrogate-rule-feature.json", RULES, "rule_list.rules[0].tests[1].feature",
          setter(["rule_list", "rules", 0, "tests", 1, "feature"], -1))
surrogate("surrogate-rule-op.json", RULES, "rule_list.rules[1].tests[0].op: unknown test", setter(["rule_list", "rules", 1, "tests", 0, "op"], "=>"))
surrogate("surrogate-rule-class.json", RULES, "rule_list.rules[0].prediction", setter(["rule_list", "rules", 0, "prediction"], "rose"))
surrogate("surrogate-default-class.json", RULES, "rule_list.default", setter(["rule_list", "default"], "tulip"))
surrogate("surrogate-linear-feature.json", LINEAR, "tree.nodes[2].models[0].terms[1].feature",
          setter(["tree", "nodes", 2, "models", 0, "terms", 1, "feature"], 10))
surrogate("surrogate-linear-terms.json", LINEAR, "tree.nodes[2].models[0].coefficient",
          lambda d: d["tree"]["nodes"][2]["models"][0].update({"coefficient": 1}))
surrogate("surrogate-two-kinds.json", TREE, "rule_list", lambda d: d.update({"rule_list": RULES["rule_list"]}))
tree_text = dump(TREE)
case("surrogate-truncated.json", tree_text[: len(tree_text) // 3], "surrogate", 65, "unexpected end of")
case("surrogate-model-file.json", iris_text, "surrogate", 65, "format")

# ---- CSV data for the penguins model: `distill samples/penguins/model.json --data FILE --label species`
with open("samples/penguins/train.csv") as file:
    PENGUINS = file.read().splitlines()[:8]
HEADER = PENGUINS[0].split(",")


def rows(name, fragment, lines, status=65):
    case(name, "\n".join(lines) + "\n", "csv", status, fragment)


def with_cell(row, column, cell):
    lines = list(PENGUINS)
    cells = lines[row].split(",")
    cells[HEADER.index(column)] = cell
    lines[row] = ",".join(cells)
    return lines


column = {name: HEADER.index(name) + 1 for name in HEADER}
rows("csv-missing-column.csv", "line 1: missing column 'body_mass_g'",
     [",".join(c for i, c in enumerate(line.split(",")) if i != column["body_mass_g"] - 1) for line in PENGUINS])
rows("csv-no-label.csv", "line 1", [",".join(line.split(",")[:-1]) for line in PENGUINS])
rows("csv-word-cell.csv", "row 3 (line 4), column %d 'body_mass_g'" % column["body_mass_g"], with_cell(3, "body_mass_g", "heavy"))
rows("csv-inf-cell.csv", "row 2 (line 3), column %d 'bill_depth_mm'" % column["bill_depth_mm"], with_cell(2, "bill_depth_mm", "inf"))
rows("csv-hex-cell.csv", "row 1 (line 2), column %d 'flipper_length_mm'" % column["flipper_length_mm"],
     with_cell(1, "flipper_length_mm", "0x1p3"))
rows("csv-overflow-cell.csv", "row 4 (line 5), column %d 'bill_length_mm'" % column["bill_length_mm"],
     with_cell(4, "bill_length_mm", "1e999"))
rows("csv-unknown-category.csv", "row 5 (line 6), column %d 'island'" % column["island"], with_cell(5, "island", "Atlantis"))
rows("csv-unknown-class.csv", "row 6 (line 7), column %d 'species'" % column["species"], with_cell(6, "species", "Emperor"))
rows("csv-short-row.csv", "line 4", PENGUINS[:3] + [",".join(PENGUINS[3].split(",")[:4])] + PENGUINS[4:])
rows("csv-long-row.csv", "line 3", PENGUINS[:2] + [PENGUINS[2] + ",extra"] + PENGUINS[3:])
rows("csv-unterminated-quote.csv", "line 5", PENGUINS[:4] + ['"Biscoe,47.8,15.0,215.0,5650.0,male,Gentoo'] + PENGUINS[5:])
rows("csv-header-only.csv", "no data rows after the header", PENGUINS[:1])
case("csv-empty.csv", "", "csv", 65, "empty")
rows("csv-duplicate-column.csv", "line 1", [line + "," + line.split(",")[column["sex"] - 1] for line in PENGUINS[:1]]
     + [line + "," + line.split(",")[column["sex"] - 1] for line in PENGUINS[1:]])
rows("csv-long-cell.csv", "row 2 (line 3), column %d 'island'" % column["island"], with_cell(2, "island", "B" * 10000))
case("csv-binary.csv", bytes(range(256)) * 4, "csv", 65, "line 3: unexpected '\"' inside an unquoted field")
case("csv-utf16.csv", "\n".join(PENGUINS).encode("utf-16"), "csv", 65, "UTF-16")
rows("csv-quote-in-cell.csv", "line 3", PENGUINS[:2] + [PENGUINS[2].replace("Dream", 'Dr"eam', 1).replace("Biscoe", 'Bis"coe', 1)] + PENGUINS[3:])

# ---- ONNX: `distill inspect FILE.onnx`, exit 65 ------------------------------------------------------
with open("Tests/DistillTests/Fixtures/onnx/gemm_softmax.onnx", "rb") as file:
    GEMM = file.read()
case("onnx-garbage.onnx", b"\xff\xfe not a protobuf \x00\x01", "onnx", 65, "not a valid ONNX model")
case("onnx-empty.onnx", b"", "onnx", 65, "no graph")
case("onnx-truncated.onnx", GEMM[: len(GEMM) // 2], "onnx", 65, "not a valid ONNX model")
case("onnx-json.onnx", iris_text, "onnx", 65, "not a valid ONNX model")
case("fuzz-onnx-nan-weight.onnx", None, "onnx", 65, "graph.node[0]: Gemm node '/0/Gemm': input 1 ('0.weight') holds NaN at [4]")
case("fuzz-onnx-inf-gamma.onnx", None, "onnx", 65, "graph.node[1]: BatchNormalization node '/1/BatchNormalization': input 1 ('1.weight') holds -inf at [8]")
case("fuzz-onnx-negative-variance.onnx", None, "onnx", 65, "graph.node[1]: BatchNormalization node: has a negative variance")

with open(os.path.join(HERE, "cases.tsv"), "w") as file:
    file.write("# file\trunner\texit status\tfragment of the message (written by make_bad_inputs.py)\n")
    for name, runner, status, fragment in cases:
        file.write("%s\t%s\t%d\t%s\n" % (name, runner, status, fragment))
print(len(cases), "cases")

#!/usr/bin/env bash
# Writes the fuzzers' seed corpora under Tests/Fuzz/corpus/ (committed; rerun after a format change):
# small models of every layer and array form, saved surrogates of every kind, short CSVs in every
# accepted shape and the ONNX fixtures. Usage: Tests/Fuzz/make_corpus.sh [path to a built distill]
set -euo pipefail
cd "$(dirname "$0")/../.."
DISTILL=${1:-.build/debug/distill}
OUT=Tests/Fuzz/corpus
rm -rf "$OUT" && mkdir -p "$OUT"/{model,surrogate,csv,onnx}

cp samples/iris/model.json "$OUT/model/iris.json"
cp samples/penguins/model.json "$OUT/model/penguins.json"
cp samples/diabetes/model.json "$OUT/model/diabetes.json"
for fixture in binary classifier packed32 packed64; do
  cp "Tests/DistillTests/Fixtures/layers/$fixture.json" "$OUT/model/$fixture.json"
done
cp Tests/DistillTests/Fixtures/tfjs/dense/model.json "$OUT/model/tfjs.json"
# The iris model with its four inputs declared as a 2x2 image (the "image" member).
python3 -c 'import json, sys; m = json.load(open(sys.argv[1])); m["image"] = {"height": 2, "width": 2, "inputs": [m["inputs"][0]["name"], m["inputs"][3]["name"]]}; json.dump(m, open(sys.argv[2], "w"))' \
  samples/iris/model.json "$OUT/model/iris-image.json"

cp Tests/DistillTests/Fixtures/onnx/*.onnx "$OUT/onnx/"

extract() { # name, sample, label, flags...
  local name=$1 sample=$2 label=$3; shift 3
  "$DISTILL" extract "samples/$sample/model.json" --data "samples/$sample/train.csv" --label "$label" \
    --seed 1 --save-surrogate "$OUT/surrogate/$name.json" -o "$OUT/listing.txt" "$@"
}
for kind in tree rules rule-search oracle-tree optimal-tree; do
  extract "iris-$kind" iris species --surrogate "$kind" --max-leaves 4
done
extract iris-ripper iris species --surrogate ripper
extract penguins-rules penguins species --surrogate rules --unordered --max-leaves 6
extract penguins-tree penguins species --max-leaves 6
extract diabetes-tree diabetes progression --max-leaves 6
extract diabetes-linear diabetes progression --max-leaves 4 --leaf-model linear
rm -f "$OUT/listing.txt"

head -6 samples/penguins/train.csv > "$OUT/csv/plain.csv"
head -6 samples/penguins/train.csv | sed 's/$/\r/' > "$OUT/csv/crlf.csv"
printf '\xef\xbb\xbf' | cat - "$OUT/csv/plain.csv" > "$OUT/csv/bom.csv"
{ echo 'sex,"island",body_mass_g,flipper_length_mm,bill_depth_mm,bill_length_mm,species,note'
  echo 'male,"Biscoe",5650,215.0,15.0,47.8,Gentoo,"a ""quoted"" note"'
  echo 'female,Dream,3.65e3,195,17,45.7,Chinstrap,"two'
  echo 'lines"'
  echo 'NA,Torgersen,,190,18.5,-39.1,Adelie,' ; } > "$OUT/csv/quoted.csv"

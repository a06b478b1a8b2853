#!/bin/sh
# Writes the pixel maps shown in README.md from the digits sample (whose model declares its 8x8 image).
# Run from the repository root after `make release`.
set -e
distill=.build/release/distill
$distill explain samples/digits/model.json --row samples/digits/test.csv --data samples/digits/train.csv --label digit \
    --background-rows 50 --pixels docs/digits-explain-pixels.svg -o /dev/null
$distill sensitivity samples/digits/model.json --data samples/digits/test.csv --method gradient ig \
    --pixels docs/digits-sensitivity-pixels.svg -o /dev/null
$distill neurons samples/digits/model.json --data samples/digits/train.csv --label digit --groups 4 \
    --pixels docs/digits-neurons-pixels.svg -o /dev/null

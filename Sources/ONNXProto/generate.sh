#!/bin/sh
# Regenerates onnx.pb.swift from onnx.proto (copied from github.com/onnx/onnx, onnx/onnx.proto at commit
# f7546912001bc31e92a238b17068a21b373d882e). Needs protoc (apt-get install protobuf-compiler); the Swift
# plugin is built from the swift-protobuf package this package already depends on.
set -e
cd "$(dirname "$0")/../.."
swift build --product protoc-gen-swift
protoc --plugin=protoc-gen-swift=.build/debug/protoc-gen-swift --swift_opt=Visibility=Public \
    --swift_out=Sources/ONNXProto -ISources/ONNXProto Sources/ONNXProto/onnx.proto

// swift-tools-version:6.0
import PackageDescription

// On x86-64 the library is compiled for Nehalem's instructions (x86-64-v2: SSE4.2 and POPCNT, every x86-64 processor since
// 2009): the rule searches count the bits of their coverage words with one instruction each instead of
// about a dozen.
#if arch(x86_64)
let processorFlags = ["-target-cpu", "nehalem"]
#else
let processorFlags: [String] = []
#endif

let package = Package(
    name: "distill",
    products: [
        .library(name: "Distill", targets: ["Distill"]),
        .executable(name: "distill", targets: ["distill"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0"),
        .package(url: "https://github.com/apple/swift-protobuf", from: "1.39.0"),
        // `make docs` only: `swift package generate-documentation` (DocC) for the Distill library.
        .package(url: "https://github.com/swiftlang/swift-docc-plugin", from: "1.5.0"),
    ],
    targets: [
        .systemLibrary(
            name: "CJSONC",
            pkgConfig: "json-c",
            providers: [.apt(["libjson-c-dev"])]
        ),
        // onnx.proto's messages, generated once by Sources/ONNXProto/generate.sh (committed).
        .target(
            name: "ONNXProto",
            dependencies: [.product(name: "SwiftProtobuf", package: "swift-protobuf")],
            exclude: ["generate.sh", "onnx.proto"]
        ),
        .target(
            name: "Distill",
            dependencies: ["CJSONC", "ONNXProto"],
            exclude: ["Analysis/make_sobol_directions.py", "Import/make_powers_of_ten.py", "Evaluate/make_erfc_chebyshev.py"],
            swiftSettings: [.unsafeFlags(processorFlags), .unsafeFlags(["-O"], .when(configuration: .debug))]
        ),
        .executableTarget(
            name: "distill",
            dependencies: [
                "Distill",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ],
            plugins: ["CommitStamp"]
        ),
        // `distill --version` names the commit it was built from (Plugins/CommitStamp).
        .plugin(name: "CommitStamp", capability: .buildTool()),
        .executableTarget(
            name: "DistillBench",
            dependencies: ["Distill"]
        ),
        .testTarget(
            name: "DistillTests",
            dependencies: ["Distill", "ONNXProto"],
            exclude: ["Fixtures"]
        ),
        .testTarget(
            name: "CLITests",
            dependencies: ["Distill"],
            exclude: ["Golden", "BadInputs"]
        ),
    ]
)

// libFuzzer harnesses for the front ends (make fuzz): only with DISTILL_FUZZ set, because they link
// libFuzzer (-sanitize=fuzzer), which an ordinary build does not.
if Context.environment["DISTILL_FUZZ"] != nil {
    package.targets += [
        .target(name: "CFuzzerDriver"),
        .executableTarget(name: "DistillFuzz", dependencies: ["Distill", "CFuzzerDriver"]),
    ]
}

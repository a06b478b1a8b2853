// swift-tools-version:6.0
import PackageDescription

// An app that depends on distill by path: it fits a surrogate of the iris sample network in code and
// embeds the Swift source distill generates for it (Sources/FitSurrogate/IrisSurrogate.swift).
let package = Package(
    name: "FitSurrogate",
    dependencies: [
        .package(name: "distill", path: "../.."),
    ],
    targets: [
        .executableTarget(
            name: "FitSurrogate",
            dependencies: [.product(name: "Distill", package: "distill")]
        ),
    ]
)

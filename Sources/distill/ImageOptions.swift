import ArgumentParser
import Distill

/// The pixel-map options of `explain`, `sensitivity` and `neurons`: which inputs form an image (the model's
/// own `"image"` unless `--image` says otherwise) and where the maps are drawn.
struct ImageOptions: ParsableArguments {
    @Option(help: "The first WIDTHxHEIGHT inputs are the pixels of a one-channel image, row by row (e.g. 8x8), overriding the model's own \"image\" member.")
    var image: String?

    @Option(help: "For a model with an image (its \"image\" member, or --image): draw the pixel maps (SVG) here.")
    var pixels: String?

    func validate() throws {
        if let image, Self.size(image) == nil { throw ValidationError("--image must be WIDTHxHEIGHT with positive numbers, e.g. 8x8; found '\(image)'") }
    }

    /// "8x8" as (width 8, height 8).
    static func size(_ text: String) -> (width: Int, height: Int)? {
        let parts = text.lowercased().split(separator: "x")
        guard parts.count == 2, let width = Int(parts[0]), let height = Int(parts[1]), width > 0, height > 0,
              !width.multipliedReportingOverflow(by: height).overflow else { return nil }
        return (width, height)
    }

    /// The image of `network`: `--image` when given (checked against the inputs), else the model's; a
    /// diagnostic when `--pixels` asks for maps of a model without one.
    func shape(of network: Network, model: String) throws -> ImageShape? {
        var shape = network.image
        if let image, let size = Self.size(image) {
            guard size.width * size.height <= network.schema.count else {
                throw Diagnostic(file: model, "--image \(image) has \(size.width * size.height) pixels; the model has \(network.schema.count) inputs", failure: .usage)
            }
            if let categorical = network.schema.features.prefix(size.width * size.height).first(where: \.isCategorical) {
                throw Diagnostic(file: model, "--image \(image) covers input '\(categorical.name)', which is categorical; an image's inputs must be continuous or binary", failure: .usage)
            }
            shape = ImageShape(height: size.height, width: size.width)
        }
        if pixels != nil, shape == nil {
            throw Diagnostic(file: model, "--pixels draws maps over an image, and the model declares none (its \"image\" member); give --image WIDTHxHEIGHT", failure: .usage)
        }
        return shape
    }
}

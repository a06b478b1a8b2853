/// A run of raw inputs that are the pixels of an image (the model format's `"image"` member): `height` rows
/// of `width` pixels with `channels` values each, starting at raw feature `firstInput`. With several channels
/// the values are laid out channel by channel (`channelsLast == false`, PyTorch's `C x H x W`) or pixel by
/// pixel (`channelsLast`, Keras's `H x W x C`). Pixel maps (`distill explain`, `sensitivity`, `neurons`) are
/// drawn over this shape.
public struct ImageShape: Equatable, Sendable {
    /// Rows of pixels.
    public var height: Int
    /// Pixels per row.
    public var width: Int
    /// Values per pixel.
    public var channels: Int
    /// Whether a pixel's channels are adjacent (`H x W x C`) rather than one channel plane after another.
    public var channelsLast: Bool
    /// The raw feature that holds the first value (row 0, column 0, channel 0).
    public var firstInput: Int

    /// Creates a shape; by default one channel, channels last, starting at the first raw feature.
    public init(height: Int, width: Int, channels: Int = 1, channelsLast: Bool = true, firstInput: Int = 0) {
        self.height = height
        self.width = width
        self.channels = channels
        self.channelsLast = channelsLast
        self.firstInput = firstInput
    }

    /// Pixels per channel.
    public var pixelCount: Int { height * width }

    /// Raw features the image spans.
    public var inputs: Range<Int> { firstInput..<(firstInput + pixelCount * channels) }

    /// The raw feature holding channel `channel` of pixel `pixel` (row-major, `y * width + x`).
    public func feature(pixel: Int, channel: Int = 0) -> Int {
        firstInput + (channelsLast ? pixel * channels + channel : channel * pixelCount + pixel)
    }

    /// Per pixel, the sum over its channels of a per-feature `values` (an attribution map over the image).
    public func pixelSums(_ values: [Double]) -> [Double] {
        (0..<pixelCount).map { pixel in (0..<channels).reduce(0.0) { $0 + values[feature(pixel: pixel, channel: $1)] } }
    }

    /// Per pixel, `channels` values of `values` (the channels of a row or a maximising input).
    public func pixelValues(_ values: [Double], pixel: Int) -> [Double] {
        (0..<channels).map { values[feature(pixel: pixel, channel: $0)] }
    }

    /// The raw features of the pixels in rows `rows` and columns `columns`, every channel.
    public func features(rows: Range<Int>, columns: Range<Int>) -> [Int] {
        var result: [Int] = []
        for y in rows { for x in columns { for channel in 0..<channels { result.append(feature(pixel: y * width + x, channel: channel)) } } }
        return result
    }
}

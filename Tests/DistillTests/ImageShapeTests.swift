@testable import Distill
import Foundation
import Testing

/// The model format's `"image"` member: decoded, located when wrong, written back by `ModelDocument`, and the
/// layouts of `ImageShape` against hand-written indices.
struct ImageShapeTests {
    /// The decoder test model with an `"image"` member (its inputs: a, b continuous; c categorical).
    static func model(image: String) -> String {
        ModelDecoderTests.mutated("\"outputs\": [\"no\", \"yes\"],", "\"image\": \(image),\n  \"outputs\": [\"no\", \"yes\"],")
    }

    @Test func aDeclaredImageIsDecodedAndWrittenBack() throws {
        let network = try Fixtures.decode(Self.model(image: "{\"height\": 1, \"width\": 1, \"channels\": 2, \"layout\": \"chw\", \"inputs\": [\"a\", \"b\"]}"))
        #expect(network.image == ImageShape(height: 1, width: 1, channels: 2, channelsLast: false, firstInput: 0))
        let again = try Fixtures.decode(ModelDocument.render(network))
        #expect(again == network)
        let plain = try Fixtures.decode(Self.model(image: "{\"height\": 2, \"width\": 1, \"inputs\": [\"a\", \"b\"], \"layout\": null}"))
        #expect(plain.image == ImageShape(height: 2, width: 1))
        #expect(try Fixtures.decode(ModelDocument.render(plain)) == plain)
        #expect(try Fixtures.decode(Self.model(image: "null")).image == nil)
    }

    struct Case: CustomTestStringConvertible, Sendable {
        var image: String
        var location: String
        var message: String
        var testDescription: String { image }
    }

    static let cases: [Case] = [
        Case(image: "{\"height\": 1, \"width\": 1, \"inputs\": [\"a\", \"b\"]}", location: "image.inputs",
             message: "the image is 1 x 1 x 1 = 1 values, but inputs[0] to inputs[1] are 2"),
        Case(image: "{\"height\": 1, \"width\": 2, \"inputs\": [\"b\", \"a\"]}", location: "image.inputs",
             message: "the image is 1 x 2 x 1 = 2 values, but inputs[1] to inputs[0] are 0"),
        Case(image: "{\"height\": 1, \"width\": 2, \"inputs\": [\"a\", \"z\"]}", location: "image.inputs[1]",
             message: "unknown input \"z\"; expected the name of an input"),
        Case(image: "{\"height\": 1, \"width\": 3, \"inputs\": [\"a\", \"c\"]}", location: "image.inputs",
             message: "input \"c\" (inputs[2]) is categorical"),
        Case(image: "{\"height\": 0, \"width\": 2, \"inputs\": [\"a\", \"b\"]}", location: "image.height",
             message: "expected a positive integer, found 0"),
        Case(image: "{\"width\": 2, \"inputs\": [\"a\", \"b\"]}", location: "image", message: "missing required member \"height\""),
        Case(image: "{\"height\": 1, \"width\": 2, \"inputs\": [\"a\"]}", location: "image.inputs",
             message: "expected the names of the first and last input of the image, found 1 items"),
        Case(image: "{\"height\": 1, \"width\": 2, \"layout\": \"nhwc\", \"inputs\": [\"a\", \"b\"]}", location: "image.layout",
             message: "unknown layout \"nhwc\""),
        Case(image: "{\"height\": 1, \"width\": 2, \"depth\": 1, \"inputs\": [\"a\", \"b\"]}", location: "image.depth", message: "unknown member"),
        Case(image: "[1, 2]", location: "image", message: "expected an object"),
        Case(image: "{\"height\": 999999999999999, \"width\": 999999999999999, \"inputs\": [\"a\", \"b\"]}", location: "image.inputs",
             message: "= too many values, but inputs[0] to inputs[1] are 2"),
    ]

    @Test(arguments: cases)
    func aWrongImageIsLocated(_ example: Case) throws {
        let diagnostic = expectDiagnostic { _ = try Fixtures.decode(Self.model(image: example.image)) }
        #expect(diagnostic?.location == .jsonPath(example.location), "\(String(describing: diagnostic))")
        #expect(diagnostic?.message.contains(example.message) == true, "\(String(describing: diagnostic))")
    }

    /// Both layouts against indices written out by hand for a 2 x 3 image of 2 channels after one other input.
    @Test func layoutsPlaceEachChannel() {
        let last = ImageShape(height: 2, width: 3, channels: 2, channelsLast: true, firstInput: 1)
        let first = ImageShape(height: 2, width: 3, channels: 2, channelsLast: false, firstInput: 1)
        // Pixel (row 1, column 2) is pixel 5; its channel 1.
        #expect(last.feature(pixel: 5, channel: 1) == 1 + 5 * 2 + 1)
        #expect(first.feature(pixel: 5, channel: 1) == 1 + 6 + 5)
        #expect(last.inputs == 1..<13 && first.inputs == 1..<13)
        let values = (0..<13).map(Double.init)
        #expect(last.pixelSums(values)[5] == 12 + 11)
        #expect(first.pixelSums(values)[5] == 6 + 12)
        #expect(first.features(rows: 1..<2, columns: 0..<1) == [4, 10])
    }
}

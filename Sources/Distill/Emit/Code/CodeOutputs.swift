import Foundation

/// Which generated-code files a command writes, and where.
public struct CodeOutputs: Equatable, Sendable {
    /// A single Swift source file.
    public var swiftPath: String?
    /// A single C99 header.
    public var cPath: String?
    /// A folder for a complete Swift package (manifest, source, tests).
    public var packageDirectory: String?

    /// Creates outputs; each is off unless a path is given.
    public init(swiftPath: String? = nil, cPath: String? = nil, packageDirectory: String? = nil) {
        self.swiftPath = swiftPath
        self.cPath = cPath
        self.packageDirectory = packageDirectory
    }

    /// Whether no file is requested.
    public var isEmpty: Bool { swiftPath == nil && cPath == nil && packageDirectory == nil }

    /// Queues every requested file for `surrogate` in `files`.
    public func queue(_ surrogate: GeneratedSurrogate, examples: [Double], into files: inout OutputFiles) throws {
        try surrogate.surrogate.checkFinite(file: swiftPath ?? cPath ?? packageDirectory ?? "")
        if let swiftPath { try files.add(SwiftSourceEmitter.render(surrogate), to: swiftPath) }
        if let cPath { try files.add(CHeaderEmitter.render(surrogate), to: cPath) }
        if let packageDirectory {
            for (path, text) in SwiftPackageEmitter.render(surrogate, examples: examples) {
                try files.add(text, to: URL(fileURLWithPath: packageDirectory).appendingPathComponent(path).path)
            }
        }
    }

    /// Whether `name` can be used as the generated type's name (an identifier, not a keyword).
    public static func isValidTypeName(_ name: String) -> Bool {
        guard let first = name.unicodeScalars.first, first == "_" || (first.isASCII && first.properties.isAlphabetic) else {
            return false
        }
        let valid = name.unicodeScalars.allSatisfy { $0 == "_" || ($0.isASCII && ($0.properties.isAlphabetic || ("0"..."9").contains($0))) }
        return valid && !SwiftIdentifier.keywords.contains(name) && !GeneratedNames.reservedTypes.contains(name)
    }
}

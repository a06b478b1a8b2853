import Foundation

/// Reading input files, with diagnostics that name the file.
public enum FileInput {
    /// The bytes of the file at `path`.
    public static func readBytes(path: String) throws -> [UInt8] {
        guard let handle = FileHandle(forReadingAtPath: path) else {
            var isDirectory: ObjCBool = false
            if FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) {
                throw Diagnostic(file: path, isDirectory.boolValue ? "is a directory, expected a file" : "cannot be read (permission denied?)")
            }
            throw Diagnostic(file: path, "no such file")
        }
        defer { try? handle.close() }
        let data = (try? handle.readToEnd()) ?? Data()
        return [UInt8](data)
    }
}

import Foundation

/// Writes a command's output files all-or-nothing: every file goes to a temporary file beside its
/// destination first, and only when all are written are they renamed into place. An input file is
/// never overwritten.
public struct OutputFiles {
    private var pending: [(path: String, text: String)] = []
    private let inputs: [String]

    /// `inputs`: files the command read, which must not be written to.
    public init(inputs: [String]) {
        self.inputs = inputs
    }

    /// Queues `text` for `path`.
    public mutating func add(_ text: String, to path: String) throws {
        if let input = inputs.first(where: { Self.sameFile($0, path) }) {
            throw Diagnostic(file: path, "refusing to overwrite an input file (\(input)); choose another output path")
        }
        if let earlier = pending.first(where: { Self.sameFile($0.path, path) }) {
            throw Diagnostic(file: path, "named for two outputs (also \(earlier.path))")
        }
        pending.append((path, text))
    }

    /// Writes every queued file; on any failure no destination is changed. Missing parent folders of
    /// the destinations are created first.
    public func commit() throws {
        var written: [(temporary: String, path: String)] = []
        for (path, _) in pending {
            let directory = URL(fileURLWithPath: path).deletingLastPathComponent().path
            if !FileManager.default.fileExists(atPath: directory) {
                do {
                    try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
                } catch {
                    throw Diagnostic(file: path, "cannot create the folder '\(directory)'")
                }
            }
        }
        do {
            for (path, text) in pending where Self.standardStream(path) != nil {
                Self.standardStream(path)!.write(Data(text.utf8))
            }
            for (path, text) in pending where Self.standardStream(path) == nil && Self.isSpecialFile(path) {
                // A symbolic link, device or pipe (e.g. /dev/stdout) must not be replaced by a rename:
                // write through it instead.
                guard let handle = FileHandle(forWritingAtPath: path) else {
                    throw Diagnostic(file: path, "cannot open for writing")
                }
                handle.write(Data(text.utf8))
                try? handle.close()
            }
            for (named, text) in pending where Self.standardStream(named) == nil && !Self.isSpecialFile(named) {
                let path = Self.resolvingLinks(named)
                let temporary = Self.temporaryPath(for: path)
                guard FileManager.default.createFile(atPath: temporary, contents: Data(text.utf8)) else {
                    let directory = (path as NSString).deletingLastPathComponent
                    throw Diagnostic(file: path, "cannot write here (does the directory '\(directory.isEmpty ? "." : directory)' exist and is it writable?)")
                }
                written.append((temporary, path))
            }
            for (temporary, path) in written {
                guard rename(temporary, path) == 0 else {
                    throw Diagnostic(file: path, "cannot replace the file: \(String(cString: strerror(errno)))")
                }
            }
        } catch {
            for (temporary, _) in written { unlink(temporary) }
            throw error
        }
    }

    private static func temporaryPath(for path: String) -> String {
        let url = URL(fileURLWithPath: path)
        let name = ".\(url.lastPathComponent).distill-\(getpid()).tmp"
        return url.deletingLastPathComponent().appendingPathComponent(name).path
    }

    /// The process's own standard output or error for `/dev/stdout`-like paths (opening those anew would
    /// start writing at the beginning of a redirected file).
    static func standardStream(_ path: String) -> FileHandle? {
        switch path {
        case "/dev/stdout", "/dev/fd/1", "/proc/self/fd/1": return FileHandle.standardOutput
        case "/dev/stderr", "/dev/fd/2", "/proc/self/fd/2": return FileHandle.standardError
        default: return nil
        }
    }

    /// Whether `path` is a device, pipe or socket, or a link into /dev or /proc (e.g. /dev/stdout), which
    /// a rename must not replace: such outputs are written through directly.
    static func isSpecialFile(_ path: String) -> Bool {
        var info = stat()
        guard lstat(path, &info) == 0 else { return false }
        if info.st_mode & S_IFMT == S_IFLNK {
            let resolved = resolvingLinks(path)
            if path.hasPrefix("/dev/") || resolved.hasPrefix("/proc/") || resolved.hasPrefix("/dev/") { return true }
            guard stat(path, &info) == 0 else { return false }
        }
        let type = info.st_mode & S_IFMT
        return type != S_IFREG && type != S_IFDIR
    }

    /// The path with symbolic links resolved (so that replacing a linked file keeps the link).
    static func resolvingLinks(_ path: String) -> String {
        guard let resolved = realpath(path, nil) else { return path }
        defer { free(resolved) }
        return String(cString: resolved)
    }

    /// Whether two paths name the same existing file (same device and inode), or the same path.
    static func sameFile(_ a: String, _ b: String) -> Bool {
        var first = stat(), second = stat()
        if stat(a, &first) == 0, stat(b, &second) == 0 {
            return first.st_dev == second.st_dev && first.st_ino == second.st_ino
        }
        return URL(fileURLWithPath: a).standardizedFileURL.path == URL(fileURLWithPath: b).standardizedFileURL.path
    }
}

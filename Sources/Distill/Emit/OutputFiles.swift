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
            throw Diagnostic(file: path, "refusing to overwrite an input file (\(input)); choose another output path", failure: .cannotCreate)
        }
        if let earlier = pending.first(where: { Self.sameFile($0.path, path) }) {
            throw Diagnostic(file: path, "named for two outputs (also \(earlier.path))", failure: .usage)
        }
        pending.append((path, text))
    }

    /// Writes every queued file; on any failure no destination is changed: each file is written to a
    /// temporary file beside it, and only when all are written are they renamed into place, the files they
    /// replace kept (hard-linked) until every rename has succeeded and put back when one fails. Missing
    /// parent folders of the destinations are created first. The temporary files are removed when the
    /// process is interrupted or terminated (SIGINT, SIGTERM) while they exist.
    public func commit() throws {
        for (path, _) in pending {
            var info = stat()
            if stat(path, &info) == 0, info.st_mode & S_IFMT == S_IFDIR {
                throw Diagnostic(file: path, "is a directory; expected the path of an output file", failure: .cannotCreate)
            }
            let directory = URL(fileURLWithPath: path).deletingLastPathComponent().path
            if !FileManager.default.fileExists(atPath: directory) {
                do {
                    try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
                } catch {
                    throw Diagnostic(file: path, "cannot create the folder '\(directory)'", failure: .cannotCreate)
                }
            }
        }
        for (path, text) in pending {
            if let descriptor = Self.standardStream(path) { try Self.write(text, to: descriptor, path: path) }
        }
        for (path, text) in pending where Self.standardStream(path) == nil && Self.isSpecialFile(path) {
            // A symbolic link, device or pipe (e.g. /dev/stdout) must not be replaced by a rename: write
            // through it instead.
            let descriptor = open(path, O_WRONLY | O_CLOEXEC)
            guard descriptor >= 0 else {
                throw Diagnostic(file: path, "cannot open for writing: \(String(cString: strerror(errno)))", failure: .cannotCreate)
            }
            defer { close(descriptor) }
            try Self.write(text, to: descriptor, path: path)
        }
        let files = pending.filter { Self.standardStream($0.path) == nil && !Self.isSpecialFile($0.path) }
            .map { (text: $0.text, path: Self.resolvingLinks($0.path)) }
        let temporaries = files.map { Self.temporaryPath(for: $0.path, kind: "tmp") }
        let backups = files.map { Self.temporaryPath(for: $0.path, kind: "old") }
        InterruptCleanup.shared.register(temporaries + backups)
        defer {
            for path in temporaries + backups { unlink(path) }
            InterruptCleanup.shared.unregister()
        }
        for ((text, path), temporary) in zip(files, temporaries) {
            let descriptor = open(temporary, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o666)
            guard descriptor >= 0 else {
                let directory = (path as NSString).deletingLastPathComponent
                throw Diagnostic(file: path, "cannot write here: \(String(cString: strerror(errno))) (does the directory '\(directory.isEmpty ? "." : directory)' exist and is it writable?)",
                                 failure: .cannotCreate)
            }
            defer { close(descriptor) }
            try Self.write(text, to: descriptor, path: path)
        }
        // Tests interrupt a real run here, with every temporary file written (`DISTILL_PAUSE_BEFORE_RENAME`:
        // milliseconds to wait).
        if let pause = ProcessInfo.processInfo.environment["DISTILL_PAUSE_BEFORE_RENAME"].flatMap(UInt32.init) { usleep(pause * 1000) }
        // Renamed in order; on a failure the ones already in place are put back as they were.
        var replaced: [(path: String, backup: String?)] = []
        for (index, (_, path)) in files.enumerated() {
            let backup = link(path, backups[index]) == 0 ? backups[index] : nil
            guard rename(temporaries[index], path) == 0 else {
                let reason = String(cString: strerror(errno))
                for (earlier, saved) in replaced.reversed() {
                    if let saved { rename(saved, earlier) } else { unlink(earlier) }
                }
                throw Diagnostic(file: path, "cannot replace the file: \(reason)", failure: .cannotCreate)
            }
            replaced.append((path, backup))
        }
    }

    /// Writes all of `text` to an open file, retrying short writes; a failure is a diagnostic naming
    /// `path` and the system's reason (a full disk, a closed pipe), never a crash.
    public static func write(_ text: String, to descriptor: Int32, path: String) throws {
        var text = text
        try text.withUTF8 { bytes in
            var offset = 0
            while offset < bytes.count {
                let count = Foundation.write(descriptor, bytes.baseAddress! + offset, bytes.count - offset)
                if count < 0 && errno == EINTR { continue }
                guard count > 0 else {
                    throw Diagnostic(file: path, "cannot write: \(String(cString: strerror(count < 0 ? errno : EIO)))", failure: .inputOutput)
                }
                offset += count
            }
        }
    }

    private static func temporaryPath(for path: String, kind: String) -> String {
        let url = URL(fileURLWithPath: path)
        let name = ".\(url.lastPathComponent).distill-\(getpid()).\(kind)"
        return url.deletingLastPathComponent().appendingPathComponent(name).path
    }

    /// The process's own standard output or error for `/dev/stdout`-like paths (opening those anew would
    /// start writing at the beginning of a redirected file).
    static func standardStream(_ path: String) -> Int32? {
        switch path {
        case "/dev/stdout", "/dev/fd/1", "/proc/self/fd/1": return STDOUT_FILENO
        case "/dev/stderr", "/dev/fd/2", "/proc/self/fd/2": return STDERR_FILENO
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

/// The temporary files of a commit in progress, removed if SIGINT or SIGTERM arrives before the commit
/// ends (the handler then lets the signal end the process as it would have). The paths are kept as C
/// strings the handler can reach without allocating.
final class InterruptCleanup: @unchecked Sendable {
    static let shared = InterruptCleanup()

    private let lock = NSLock()
    private var installed = false

    func register(_ paths: [String]) {
        lock.lock()
        defer { lock.unlock() }
        if !installed {
            installed = true
            var unblocked = sigset_t()
            sigemptyset(&unblocked)
            for number in [SIGINT, SIGTERM] {
                // A signal the parent set to be ignored (a background job's SIGINT) stays ignored.
                if let previous = signal(number, interruptCleanupHandler),
                   unsafeBitCast(previous, to: Int.self) == unsafeBitCast(SIG_IGN, to: Int.self) {
                    signal(number, SIG_IGN)
                }
                sigaddset(&unblocked, number)
            }
            // A parent may hand down a mask that blocks them; this thread takes them (the others keep
            // theirs, so the handler runs here).
            pthread_sigmask(SIG_UNBLOCK, &unblocked, nil)
        }
        releasePaths()
        let list = UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>.allocate(capacity: paths.count)
        for (index, path) in paths.enumerated() { list[index] = strdup(path) }
        cleanupCount = 0
        cleanupPaths = list
        cleanupCount = paths.count
    }

    func unregister() {
        lock.lock()
        defer { lock.unlock() }
        releasePaths()
    }

    private func releasePaths() {
        let (list, count) = (cleanupPaths, cleanupCount)
        cleanupCount = 0
        cleanupPaths = nil
        guard let list else { return }
        for index in 0..<count { free(list[index]) }
        list.deallocate()
    }
}

nonisolated(unsafe) private var cleanupPaths: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?
nonisolated(unsafe) private var cleanupCount = 0

private func interruptCleanupHandler(_ signalNumber: Int32) {
    if let list = cleanupPaths {
        for index in 0..<cleanupCount { if let path = list[index] { unlink(path) } }
    }
    signal(signalNumber, SIG_DFL)
    raise(signalNumber)
}

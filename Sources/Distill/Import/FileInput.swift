import Foundation
import Synchronization

/// Reading input files, with diagnostics that name the file.
public enum FileInput {
    /// The largest file read whole (models, saved surrogates, names, and CSVs that need the general
    /// reader), in bytes: `--max-input-size`, by default a quarter of the machine's memory. A CSV read
    /// straight into values or streamed is not bound by it (its memory is that of its values).
    public static let maximumBytes = Atomic<Int>(defaultMaximumBytes)

    /// A quarter of the machine's memory.
    public static var defaultMaximumBytes: Int { Int(clamping: ProcessInfo.processInfo.physicalMemory / 4) }

    /// The bytes of the file at `path`, read straight into the array (one copy of the file in memory).
    static func readBytes(path: String) throws -> [UInt8] {
        let handle = try open(path, limited: true)
        defer { try? handle.close() }
        return try read(handle, path: path)
    }

    /// Calls `body` with the contents of the file at `path`: a regular file is mapped into memory (its
    /// pages come straight from the page cache, nothing is copied), anything else is read.
    static func withContents<Result>(path: String, _ body: (UnsafeBufferPointer<UInt8>) throws -> Result) throws -> Result {
        try withContents(path: path, limited: true) { bytes, _ in try body(bytes) }
    }

    /// The size in bytes of the regular file at `path`; nil for anything else or when it cannot be read.
    static func size(path: String) -> Int? {
        var status = stat()
        guard stat(path, &status) == 0, (status.st_mode & S_IFMT) == S_IFREG else { return nil }
        return Int(status.st_size)
    }

    /// `withContents`, telling `body` whether the bytes are the file's mapping (then `releasePages` may
    /// hand parsed parts back to the page cache); `limited`: the file must be within `maximumBytes`.
    static func withContents<Result>(path: String, limited: Bool,
                                     _ body: (UnsafeBufferPointer<UInt8>, _ mapped: Bool) throws -> Result) throws -> Result {
        let handle = try open(path, limited: limited)
        defer { try? handle.close() }
        var status = stat()
        if fstat(handle.fileDescriptor, &status) == 0, (status.st_mode & S_IFMT) == S_IFREG, status.st_size > 0,
           let mapped = mmap(nil, Int(status.st_size), PROT_READ, MAP_PRIVATE, handle.fileDescriptor, 0), mapped != MAP_FAILED {
            defer { munmap(mapped, Int(status.st_size)) }
            return try body(UnsafeBufferPointer(start: mapped.assumingMemoryBound(to: UInt8.self), count: Int(status.st_size)), true)
        }
        return try read(handle, path: path).withUnsafeBufferPointer { try body($0, false) }
    }

    /// Drops the whole pages inside `start..<end` of a read-only file mapping from this process's memory;
    /// reading them again fetches them from the page cache. Never call it on anything but such a mapping
    /// (on ordinary memory it would discard the contents).
    static func releasePages(_ start: UnsafePointer<UInt8>, _ end: UnsafePointer<UInt8>) {
        let page = Int(sysconf(Int32(_SC_PAGESIZE)))
        let first = (Int(bitPattern: start) + page - 1) / page * page
        let last = Int(bitPattern: end) / page * page
        guard last > first, let pointer = UnsafeMutableRawPointer(bitPattern: first) else { return }
        _ = madvise(pointer, last - first, Int32(MADV_DONTNEED))
    }

    /// The path of `relative`, a file a model names as lying next to it (ONNX external data, TF.js
    /// shards), or nil when it would leave the model's folder (absolute, or through "..").
    static func path(_ relative: String, besideModel modelPath: String) -> String? {
        guard !relative.isEmpty, !relative.hasPrefix("/"), !relative.split(separator: "/").contains("..") else { return nil }
        let directory = (modelPath as NSString).deletingLastPathComponent
        return directory.isEmpty ? relative : (directory as NSString).appendingPathComponent(relative)
    }

    /// Opens a regular file; anything else (a directory, a FIFO that might never be written, a device
    /// such as /dev/zero that never ends) is refused before it is opened.
    private static func open(_ path: String, limited: Bool) throws -> FileHandle {
        var status = stat()
        guard stat(path, &status) == 0 else {
            let reason = errno
            throw Diagnostic(file: path, reason == ENOENT ? "no such file" : "cannot be read: \(String(cString: strerror(reason)))",
                             failure: .noInput)
        }
        switch status.st_mode & S_IFMT {
        case S_IFREG: break
        case S_IFDIR: throw Diagnostic(file: path, "is a directory, expected a file", failure: .noInput)
        case S_IFIFO: throw Diagnostic(file: path, "is a pipe (FIFO), expected a regular file (save the data to a file first)", failure: .noInput)
        case S_IFCHR, S_IFBLK: throw Diagnostic(file: path, "is a device, expected a regular file", failure: .noInput)
        default: throw Diagnostic(file: path, "is not a regular file", failure: .noInput)
        }
        let limit = maximumBytes.load(ordering: .relaxed)
        if limited, status.st_size > limit {
            throw Diagnostic(file: path, "is \(ByteCount.text(Int(status.st_size))), more than {maximumBytes} \(ByteCount.text(limit))\(limit == defaultMaximumBytes ? " (a quarter of this machine's memory)" : ""); raise {maximumBytes} to read it",
                             failure: .usage)
        }
        guard let handle = FileHandle(forReadingAtPath: path) else {
            throw Diagnostic(file: path, "cannot be read: \(String(cString: strerror(errno))) (permission denied?)", failure: .noInput)
        }
        return handle
    }

    private static func read(_ handle: FileHandle, path: String) throws -> [UInt8] {
        let descriptor = handle.fileDescriptor
        var status = stat()
        guard fstat(descriptor, &status) == 0 else {
            throw Diagnostic(file: path, "cannot be read: \(String(cString: strerror(errno)))", failure: .inputOutput)
        }
        var bytes = [UInt8](repeating: 0, count: max(Int(status.st_size), 4096))
        var filled = 0
        while true {
            if filled == bytes.count { bytes.append(contentsOf: [UInt8](repeating: 0, count: max(4096, bytes.count / 2))) }
            let count = bytes.withUnsafeMutableBytes { buffer in
                Foundation.read(descriptor, buffer.baseAddress! + filled, buffer.count - filled)
            }
            if count < 0, errno == EINTR { continue }
            if count < 0 {
                throw Diagnostic(file: path, "read failed: \(String(cString: strerror(errno)))", failure: .inputOutput)
            }
            guard count > 0 else { break }
            filled += count
        }
        bytes.removeLast(bytes.count - filled)
        return bytes
    }
}

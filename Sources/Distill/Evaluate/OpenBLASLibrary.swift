#if !canImport(Accelerate) && canImport(Glibc)
import Glibc

/// OpenBLAS on Linux, loaded at its first use with `dlopen` rather than linked, so that distill chooses
/// its kernels: OpenBLAS picks the kernels for the CPU when it loads, unless `OPENBLAS_CORETYPE` forces a
/// core. That variable is often set for other programs in the environment (seen here: `Haswell` on an
/// AVX-512 machine, which costs distill's forward pass a third of its speed), so it is removed while
/// OpenBLAS loads and put back right after; `DISTILL_BLAS_CORETYPE` forces a core for distill alone.
///
/// OpenBLAS runs every call on the calling thread, since distill spreads its own row blocks over the
/// cores (and a result must not depend on how many threads BLAS would use). Its thread pool, started
/// when the library loads, is shut down: idle, its threads spin for a while and take turns on the cores
/// distill's own workers need.
struct OpenBLASLibrary: @unchecked Sendable {
    /// `cblas_dgemm(order, transA, transB, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc)`.
    typealias DGEMM = @convention(c) (Int32, Int32, Int32, Int32, Int32, Int32, Double, UnsafePointer<Double>?, Int32,
                                      UnsafePointer<Double>?, Int32, Double, UnsafeMutablePointer<Double>?, Int32) -> Void
    /// `cblas_sgemm`, the same product in single precision.
    typealias SGEMM = @convention(c) (Int32, Int32, Int32, Int32, Int32, Int32, Float, UnsafePointer<Float>?, Int32,
                                      UnsafePointer<Float>?, Int32, Float, UnsafeMutablePointer<Float>?, Int32) -> Void
    /// CBLAS's enumerations.
    static let rowMajor: Int32 = 101, noTranspose: Int32 = 111, transpose: Int32 = 112

    let dgemm: DGEMM
    /// Nil when the library has no `cblas_sgemm` (single-precision labelling then falls back to Double).
    let sgemm: SGEMM?
    /// The kernels OpenBLAS chose (`openblas_get_corename`), e.g. "Cooperlake".
    let coreName: String

    /// The library, or nil when no OpenBLAS can be loaded (the BLAS kernel then computes as the reference).
    static let shared: OpenBLASLibrary? = load()

    private static func load() -> OpenBLASLibrary? {
        let variable = "OPENBLAS_CORETYPE"
        let inherited = getenv(variable).map { String(cString: $0) }
        if let forced = getenv("DISTILL_BLAS_CORETYPE").map({ String(cString: $0) }), !forced.isEmpty {
            setenv(variable, forced, 1)
        } else {
            unsetenv(variable)
        }
        let handle = dlopen("libopenblas.so.0", RTLD_NOW | RTLD_LOCAL) ?? dlopen("libopenblas.so", RTLD_NOW | RTLD_LOCAL)
        if let inherited { setenv(variable, inherited, 1) } else { unsetenv(variable) }
        guard let handle, let dgemm = dlsym(handle, "cblas_dgemm") else { return nil }
        if let setThreads = dlsym(handle, "openblas_set_num_threads") {
            unsafeBitCast(setThreads, to: (@convention(c) (Int32) -> Void).self)(1)
        }
        if let shutdown = dlsym(handle, "blas_thread_shutdown_") {
            _ = unsafeBitCast(shutdown, to: (@convention(c) () -> Int32).self)()
        }
        var coreName = "unknown"
        if let name = dlsym(handle, "openblas_get_corename"),
           let text = unsafeBitCast(name, to: (@convention(c) () -> UnsafePointer<CChar>?).self)() {
            coreName = String(cString: text)
        }
        return OpenBLASLibrary(dgemm: unsafeBitCast(dgemm, to: DGEMM.self),
                               sgemm: dlsym(handle, "cblas_sgemm").map { unsafeBitCast($0, to: SGEMM.self) }, coreName: coreName)
    }
}
#endif

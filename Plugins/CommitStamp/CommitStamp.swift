import Foundation
import PackagePlugin

/// Stamps the `distill` executable with the commit it was built from (`distill --version`): before every
/// build, a shell writes `let buildCommit = "<short hash>[+changes]"` to a generated Swift file, or
/// "unknown" outside a git checkout. The file is only rewritten when the stamp changes, so an unchanged
/// checkout rebuilds nothing.
@main
struct CommitStamp: BuildToolPlugin {
    func createBuildCommands(context: PluginContext, target: Target) throws -> [Command] {
        let output = context.pluginWorkDirectoryURL.appending(path: "Generated")
        let file = output.appending(path: "BuildCommit.swift").path
        let package = context.package.directoryURL.path
        let script = """
            mkdir -p '\(output.path)'
            commit=$(git -C '\(package)' rev-parse --short=12 HEAD 2>/dev/null || echo unknown)
            if [ "$commit" != unknown ] && ! git -C '\(package)' diff --quiet HEAD -- Sources Package.swift 2>/dev/null; then commit="$commit+changes"; fi
            line="let buildCommit = \\"$commit\\""
            [ -f '\(file)' ] && [ "$(cat '\(file)')" = "$line" ] || printf '%s\\n' "$line" > '\(file)'
            """
        return [.prebuildCommand(displayName: "Stamping distill with its commit", executable: URL(fileURLWithPath: "/bin/sh"),
                                 arguments: ["-c", script], outputFilesDirectory: output)]
    }
}

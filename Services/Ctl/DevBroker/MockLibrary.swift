import ArgumentParser
import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// The librdkafka the dev broker's mock cluster runs on.
///
/// librdkafka 2.0.2's mock group coordinator completes a SyncGroup round
/// when the leader's request arrives, even if a follower has not synced yet;
/// that follower is then refused, rejoins, and the same race tends to repeat
/// every session timeout — its partitions stay unconsumed for minutes (the
/// pipeline benchmark's stalled warm-up). scripts/librdkafka-mock builds the
/// installed version with that fixed; `SJ_DEV_BROKER_LIBRARY_DIR` names the
/// folder (the scripts set it). Only this process loads it: the dynamic linker
/// reads LD_LIBRARY_PATH at start, so the dev broker executes itself again
/// with the folder first on it.
enum MockLibrary {
    static let variable = "SJ_DEV_BROKER_LIBRARY_DIR"

    /// Returns when the corrected library is in effect or none is configured;
    /// otherwise replaces this process with itself on the corrected library.
    static func executeOnCorrectedLibraryIfConfigured() throws {
        let environment = ProcessInfo.processInfo.environment
        guard let folder = environment[variable], !folder.isEmpty else { return }
        let current = environment["LD_LIBRARY_PATH"] ?? ""
        if current.split(separator: ":").first.map(String.init) == folder { return }
        guard FileManager.default.fileExists(atPath: folder + "/librdkafka.so.1") else {
            throw ValidationError("\(variable)=\(folder) has no librdkafka.so.1 (scripts/librdkafka-mock/build.sh makes it)")
        }
        setenv("LD_LIBRARY_PATH", current.isEmpty ? folder : folder + ":" + current, 1)
        var arguments = CommandLine.arguments.map { strdup($0) }
        arguments.append(nil)
        execv("/proc/self/exe", arguments)
        let reason = String(cString: strerror(errno))
        throw ValidationError("could not restart on the corrected librdkafka in \(folder): \(reason)")
    }

    /// The file of the librdkafka this process has loaded, from its memory map.
    static var loadedPath: String? {
        // procfs files report no size: read to the end rather than by length.
        guard let data = FileHandle(forReadingAtPath: "/proc/self/maps")?.readDataToEndOfFile() else { return nil }
        let maps = String(decoding: data, as: UTF8.self)
        for line in maps.split(separator: "\n") {
            guard let slash = line.firstIndex(of: "/") else { continue }
            let path = String(line[slash...])
            if path.contains("librdkafka.so") { return path }
        }
        return nil
    }

    /// Whether the loaded library is one scripts/librdkafka-mock built.
    static var isCorrected: Bool {
        guard let folder = ProcessInfo.processInfo.environment[variable], !folder.isEmpty, let path = loadedPath else { return false }
        return path.hasPrefix(folder)
    }
}

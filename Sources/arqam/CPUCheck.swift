import Foundation

/// Release builds compile the numeric modules for AVX2 and FMA (Package.swift). On a CPU
/// without them the first numeric loop would die of an illegal instruction without a word, so
/// this check runs first; it lives in this target, which is compiled for any x86-64.
enum CPUCheck {
    static let required = ["avx2", "fma"]

    /// The required features missing from the first `flags` line of `/proc/cpuinfo`'s text;
    /// none when there is no such line (another system: nothing to say).
    static func missingFeatures(cpuinfo: String) -> [String] {
        guard let line = cpuinfo.split(separator: "\n").first(where: { $0.hasPrefix("flags") }),
              let colon = line.firstIndex(of: ":") else { return [] }
        let flags = Set(line[line.index(after: colon)...].split(separator: " ").map(String.init))
        return required.filter { !flags.contains($0) }
    }

    static func message(missing: [String]) -> String {
        "this build of arqam needs a CPU with AVX2 and FMA, and this one lacks \(missing.joined(separator: " and ")). "
            + "Build one for any x86-64 CPU (slower, the same model): ARQAM_PORTABLE=1 swift build -c release"
    }

    /// What to tell the operator before anything else runs, or nil when this build can run here.
    static func problem() -> String? {
        #if ARQAM_AVX2 && os(Linux)
        guard let cpuinfo = try? String(contentsOfFile: "/proc/cpuinfo", encoding: .utf8) else { return nil }
        let missing = missingFeatures(cpuinfo: cpuinfo)
        return missing.isEmpty ? nil : message(missing: missing)
        #else
        return nil
        #endif
    }
}

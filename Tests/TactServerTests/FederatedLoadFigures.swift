import Foundation
import TactFederated
import TactRecommend
import Testing

@testable import TactServer

/// Figures for docs/federated.md, not a test of speed: how long closing the keys step of an aggregation
/// with many joined devices takes, how long a read of the session waits meanwhile, and how much the
/// resident memory grows. Runs only with TACT_FEDERATED_FIGURES=N (the number of joins, eight per key)
/// set; TACT_FEDERATED_DEGREE=D uses a Harary graph of degree D instead of the complete graph:
///
///     TACT_FEDERATED_FIGURES=1000 swift test --skip-build --filter federatedAdvanceFigures
///     TACT_FEDERATED_FIGURES=10000 TACT_FEDERATED_DEGREE=32 swift test --skip-build --filter federatedAdvanceFigures
@Suite struct FederatedLoadFigures {
    static let joins = Int(ProcessInfo.processInfo.environment["TACT_FEDERATED_FIGURES"] ?? "") ?? 0
    static let degree = Int(ProcessInfo.processInfo.environment["TACT_FEDERATED_DEGREE"] ?? "")

    static func residentBytes() -> Int {
        guard let status = try? String(contentsOfFile: "/proc/self/status", encoding: .utf8),
            let line = status.split(separator: "\n").first(where: { $0.hasPrefix("VmRSS:") }),
            let kb = Int(line.split(separator: " ").dropFirst().first ?? "")
        else { return 0 }
        return kb * 1024
    }

    @Test(.enabled(if: joins > 0)) func federatedAdvanceFigures() async throws {
        let service = FederatedService()
        var als = ALSConfiguration()
        als.factors = 4
        als.iterations = 1
        let items = (0..<20).map { "i\($0)" }
        var options = FederatedTrainingOptions(als: als)
        options.graph = Self.degree.map { .harary(degree: $0, seed: 7) } ?? .complete
        try await service.start(FederatedSession(id: "figures", options: options, items: items, minimumDevices: 3, maxDevices: 1_000_000))
        for i in 0..<Self.joins {
            do {
                _ = try await service.update { try $0.joinTestDevice(key: "key\(i / 8)", person: "person\(i)") }
            } catch let error as FederatedError {
                print("FIGURES join \(i + 1) refused: \(error)")
                break
            }
        }
        let joined = try await service.read { $0.tokens.count }
        let before = Self.residentBytes()
        let start = Date()
        let advance = Task { try await service.advance() }
        try await Task.sleep(nanoseconds: 5_000_000)
        let readStart = Date()
        let step = try await service.read { $0.step }
        let readWait = Date().timeIntervalSince(readStart)
        try await advance.value
        let seconds = Date().timeIntervalSince(start)
        let after = Self.residentBytes()
        print(
            "FIGURES joins=\(Self.joins) (joined \(joined)) graph=\(Self.degree.map { "harary-\($0)" } ?? "complete") advance=\(String(format: "%.3f", seconds)) s, read waited \(String(format: "%.3f", readWait)) s (saw step \(step)), resident +\((after - before) >> 20) MB"
        )
    }
}

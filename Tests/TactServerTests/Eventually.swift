import Foundation

/// Asks `condition` again and again until it holds or `seconds` have passed; returns whether it held.
/// For what a background task makes true "soon": the deadline is generous, so a loaded CI machine is
/// not mistaken for a broken server, and a server that never gets there still fails.
func eventually(
    within seconds: Double = 10, every interval: Duration = .milliseconds(20),
    _ condition: () async throws -> Bool
) async throws -> Bool {
    let deadline = Date().addingTimeInterval(seconds)
    while true {
        if try await condition() { return true }
        if Date() >= deadline { return false }
        try await Task.sleep(for: interval)
    }
}

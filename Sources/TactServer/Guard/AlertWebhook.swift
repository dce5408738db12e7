import Foundation
import TactStore

#if canImport(FoundationNetworking)
    import FoundationNetworking
#endif

/// Delivers alerts to a webhook: a JSON POST, retried with exponential back-off (1 s, 2 s, 4 s, …)
/// until it is answered 2xx or the attempts run out; then the failure is logged (the alert itself
/// stays in the store and in `tact guard alerts`).
struct AlertWebhook: Sendable {
    let url: URL
    var attempts = 5
    var firstDelay: Duration = .seconds(1)
    /// Sends one body; returns the HTTP status. Replaced in tests.
    var send: @Sendable (URL, Data) async throws -> Int = { url, body in
        var request = URLRequest(url: url, timeoutInterval: 10)
        request.httpMethod = "POST"
        request.setValue("application/json", forHTTPHeaderField: "Content-Type")
        request.httpBody = body
        let (_, response) = try await URLSession.shared.data(for: request)
        return (response as? HTTPURLResponse)?.statusCode ?? 0
    }

    /// Returns whether it was delivered.
    @discardableResult
    func deliver(_ alert: GuardAlertRecord) async -> Bool {
        guard let body = try? JSONEncoder().encode(GuardAlertJSON(alert)) else { return false }
        var delay = firstDelay
        for attempt in 1...max(attempts, 1) {
            if let status = try? await send(url, body), (200..<300).contains(status) { return true }
            if attempt < attempts {
                try? await Task.sleep(for: delay)
                delay = delay * 2
            }
        }
        return false
    }
}

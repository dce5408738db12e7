import Foundation
import Hummingbird
import TactCore

/// The privacy policy in force, as JSON and as a page people can read. Public: no key needed.
struct PolicyRoutes {
    let state: ServerState

    func register(on router: Router<TactRequestContext>) {
        router.get("/v1/policy") { _, _ in
            Response(status: .ok, headers: [.contentType: "application/json"], body: .init(byteBuffer: ByteBuffer(data: state.engine.policy.jsonData())))
        }
        router.get("/policy") { _, _ in
            Response(status: .ok, headers: [.contentType: "text/html; charset=utf-8"],
                     body: .init(byteBuffer: ByteBuffer(string: PolicyPage.html(state.engine.policy, mode: state.engine.configuration.consentMode))))
        }
    }
}

/// The policy rendered as a self-contained HTML page.
enum PolicyPage {
    static func html(_ policy: PrivacyPolicy, mode: ConsentMode) -> String {
        func e(_ s: String) -> String {
            s.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;")
                .replacingOccurrences(of: ">", with: "&gt;").replacingOccurrences(of: "\"", with: "&quot;")
        }
        let modeText = mode == .optIn
            ? "Nothing is collected for a purpose until you grant it (opt-in)."
            : "Data is collected unless you refuse (opt-out). A Global Privacy Control signal refuses sale or sharing and advertising."
        var rows = ""
        for p in policy.purposes {
            rows += "<tr><td>\(e(p.purpose.rawValue))</td><td>\(e(p.description))</td><td>\(e(p.legalBasis))</td></tr>\n"
        }
        var categories = ""
        for c in policy.dataCategories {
            let keep = c.retentionDays.map { "\($0) days" } ?? "until you ask us to delete it"
            categories += "<tr><td>\(e(c.name))</td><td>\(e(c.description))</td><td>\(e(keep))</td></tr>\n"
        }
        var recipients = ""
        for r in policy.recipients {
            recipients += "<tr><td>\(e(r.name))</td><td>\(e(r.purposes.map(\.rawValue).joined(separator: ", ")))</td><td>\(e(r.description))</td></tr>\n"
        }
        return """
            <!doctype html>
            <html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
            <title>Privacy policy \(e(policy.version))</title>
            <style>body{font:16px/1.5 system-ui,sans-serif;max-width:52rem;margin:2rem auto;padding:0 1rem;color:#222}
            table{border-collapse:collapse;width:100%;margin:1rem 0}td,th{border-bottom:1px solid #ddd;padding:.4rem;text-align:left;vertical-align:top}</style>
            </head><body>
            <h1>Privacy policy</h1>
            <p>Version \(e(policy.version)). Controller: \(e(policy.controller)). Contact: \(e(policy.contact)).</p>
            <p>\(e(modeText)) Your id is replaced by a keyed pseudonym before anything is stored.
            The same policy, machine-readable: <a href="/v1/policy">/v1/policy</a>.</p>
            <h2>Why we process data</h2>
            <table><tr><th>Purpose</th><th>What for</th><th>Legal basis</th></tr>
            \(rows)</table>
            <h2>What we keep, and for how long</h2>
            <table><tr><th>Data</th><th>What it is</th><th>Kept for</th></tr>
            \(categories)</table>
            <h2>Who receives it</h2>
            <table><tr><th>Recipient</th><th>Purposes</th><th>Why</th></tr>
            \(recipients)</table>
            </body></html>
            """
    }
}

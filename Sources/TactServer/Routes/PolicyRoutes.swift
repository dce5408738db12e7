import Foundation
import Hummingbird
import TactCore
import TactEngine

/// The privacy policy in force, as JSON and as a page people can read, with its version history and the
/// record of processing activities. Public: no key needed.
struct PolicyRoutes {
    let state: ServerState

    struct ChangeJSON: Encodable {
        var kind: String
        var text: String
    }

    struct VersionJSON: Encodable {
        var version: String
        var firstSeenAt: Int64
        /// Whether this is the version in force.
        var current: Bool
        /// The version it is compared with (the one recorded before it); nil for the first.
        var previous: String?
        var changes: [ChangeJSON]
    }

    struct VersionList: Encodable {
        var current: String
        var versions: [VersionJSON]
    }

    func register(on router: Router<TactRequestContext>) {
        router.route(.get, "/v1/policy", .anyone, state: state) { _, _ in
            Response(status: .ok, headers: [.contentType: "application/json"], body: .init(byteBuffer: ByteBuffer(data: state.engine.policy.jsonData())))
        }
        router.route(.get, "/v1/policy/versions", .anyone, state: state) { _, _ in
            let current = state.engine.policy.version
            let versions = try state.engine.policyHistory.versions()
            return try JSONResponse.make(
                VersionList(
                    current: current,
                    versions: versions.map { v in
                        VersionJSON(
                            version: v.policy.version, firstSeenAt: v.firstSeenAt, current: v.policy.version == current,
                            previous: v.changes?.from, changes: (v.changes?.changes ?? []).map { ChangeJSON(kind: $0.kind.rawValue, text: $0.text) })
                    }))
        }
        router.route(.get, "/v1/policy/record", .anyone, state: state) { request, _ in
            let record = ProcessingRecord(policy: state.engine.policy, mode: state.engine.configuration.consentMode)
            if try Self.wantsMarkdown(request) {
                return Response(
                    status: .ok, headers: [.contentType: "text/markdown; charset=utf-8"], body: .init(byteBuffer: ByteBuffer(string: record.markdown())))
            }
            return Response(status: .ok, headers: [.contentType: "application/json"], body: .init(byteBuffer: ByteBuffer(data: record.jsonData())))
        }
        router.route(.get, "/policy", .anyone, state: state) { _, _ in
            let history = try state.engine.policyHistory.versions()
            return Response(
                status: .ok, headers: [.contentType: "text/html; charset=utf-8"],
                body: .init(
                    byteBuffer: ByteBuffer(string: PolicyPage.html(state.engine.policy, mode: state.engine.configuration.consentMode, history: history))))
        }
    }

    /// Markdown when `?format=markdown`, or when no format is asked for and `Accept` names text/markdown; JSON otherwise.
    static func wantsMarkdown(_ request: Request) throws -> Bool {
        switch request.uri.queryParameters.get("format")?.lowercased() {
        case "markdown", "md": return true
        case "json": return false
        case nil: return request.headers[.accept]?.lowercased().contains("text/markdown") ?? false
        case let other?: throw Problem.badRequest("unknown format '\(other.prefix(20))'; use 'json' or 'markdown'", field: "format")
        }
    }
}

/// The policy rendered as a self-contained HTML page.
enum PolicyPage {
    static func html(_ policy: PrivacyPolicy, mode: ConsentMode, history: [PolicyHistory.Version] = []) -> String {
        """
        <!doctype html>
        <html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
        <title>Privacy policy \(escape(policy.version))</title>
        <style>body{font:16px/1.5 system-ui,sans-serif;max-width:52rem;margin:2rem auto;padding:0 1rem;color:#222}
        table{border-collapse:collapse;width:100%;margin:1rem 0}td,th{border-bottom:1px solid #ddd;padding:.4rem;text-align:left;vertical-align:top}</style>
        </head><body>
        <h1>Privacy policy</h1>
        \(body(policy, mode: mode, history: history))
        </body></html>
        """
    }

    static func escape(_ s: String) -> String {
        s.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;")
            .replacingOccurrences(of: ">", with: "&gt;").replacingOccurrences(of: "\"", with: "&quot;")
    }

    /// The policy's sections (every text escaped), shared by /policy and the privacy center's page.
    static func body(_ policy: PrivacyPolicy, mode: ConsentMode, history: [PolicyHistory.Version] = []) -> String {
        let e = escape
        let modeText =
            mode == .optIn
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
            let why = r.description + (r.transfer.map { " Transfer outside the EEA: \($0)." } ?? "")
            recipients += "<tr><td>\(e(r.name))</td><td>\(e(r.purposes.map(\.rawValue).joined(separator: ", ")))</td><td>\(e(why))</td></tr>\n"
        }
        var versions = ""
        for v in history {
            let seen = Self.day(v.firstSeenAt)
            let mark = v.policy.version == policy.version ? " (in force)" : ""
            versions += "<h3>Version \(e(v.policy.version))\(mark), in force from \(seen)</h3>\n"
            if let diff = v.changes {
                if diff.isEmpty {
                    versions += "<p>No change in substance from version \(e(diff.from)).</p>\n"
                } else {
                    versions += "<p>Changes from version \(e(diff.from)):</p>\n<ul>\n"
                    for c in diff.changes { versions += "<li>\(e(c.text))</li>\n" }
                    versions += "</ul>\n"
                }
            } else {
                versions += "<p>The first version recorded.</p>\n"
            }
        }
        if versions.isEmpty { versions = "<p>No version is recorded yet.</p>\n" }
        return """
            <p>Version \(e(policy.version)). Controller: \(e(policy.controller)). Contact: \(e(policy.contact)).</p>
            <p>\(e(modeText)) Your id is replaced by a keyed pseudonym before anything is stored.
            The same policy, machine-readable: <a href="/v1/policy">/v1/policy</a>.</p>
            <h2>Why we process data</h2>
            <table class="data"><tr><th>Purpose</th><th>What for</th><th>Legal basis</th></tr>
            \(rows)</table>
            <h2>What we keep, and for how long</h2>
            <table class="data"><tr><th>Data</th><th>What it is</th><th>Kept for</th></tr>
            \(categories)</table>
            <h2>Who receives it</h2>
            <table class="data"><tr><th>Recipient</th><th>Purposes</th><th>Why</th></tr>
            \(recipients)</table>
            <h2>Versions of this policy</h2>
            <p>Newest first, with what changed from the version before. The record of processing activities
            (GDPR Art. 30) generated from this policy: <a href="/v1/policy/record?format=markdown">Markdown</a>,
            <a href="/v1/policy/record">JSON</a>.</p>
            \(versions)
            """
    }

    /// A date for people, in UTC: "2026-11-29".
    static func day(_ seconds: Int64) -> String { utc(seconds, format: "yyyy-MM-dd") }

    /// A time for people, in UTC, in `format` (a DateFormatter pattern).
    static func utc(_ seconds: Int64, format: String) -> String {
        let f = DateFormatter()
        f.locale = Locale(identifier: "en_US_POSIX")
        f.timeZone = TimeZone(identifier: "UTC")
        f.dateFormat = format
        return f.string(from: Date(timeIntervalSince1970: TimeInterval(seconds)))
    }
}

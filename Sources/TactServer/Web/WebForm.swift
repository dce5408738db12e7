import Foundation
import Hummingbird
import TactPrivacy

/// A posted HTML form (`application/x-www-form-urlencoded`), read after its anti-forgery token checks out.
struct WebForm {
    let fields: [String: [String]]

    /// Forms are small: longer bodies are refused.
    static let maximumBytes = 16 * 1024

    subscript(_ name: String) -> String? { fields[name]?.first }
    func all(_ name: String) -> [String] { fields[name] ?? [] }

    /// Reads the body, checks the origin and the form token against what it is bound to: the area's signed
    /// session, or before sign-in the browser's form cookie (`WebSecurity.formBinding`).
    static func read(_ request: Request, area: WebPage.Area, tokens: FormTokenSigner) async throws -> WebForm {
        try WebSecurity.checkSameOrigin(request)
        var body = try await request.body.collect(upTo: maximumBytes)
        let text = body.readString(length: body.readableBytes) ?? ""
        let form = WebForm(fields: parse(text))
        let (binding, fresh) = WebSecurity.formBinding(of: request, area: area)
        guard fresh == nil, let token = form["csrf"], tokens.check(token, binding: binding) else {
            throw Problem.forbidden(
                "this form's security token is missing or stale (was the page open for a long time, or sent from elsewhere?); reload the page and try again")
        }
        return form
    }

    /// `a=1&b=x+y` → ["a": ["1"], "b": ["x y"]].
    static func parse(_ text: String) -> [String: [String]] {
        var out: [String: [String]] = [:]
        for pair in text.split(separator: "&") {
            let parts = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            func decode(_ s: Substring) -> String {
                String(s).replacingOccurrences(of: "+", with: " ").removingPercentEncoding ?? ""
            }
            let name = decode(parts[0])
            guard !name.isEmpty else { continue }
            out[name, default: []].append(parts.count > 1 ? decode(parts[1]) : "")
        }
        return out
    }
}

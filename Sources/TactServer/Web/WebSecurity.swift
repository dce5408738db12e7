import Foundation
import HTTPTypes
import Hummingbird

/// The protections every web page and form gets: a strict Content-Security-Policy (scripts and styles
/// only from this server, no inline code, forms post only here, no framing), cookies that are HttpOnly,
/// Secure and SameSite, and an anti-forgery check on every form.
enum WebSecurity {
    /// No inline script or style anywhere: the pages load /assets/tact.css and /assets/tact.js only.
    static let contentSecurityPolicy =
        "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; form-action 'self'; frame-ancestors 'none'; base-uri 'none'"

    /// The names of the cookies the pages set.
    static let formCookie = "tact_form"
    static let personCookie = "tact_person"
    static let operatorCookie = "tact_console"

    /// Headers for an HTML page that may show personal data.
    static func pageHeaders() -> HTTPFields {
        var h = HTTPFields()
        h[.contentType] = "text/html; charset=utf-8"
        h[.contentSecurityPolicy] = contentSecurityPolicy
        h[.xContentTypeOptions] = "nosniff"
        h[HTTPField.Name("X-Frame-Options")!] = "DENY"
        // Sign-in links carry a token in the address: it must never leave for another site in a Referer
        // header. (same-origin rather than no-referrer, so that browsers still send the forms' Origin.)
        h[HTTPField.Name("Referrer-Policy")!] = "same-origin"
        h[.cacheControl] = "no-store"
        h[HTTPField.Name("Cross-Origin-Opener-Policy")!] = "same-origin"
        h[HTTPField.Name("Permissions-Policy")!] = "camera=(), microphone=(), geolocation=(), interest-cohort=()"
        return h
    }

    /// A `Set-Cookie` value: always HttpOnly and Secure (browsers accept Secure cookies from
    /// http://localhost and 127.0.0.1, so local use works; anywhere else, serve over HTTPS).
    static func cookie(_ name: String, _ value: String, path: String = "/", maxAge: Int64?, sameSite: String = "Lax") -> String {
        var text = "\(name)=\(value); Path=\(path); HttpOnly; Secure; SameSite=\(sameSite)"
        if let maxAge { text += "; Max-Age=\(max(0, maxAge))" }
        return text
    }

    /// A cookie that removes `name`.
    static func expired(_ name: String, path: String = "/") -> String { cookie(name, "", path: path, maxAge: 0) }

    /// The request's cookies by name (the first of each name wins).
    static func cookies(of request: Request) -> [String: String] {
        var out: [String: String] = [:]
        for header in request.headers[values: .cookie] {
            for pair in header.split(separator: ";") {
                let parts = pair.split(separator: "=", maxSplits: 1)
                guard parts.count == 2 else { continue }
                let name = parts[0].trimmingCharacters(in: .whitespaces)
                if out[name] == nil { out[name] = parts[1].trimmingCharacters(in: .whitespaces) }
            }
        }
        return out
    }

    /// What a form token is bound to: the signed session cookie of the page's area when the browser holds one
    /// (the person's on /privacy, the operator's on /console), so a token is good only for that session and a
    /// cookie an attacker planted cannot make one; before sign-in, the browser's random form cookie. `fresh`
    /// is a new form cookie to set when the browser has neither.
    static func formBinding(of request: Request, area: WebPage.Area) -> (binding: String, fresh: String?) {
        let cookies = cookies(of: request)
        let session = cookies[area == .privacy ? personCookie : operatorCookie] ?? ""
        if session.utf8.count >= 32 { return ("session|" + session, nil) }
        if let existing = cookies[formCookie], existing.utf8.count >= 32, existing.utf8.count <= 64 { return ("form|" + existing, nil) }
        let fresh = newFormBinding()
        return ("form|" + fresh, fresh)
    }

    /// A new random value for the form cookie (32 bytes, base64url).
    static func newFormBinding() -> String {
        var bytes = [UInt8](repeating: 0, count: 32)
        for i in bytes.indices { bytes[i] = UInt8.random(in: 0...255) }
        return Data(bytes).base64EncodedString().replacingOccurrences(of: "+", with: "-")
            .replacingOccurrences(of: "/", with: "_").replacingOccurrences(of: "=", with: "")
    }

    /// Refuses a form posted from another site: by the browser's own `Sec-Fetch-Site` and `Origin`
    /// headers when it sends them (a second line behind the form token).
    static func checkSameOrigin(_ request: Request) throws {
        if let site = request.headers[HTTPField.Name("Sec-Fetch-Site")!], site == "cross-site" {
            throw Problem.forbidden("this form was sent from another site; open the page here and send it again")
        }
        // "null" is what browsers send from privacy-sensitive contexts: the form token alone decides there.
        if let origin = request.headers[.origin], origin != "null" {
            let originHost = origin.split(separator: "/", omittingEmptySubsequences: true).dropFirst().first.map(String.init)
            guard let originHost, originHost == request.head.authority else {
                throw Problem.forbidden("this form was sent from another site (\(origin.prefix(80))); open the page here and send it again")
            }
        }
    }
}

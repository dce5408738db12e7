import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import TactCore
import TactEngine
import TactPrivacy
import TactServer
import TactStore
import Testing

/// The privacy center and the operator console, driven as a browser would: cookies, form tokens,
/// redirects. (The real-browser run is Tests/Browser/web_pages.py, which `.ci/run` runs.)
@Suite struct WebPagesTests {
    /// A browser's cookie jar and the last form token seen, enough to follow the pages.
    final class Browser: @unchecked Sendable {
        var cookies: [String: String] = [:]
        var csrf = ""

        var cookieHeader: HTTPFields {
            var h = HTTPFields()
            if !cookies.isEmpty { h[.cookie] = cookies.map { "\($0.key)=\($0.value)" }.sorted().joined(separator: "; ") }
            return h
        }

        func take(_ reply: Reply) {
            for value in reply.headers[values: .setCookie] {
                let pair = value.split(separator: ";")[0].split(separator: "=", maxSplits: 1)
                let name = String(pair[0]), content = pair.count > 1 ? String(pair[1]) : ""
                if content.isEmpty || value.contains("Max-Age=0") { cookies[name] = nil } else { cookies[name] = content }
            }
            if let range = reply.body.range(of: #"name="csrf" value="([^"]+)""#, options: .regularExpression) {
                csrf = String(reply.body[range].dropFirst(#"name="csrf" value=""#.count).dropLast())
            }
        }

        func get(_ client: any TestClientProtocol, _ uri: String) async throws -> Reply {
            let reply = try await client.call(.get, uri, headers: cookieHeader)
            take(reply)
            return reply
        }

        func post(
            _ client: any TestClientProtocol, _ uri: String, _ fields: [(String, String)], csrf token: String? = nil,
            extra: HTTPFields = [:]
        ) async throws -> Reply {
            var headers = cookieHeader
            headers[.contentType] = "application/x-www-form-urlencoded"
            for field in extra { headers.append(field) }
            let all = [("csrf", token ?? csrf)] + fields
            let body = all.map { "\($0.0)=\($0.1.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? "")" }.joined(separator: "&")
            let response = try await client.executeRequest(uri: uri, method: .post, headers: headers, body: ByteBuffer(string: body))
            let reply = Reply(status: response.status.code, headers: response.headers, body: String(buffer: response.body))
            take(reply)
            return reply
        }
    }

    func personToken(_ client: any TestClientProtocol, _ fixture: ServerFixture, _ person: String) async throws -> String {
        let reply = try await client.call(.post, "/v1/people/\(person)/tokens", auth: fixture.keys[.subjects]!)
        return try #require(reply.json["token"] as? String)
    }

    @Test("every template file in Resources/Templates is registered under its name, and every registered template has a file")
    func templateFiles() throws {
        let folder = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("Sources/TactServer/Resources/Templates")
        let files = try FileManager.default.contentsOfDirectory(atPath: folder.path)
        #expect(files.allSatisfy { $0.hasSuffix(".mustache") }, "only templates in \(folder.path): \(files.sorted())")
        let names = files.map { String($0.dropLast(".mustache".count)) }.sorted()
        #expect(names == WebTemplatesProbe.names)
        for name in names { #expect(WebTemplatesProbe.parses(name), "template \(name)") }
    }

    @Test("pages carry a strict Content-Security-Policy and no inline code; every template parses; assets are served")
    func securityHeaders() async throws {
        for name in WebTemplatesProbe.names { #expect(WebTemplatesProbe.parses(name), "template \(name)") }
        let fixture = try ServerFixture()
        try await fixture.test { client in
            let page = try await client.call(.get, "/privacy")
            #expect(page.status == 401 && page.contentType.hasPrefix("text/html"))
            #expect(page.body.contains("open the personal link"))
            let csp = page.headers[.contentSecurityPolicy] ?? ""
            #expect(
                csp.contains("script-src 'self'") && csp.contains("default-src 'none'") && csp.contains("frame-ancestors 'none'")
                    && !csp.contains("unsafe-inline"))
            #expect(page.headers[.xContentTypeOptions] == "nosniff" && page.headers[.cacheControl] == "no-store")
            #expect(!page.body.contains("<script>") && !page.body.contains("style=\""), "no inline script or style")
            let css = try await client.call(.get, "/assets/tact.css")
            #expect(css.status == 200 && css.contentType.hasPrefix("text/css"))
            let js = try await client.call(.get, "/assets/tact.js")
            #expect(js.status == 200 && js.body.contains("data-autosubmit"))
            let signIn = try await client.call(.get, "/console/signin")
            #expect(signIn.status == 200 && signIn.body.contains("type=\"password\""))
            let cookie = signIn.headers[values: .setCookie].first { $0.hasPrefix("tact_form=") } ?? ""
            #expect(cookie.contains("HttpOnly") && cookie.contains("Secure") && cookie.contains("SameSite=Strict"))
        }
    }

    @Test("a person signs in with their link, sees what is kept and why, and a consent change applies at once")
    func personConsent() async throws {
        let fixture = try ServerFixture()
        try await fixture.test { client in
            let browser = Browser()
            let token = try await personToken(client, fixture, "p0")
            let signIn = try await browser.get(client, "/privacy/signin?token=\(token)")
            #expect(signIn.status == 303 && signIn.headers[.location] == "/privacy")
            let cookie = try #require(signIn.headers[values: .setCookie].first { $0.hasPrefix("tact_person=") })
            #expect(cookie.contains("HttpOnly") && cookie.contains("Secure") && cookie.contains("SameSite=Lax") && cookie.contains("Path=/privacy"))
            let home = try await browser.get(client, "/privacy")
            #expect(home.status == 200)
            let events = try fixture.engine.store.read { r in
                try r.subjectRow(for: fixture.engine.pseudonymizer.pseudonym(for: "p0")).map { try r.interactions(of: $0).count } ?? -1
            }
            #expect(home.body.contains("data-testid=\"count-interactions\">\(events)<"))
            #expect(home.body.contains("rock") && home.body.contains("data-personalized=\"true\"") && home.body.contains("Why am I seeing this?"))
            // As text, an attribute value or a path segment: random tokens on the page (the CSRF token, base64url) may hold
            // the letters "p0" by chance.
            #expect(![">p0<", "\"p0\"", "/p0/", " p0 "].contains { home.body.contains($0) }, "the page never shows the raw id (it does not know it)")
            // Turn personalization off: every purpose shown, all but personalization ticked as they were.
            let shown = Purpose.allCases.map { ("shown", $0.rawValue) }
            let off = try await browser.post(client, "/privacy/consent", shown + [("allow", "model-training"), ("allow", "advertising")])
            #expect(off.status == 303 && off.headers[.location] == "/privacy?done=consent")
            let after = try await browser.get(client, off.headers[.location] ?? "/privacy")
            #expect(after.body.contains("data-personalized=\"false\"") && after.body.contains("Your choices are saved"))
            let consent = try await client.call(.get, "/v1/people/p0/consent", auth: fixture.keys[.subjects]!)
            let purposes = consent.json["purposes"] as? [[String: Any]] ?? []
            #expect(purposes.first { $0["purpose"] as? String == "personalization" }?["permitted"] as? Bool == false)
            #expect(purposes.first { $0["purpose"] as? String == "model-training" }?["permitted"] as? Bool == true)
            // And back on.
            _ = try await browser.post(
                client, "/privacy/consent", shown + [("allow", "personalization"), ("allow", "model-training"), ("allow", "advertising")])
            #expect(try await browser.get(client, "/privacy").body.contains("data-personalized=\"true\""))
        }
    }

    @Test("a form without its token, with another browser's token, or from another site is refused and changes nothing")
    func forgedForms() async throws {
        let fixture = try ServerFixture()
        try await fixture.test { client in
            let browser = Browser(), other = Browser()
            _ = try await browser.get(client, "/privacy/signin?token=\(try await personToken(client, fixture, "p1"))")
            _ = try await browser.get(client, "/privacy")
            _ = try await other.get(client, "/console/signin")
            let shown = Purpose.allCases.map { ("shown", $0.rawValue) }
            var fromElsewhere = HTTPFields(), crossSite = HTTPFields()
            fromElsewhere[.origin] = "https://evil.example"
            crossSite[HTTPField.Name("Sec-Fetch-Site")!] = "cross-site"
            let attempts: [(String, HTTPFields)] = [("", HTTPFields()), (other.csrf, HTTPFields()), (browser.csrf, fromElsewhere), (browser.csrf, crossSite)]
            for (token, extra) in attempts {
                let reply = try await browser.post(client, "/privacy/consent", shown, csrf: token, extra: extra)
                #expect(reply.status == 403 && reply.contentType.hasPrefix("text/html"))
            }
            let deleted = try await browser.post(client, "/privacy/delete", [("confirm", "delete")], csrf: other.csrf)
            #expect(deleted.status == 403)
            let consent = try await client.call(.get, "/v1/people/p1/consent", auth: fixture.keys[.subjects]!)
            let purposes = consent.json["purposes"] as? [[String: Any]] ?? []
            #expect(purposes.first { $0["purpose"] as? String == "personalization" }?["permitted"] as? Bool == true)
        }
    }

    @Test("a form cookie an attacker planted (and the token they got for it) is no good against a signed-in person's session")
    func plantedFormCookie() async throws {
        let fixture = try ServerFixture()
        let pseudonym = fixture.engine.pseudonymizer.pseudonym(for: "p3")
        try await fixture.test { client in
            let attacker = Browser(), victim = Browser()
            _ = try await attacker.get(client, "/console/signin")
            let planted = try #require(attacker.cookies["tact_form"])
            #expect(!attacker.csrf.isEmpty)
            _ = try await victim.get(client, "/privacy/signin?token=\(try await personToken(client, fixture, "p3"))")
            _ = try await victim.get(client, "/privacy")
            // The attacker tosses their own form cookie into the victim's browser and forges a form with its token.
            victim.cookies["tact_form"] = planted
            let deleted = try await victim.post(client, "/privacy/delete", [("confirm", "delete")], csrf: attacker.csrf)
            #expect(deleted.status == 403)
            #expect(try fixture.engine.store.read { try $0.subjectRow(for: pseudonym) } != nil, "nothing was deleted")
            // The victim's own page still works with their session's token.
            _ = try await victim.get(client, "/privacy/delete")
            let own = try await victim.post(client, "/privacy/export", [])
            #expect(own.status == 200)
        }
    }

    @Test("download is an attachment of everything; deletion needs the word, gives a receipt, and leaves nothing")
    func downloadAndDelete() async throws {
        let fixture = try ServerFixture()
        let pseudonym = fixture.engine.pseudonymizer.pseudonym(for: "p2")
        try await fixture.test { client in
            let browser = Browser()
            let token = try await personToken(client, fixture, "p2")
            _ = try await browser.get(client, "/privacy/signin?token=\(token)")
            _ = try await browser.get(client, "/privacy")
            let export = try await browser.post(client, "/privacy/export", [])
            #expect(export.status == 200 && export.headers[.contentDisposition]?.contains("attachment") == true)
            let interactions = (export.json["interactions"] as? [Any])?.count ?? 0
            #expect(interactions > 0)
            _ = try await browser.get(client, "/privacy/delete")
            let refused = try await browser.post(client, "/privacy/delete", [("confirm", "yes")])
            #expect(refused.status == 400 && refused.body.contains("Nothing was deleted"))
            #expect(try fixture.engine.store.read { try $0.subjectRow(for: pseudonym) } != nil)
            let receipt = try await browser.post(client, "/privacy/delete", [("confirm", "delete")])
            #expect(receipt.status == 200 && receipt.body.contains("data-testid=\"erased-interactions\">\(interactions)<"))
            #expect(browser.cookies["tact_person"] == nil, "signed out")
            #expect(try fixture.engine.store.read { try $0.subjectRow(for: pseudonym) } == nil)
            let requests = try SubjectRights(engine: fixture.engine).requests(pseudonym: pseudonym)
            #expect(requests.contains { $0.kind == .erasure && $0.status == .completed })
            // Signing in again: nothing is kept.
            _ = try await browser.get(client, "/privacy/signin?token=\(token)")
            let home = try await browser.get(client, "/privacy")
            #expect(home.body.contains("We keep nothing about you") && home.body.contains("data-testid=\"count-interactions\">0<"))
        }
    }

    @Test("the console needs an admin key, shows model quality, consent, budget and requests, verifies the audit chain, suspends and reinstates keys")
    func console() async throws {
        let fixture = try ServerFixture { $0.keyCacheSeconds = 0 }
        _ = try await fixture.api.retrain()
        _ = try PrivacyLedger(engine: fixture.engine).spend(
            dataset: "interactions", release: "dp-popular test", mechanism: "gaussian", epsilon: 0.5, delta: 1e-6)
        // The fixture's events are from 2023: a retention run would delete them all, so it is refused.
        #expect(throws: RetentionRefused.self) { try RetentionJob(engine: fixture.engine).run(now: Int64(Date().timeIntervalSince1970)) }
        let recommendID = try #require(try APIKeyService(engine: fixture.engine).list().first { $0.name == "test-recommend" }?.id)
        try await fixture.test { client in
            let browser = Browser()
            #expect(try await browser.get(client, "/console").status == 401)
            _ = try await browser.get(client, "/console/signin")
            let wrong = try await browser.post(client, "/console/signin", [("key", fixture.keys[.recommend]!)])
            #expect(wrong.status == 403 && wrong.body.contains("admin"))
            let signedIn = try await browser.post(client, "/console/signin", [("key", fixture.admin)])
            #expect(signedIn.status == 303 && browser.cookies["tact_console"]?.hasPrefix("tos1.") == true)
            let overview = try await browser.get(client, "/console")
            #expect(overview.status == 200 && overview.body.contains("<svg") && overview.body.contains("NDCG@10"))
            let evaluations = try fixture.engine.store.read { try $0.modelEvaluations(limit: 10) }
            let latest = try #require(evaluations.last)
            #expect(latest.ndcg > latest.baselineNDCG, "the model beats popularity on the fixture's two tastes")
            #expect(overview.body.contains(String(format: "%.3f", latest.ndcg)))
            #expect(!overview.body.contains("quality-warning"), "no warning while the model beats popularity")
            let privacy = try await browser.get(client, "/console/privacy")
            #expect(privacy.status == 200 && privacy.body.contains("dp-popular test") && privacy.body.contains("budget ε = 10"))
            #expect(privacy.body.contains("<td>personalization</td><td class=\"num\">100%</td>"))
            #expect(privacy.body.contains("Retention runs") && privacy.body.contains("interactions: refused: would delete"), "the refused run, shown")
            let security = try await browser.get(client, "/console/security")
            #expect(security.body.contains("id=\"suspend-\(recommendID)\""))
            let verified = try await browser.post(client, "/console/audit/verify", [])
            #expect(verified.status == 200 && verified.body.contains("Verified just now"))
            let suspended = try await browser.post(client, "/console/keys/suspend", [("key", recommendID)])
            #expect(suspended.status == 303)
            #expect(try await client.call(.get, "/v1/people/p0/recommendations", auth: fixture.keys[.recommend]!).status == 401)
            #expect(try await browser.get(client, "/console/security").body.contains("id=\"reinstate-\(recommendID)\""))
            _ = try await browser.post(client, "/console/keys/reinstate", [("key", recommendID)])
            #expect(try await client.call(.get, "/v1/people/p0/recommendations", auth: fixture.keys[.recommend]!).status == 200)
            // Signing in cannot be forged either.
            #expect(try await Browser().post(client, "/console/signin", [("key", fixture.admin)], csrf: "x").status == 403)
        }
    }

    @Test("sign-in links: a valid one signs in; an expired, altered or foreign one, or one whose key is revoked, gets a 401 page")
    func signInLinks() async throws {
        let fixture = try ServerFixture { $0.keyCacheSeconds = 0 }
        let service = APIKeyService(engine: fixture.engine)
        let admin = try #require(try service.list().first { $0.name == "test-admin" })
        let subjects = try #require(try service.list().first { $0.name == "test-subjects" })
        let sessions = fixture.engine.operatorSessions
        try await fixture.test { client in
            // Signed once the test runs (it may wait its turn for many minutes on a loaded machine), valid for a day.
            let now = Int64(Date().timeIntervalSince1970)
            let valid = sessions.sign(OperatorSession(keyID: admin.id, issuedAt: now, expiresAt: now + 86_400))
            let expired = sessions.sign(OperatorSession(keyID: admin.id, issuedAt: now - 700, expiresAt: now - 100))
            let notAdmin = sessions.sign(OperatorSession(keyID: subjects.id, issuedAt: now, expiresAt: now + 86_400))
            let person = fixture.engine.personTokens.sign(
                PersonToken(
                    subject: fixture.engine.pseudonymizer.pseudonym(for: "p3"), keyID: subjects.id,
                    issuedAt: now, expiresAt: now + 86_400))
            let browser = Browser()
            let signedIn = try await browser.get(client, "/console/signin?token=\(valid)")
            #expect(signedIn.status == 303 && browser.cookies["tact_console"] == valid)
            #expect(try await browser.get(client, "/console").status == 200)
            for bad in [expired, String(valid.dropLast(2)) + "AA", person] {
                #expect(try await Browser().get(client, "/console/signin?token=\(bad)").status == 401, "\(bad.prefix(12))")
            }
            #expect(try await Browser().get(client, "/console/signin?token=\(notAdmin)").status == 403)
            // A person token is no operator session, and an operator session is no person token.
            #expect(try await Browser().get(client, "/privacy/signin?token=\(valid)").status == 401)
            let personBrowser = Browser()
            #expect(try await personBrowser.get(client, "/privacy/signin?token=\(person)").status == 303)
            #expect(try await personBrowser.get(client, "/privacy").status == 200)
            // Revoking the key that issued the person's token ends the person's session at once.
            _ = try service.revoke(id: subjects.id)
            let ended = try await personBrowser.get(client, "/privacy")
            #expect(ended.status == 401 && ended.body.contains("revoked"))
            #expect(personBrowser.cookies["tact_person"] == nil, "the session cookie is cleared")
            // Suspending the operator's key ends the console session too.
            _ = try service.suspend(id: admin.id, reason: "test")
            #expect(try await browser.get(client, "/console").status == 401)
        }
    }

    @Test(
        "opt-out mode: unticking one box records that refusal only, never grants for the boxes left as they were; no sponsored item among the recommendations")
    func onlyChangesAreRecorded() async throws {
        let fixture = try ServerFixture(mode: .optOut)
        try await fixture.test { client in
            let browser = Browser()
            let token = try #require(try await client.call(.post, "/v1/people/p3/tokens", auth: fixture.keys[.subjects]!).json["token"] as? String)
            _ = try await browser.get(client, "/privacy/signin?token=\(token)")
            let home = try await browser.get(client, "/privacy")
            #expect(!home.body.contains("Sponsored"), "advertising inventory is not a recommendation")
            // Every box shows ticked by default in opt-out mode; the person unticks personalization only.
            let shown = Purpose.allCases.map { ("shown", $0.rawValue) }
            let allowed = Purpose.allCases.filter { $0 != .personalization }.map { ("allow", $0.rawValue) }
            #expect(try await browser.post(client, "/privacy/consent", shown + allowed).status == 303)
            let written = try ConsentService(engine: fixture.engine).history(user: "p3").filter { $0.note == "privacy center" }
            #expect(written.count == 1 && written[0].purpose == .personalization && written[0].decision == .deny, "\(written)")
        }
    }
}

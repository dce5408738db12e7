import Hummingbird

/// The one style sheet and the one script the pages load (the Content-Security-Policy allows no other,
/// and nothing inline). Every core action works without the script: it only submits the consent form
/// when a box is ticked and enables the delete button once "delete" is typed.
enum WebAssets {
    static func register(on router: Router<TactRequestContext>, state: ServerState) {
        router.route(.get, "/assets/tact.css", .anyone, state: state) { _, _ in asset(css, type: "text/css; charset=utf-8") }
        router.route(.get, "/assets/tact.js", .anyone, state: state) { _, _ in asset(script, type: "text/javascript; charset=utf-8") }
    }

    static func asset(_ text: String, type: String) -> Response {
        var headers = HTTPFields()
        headers[.contentType] = type
        headers[.cacheControl] = "public, max-age=3600"
        headers[.xContentTypeOptions] = "nosniff"
        return Response(status: .ok, headers: headers, body: .init(byteBuffer: ByteBuffer(string: text)))
    }

    /// Sources/TactServer/Resources/Assets/tact.css, compiled in (embedInCode).
    static let css = String(decoding: PackageResources.tact_css, as: UTF8.self)

    /// Sources/TactServer/Resources/Assets/tact.js, compiled in (embedInCode).
    static let script = String(decoding: PackageResources.tact_js, as: UTF8.self)
}

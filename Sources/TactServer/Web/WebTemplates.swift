import Mustache

/// The pages' Mustache templates: one file each, Sources/TactServer/Resources/Templates/NAME.mustache,
/// compiled in (embedInCode) and registered here under NAME. `{{x}}` is HTML-escaped; `{{{x}}}` is used
/// only for SVG charts and policy sections the server draws itself, with every text in them escaped.
enum WebTemplates {
    /// Parsed once; a template that fails to parse is a defect the web tests catch.
    static let library: MustacheLibrary = {
        var library = MustacheLibrary()
        for (name, text) in all {
            do { try library.register(text, named: name) } catch { preconditionFailure("template \(name) does not parse: \(error)") }
        }
        return library
    }()

    /// Every template by name; a test checks that each file in the Templates folder is here, and only those.
    static let all: [String: String] = [
        "top": PackageResources.top_mustache,
        "bottom": PackageResources.bottom_mustache,
        "error": PackageResources.error_mustache,
        "privacy-signin": PackageResources.privacy_signin_mustache,
        "privacy-home": PackageResources.privacy_home_mustache,
        "privacy-delete": PackageResources.privacy_delete_mustache,
        "privacy-receipt": PackageResources.privacy_receipt_mustache,
        "privacy-policy": PackageResources.privacy_policy_mustache,
        "console-signin": PackageResources.console_signin_mustache,
        "console-overview": PackageResources.console_overview_mustache,
        "console-privacy": PackageResources.console_privacy_mustache,
        "console-security": PackageResources.console_security_mustache
    ].mapValues { String(decoding: $0, as: UTF8.self) }
}

/// Lets tests check that every page template parses and is registered.
public enum WebTemplatesProbe {
    public static var names: [String] { WebTemplates.all.keys.sorted() }
    public static func parses(_ name: String) -> Bool { WebTemplates.library.getTemplate(named: name) != nil }
}

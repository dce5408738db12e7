/// The names NameRecognizer knows, from the 1990 US Census name frequency files (public domain:
/// dist.male.first, dist.female.first, dist.all.last): lowercase, one a line. The lists are
/// Sources/TactPrivacy/Resources/first-names.txt and surnames.txt, written by scripts/generate-name-lists.py;
/// `firstNames` and `surnames` are their text, compiled in as string literals at build time by the
/// TextLiterals plugin (Plugins/TextLiterals, listed in Resources/text-literals.txt).
enum NameLists {}

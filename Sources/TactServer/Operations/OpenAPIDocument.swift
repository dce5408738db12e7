/// The OpenAPI 3.1 description of the API, served at `/openapi.json`. The document is
/// Sources/TactServer/Resources/openapi.json; `json` is its text, compiled in as a string literal at build
/// time by the TextLiterals plugin (Plugins/TextLiterals). A test checks that the document and the router
/// agree (Tests/TactServerTests/OpenAPITests.swift): when you add, remove or change a route, change the
/// document too. CI validates the document with openapi-spec-validator.
/// Extensions: `x-tact-scopes` lists the scopes an operation accepts (a key with `admin` may call every route),
/// `x-tact-person-token` says whether the person's own token (`tpt1.…`) is accepted for that person.
enum OpenAPIDocument {}

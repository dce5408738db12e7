import PostgresNIO

/// What went wrong in PostgreSQL, in words, without the statement's bound values (they may be personal data).
enum PostgresFailure {
    /// The SQLSTATE of a statement that breaks a unique key.
    static let uniqueViolation = "23505"

    /// The server's SQLSTATE code, when the server answered with an error.
    static func sqlState(_ error: any Error) -> String? {
        (error as? PSQLError)?.serverInfo?[.sqlState]
    }

    /// SQLSTATEs of a server that cannot write: disk_full, and a read-only transaction (a standby, or
    /// `default_transaction_read_only`).
    static let storageStates: Set<String> = ["53100", "25006"]

    static func describe(_ error: any Error) -> String {
        if let e = error as? PSQLError {
            if let info = e.serverInfo {
                let message = info[.message] ?? "error"
                let detail = info[.detail].map { " (\($0))" } ?? ""
                return "\(message)\(detail) [SQLSTATE \(info[.sqlState] ?? "?")]"
            }
            switch e.code {
            case .connectionError, .serverClosedConnection, .uncleanShutdown:
                return "the connection to PostgreSQL failed (\(e.underlying.map { "\($0)" } ?? "\(e.code)")); is the server running and reachable?"
            case .authMechanismRequiresPassword:
                return "the server asks for a password; put it in the address (postgres://user:PASSWORD@host/db)"
            default:
                return "\(e.code)\(e.underlying.map { ": \($0)" } ?? "")"
            }
        }
        return "\(error)"
    }

    /// SQLSTATEs of a server that is going away or not yet back: the connection class (08), and an
    /// administrator's or a crash's shutdown, or a server still starting (57P01, 57P02, 57P03).
    static let unreachableStates: Set<String> = ["57P01", "57P02", "57P03"]

    /// True when the error says the server is gone or not answering, not that a statement was wrong:
    /// the connection broke, or the server is shutting down or starting.
    static func isUnreachable(_ error: any Error) -> Bool {
        guard let e = error as? PSQLError else { return false }
        if let state = e.serverInfo?[.sqlState] { return state.hasPrefix("08") || unreachableStates.contains(state) }
        return [.connectionError, .serverClosedConnection, .uncleanShutdown, .clientClosedConnection].contains(e.code)
    }
}

/// The `statement_timeout` and `lock_timeout` every PostgreSQL session for scripts gets, so that a hanging
/// script fails its check instead of hanging the run (DESIGN.md, "How scripts are executed").
public struct SessionTimeouts: Sendable, Equatable {
    /// Seconds a statement may run; 0 turns the limit off.
    public var statement: Double
    /// Seconds a statement may wait for a lock; 0 turns the limit off.
    public var lock: Double

    public init(statement: Double = 300, lock: Double = 60) {
        self.statement = statement
        self.lock = lock
    }

    /// PostgreSQL's defaults: no limits.
    public static let none = SessionTimeouts(statement: 0, lock: 0)

    /// `-c statement_timeout=300000 -c lock_timeout=60000`, for libpq's `options` (milliseconds).
    public var serverOptions: String {
        "-c statement_timeout=\(Self.milliseconds(statement)) -c lock_timeout=\(Self.milliseconds(lock))"
    }

    private static func milliseconds(_ seconds: Double) -> Int {
        Int((seconds * 1000).rounded())
    }
}

extension RehearsalOptions {
    /// The session limits for PostgreSQL engines.
    public var sessionTimeouts: SessionTimeouts {
        SessionTimeouts(statement: statementTimeout, lock: lockTimeout)
    }
}

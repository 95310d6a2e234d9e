/// Names the statements PostgreSQL refuses to run inside a transaction block (SQLSTATE 25001), for messages.
///
/// Which statements those are is the parser's verdict (``LintStatement/nonTransactional``, the same `verify`
/// runs files by); this only says what the statement is.
enum NonTransactional {
    /// What the statement is (`CREATE INDEX CONCURRENTLY`), or nil when it may run in a transaction.
    static func statement(_ statement: LintStatement) -> String? {
        guard statement.nonTransactional else { return nil }
        return label(statement) ?? statement.label
    }

    private static func label(_ statement: LintStatement) -> String? {
        let body = statement.body
        switch statement.kind {
        case "IndexStmt" where body["concurrent"]?.bool == true:
            return "CREATE INDEX CONCURRENTLY"
        case "DropStmt" where body["concurrent"]?.bool == true:
            return "DROP INDEX CONCURRENTLY"
        case "ReindexStmt" where statement.hasOption("concurrently"):
            return "REINDEX CONCURRENTLY"
        case "VacuumStmt" where body["is_vacuumcmd"]?.bool == true:
            return "VACUUM"
        case "CreatedbStmt":
            return "CREATE DATABASE"
        case "DropdbStmt":
            return "DROP DATABASE"
        case "AlterSystemStmt":
            return "ALTER SYSTEM"
        case "CreateTableSpaceStmt":
            return "CREATE TABLESPACE"
        case "DropTableSpaceStmt":
            return "DROP TABLESPACE"
        case "AlterTableStmt":
            let detaches = statement.commands("AT_DetachPartition").contains { entry in
                entry.command["def"]?.node("PartitionCmd")?["concurrent"]?.bool == true
            }
            return detaches ? "DETACH PARTITION CONCURRENTLY" : nil
        default:
            return nil
        }
    }
}

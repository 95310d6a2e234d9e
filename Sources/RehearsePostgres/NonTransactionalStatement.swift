/// The statements PostgreSQL refuses inside a transaction block (SQLSTATE 25001), recognised from the parse tree.
///
/// These are the commands whose server code calls `PreventInTransactionBlock`. Some are refused only in
/// circumstances the statement alone does not show (`CLUSTER` of a partitioned table, `DROP SUBSCRIPTION` of a
/// subscription without a slot): those are judged by their usual case.
enum NonTransactionalStatement {
    /// What the statement is (`CREATE INDEX CONCURRENTLY`, `VACUUM`) when PostgreSQL refuses it inside a
    /// transaction block, else nil. `statement` is the `stmt` of one parsed statement.
    static func label(of statement: ParseNode) -> String? {
        guard let (tag, fields) = statement.node else { return nil }
        switch tag {
        case "IndexStmt":
            return fields["concurrent"].bool ? "CREATE INDEX CONCURRENTLY" : nil
        case "DropStmt":
            return fields["concurrent"].bool ? "DROP INDEX CONCURRENTLY" : nil
        case "ReindexStmt":
            switch fields["kind"].string {
            case "REINDEX_OBJECT_DATABASE": return "REINDEX DATABASE"
            case "REINDEX_OBJECT_SYSTEM": return "REINDEX SYSTEM"
            case "REINDEX_OBJECT_SCHEMA": return "REINDEX SCHEMA"
            default: return fields["params"].option("concurrently")?.definitionFlag == true ? "REINDEX CONCURRENTLY" : nil
            }
        case "VacuumStmt":
            return fields["is_vacuumcmd"].bool ? "VACUUM" : nil
        case "CreatedbStmt": return "CREATE DATABASE"
        case "DropdbStmt": return "DROP DATABASE"
        case "CreateTableSpaceStmt": return "CREATE TABLESPACE"
        case "DropTableSpaceStmt": return "DROP TABLESPACE"
        case "AlterSystemStmt": return "ALTER SYSTEM"
        case "ClusterStmt":
            return fields["relation"].isPresent ? nil : "CLUSTER without a table"
        case "AlterDatabaseStmt":
            return fields["options"].option("tablespace") != nil ? "ALTER DATABASE SET TABLESPACE" : nil
        case "CreateSubscriptionStmt":
            // create_slot defaults to connect, which defaults to true.
            let options = fields["options"]
            let connect = options.option("connect")?.definitionFlag ?? true
            let createSlot = options.option("create_slot")?.definitionFlag ?? connect
            return createSlot ? "CREATE SUBSCRIPTION (creating a replication slot)" : nil
        case "DropSubscriptionStmt":
            return "DROP SUBSCRIPTION"
        case "DiscardStmt":
            return fields["target"].string == "DISCARD_ALL" ? "DISCARD ALL" : nil
        case "TransactionStmt":
            switch fields["kind"].string {
            case "TRANS_STMT_COMMIT_PREPARED": return "COMMIT PREPARED"
            case "TRANS_STMT_ROLLBACK_PREPARED": return "ROLLBACK PREPARED"
            default: return nil
            }
        case "AlterTableStmt":
            let detaches = fields["cmds"].list.contains { command in
                let command = command.fields("AlterTableCmd")
                return command?["subtype"].string == "AT_DetachPartition"
                    && command?["def"].fields("PartitionCmd")?["concurrent"].bool == true
            }
            return detaches ? "ALTER TABLE DETACH PARTITION CONCURRENTLY" : nil
        default:
            return nil
        }
    }
}

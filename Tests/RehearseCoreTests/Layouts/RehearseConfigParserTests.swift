import Testing
@testable import RehearseCore

@Suite struct RehearseConfigParserTests {
    let parser = RehearseConfigParser(displayPath: "shop/rehearse.yaml")

    private func error(_ yaml: String) -> InputError? {
        #expect(throws: InputError.self) { try parser.parse(yaml) }
    }

    @Test func readsEveryKeyWithItsLine() throws {
        let config = try parser.parse("""
        name: shop
        layout: flyway
        irreversible: [V3__drop_legacy, V5__squash]
        idempotence: never
        schema: db/schema.sql
        validators:
          V2__add_email:
            - checks/email.sql
          V4__orders: checks/orders.sql
        fixtures:
          - after: V2__add_email
            files: [fixtures/customers.sql, fixtures/orders.sql]
          - {after: V4__orders, files: fixtures/more.sql}
        policies:
          require_rollback: true
          require_validation: false
        extensions_ok: [pgcrypto]
        golang-migrate: {multi_statement: true}
        allow: [create-index-non-concurrently]
        """)
        #expect(config.displayPath == "shop/rehearse.yaml")
        #expect(config.name == "shop")
        #expect(config.layout == "flyway")
        #expect(config.irreversible == ["V3__drop_legacy", "V5__squash"])
        #expect(config.idempotence == .never)
        #expect(config.schema == "db/schema.sql")
        #expect(config.validators == ["V2__add_email": ["checks/email.sql"], "V4__orders": ["checks/orders.sql"]])
        #expect(config.fixtures == [
            .init(after: "V2__add_email", files: ["fixtures/customers.sql", "fixtures/orders.sql"], line: 11),
            .init(after: "V4__orders", files: ["fixtures/more.sql"], line: 13),
        ])
        #expect(config.requireRollback && !config.requireValidation)
        #expect(config.extensionsOK == ["pgcrypto"])
        #expect(config.golangMigrateMultiStatement)
        #expect(config.allow == ["create-index-non-concurrently"])
        #expect(config.lines["layout"] == 2)
        #expect(config.lines["irreversible"] == 3)
        #expect(config.lines["irreversible.V5__squash"] == 3)
        #expect(config.lines["schema"] == 5)
        #expect(config.lines["validators.V4__orders"] == 9)
        #expect(config.lines["fixtures"] == 10)
        #expect(config.lines["fixtures.V4__orders"] == 13)
        #expect(config.lines["policies.require_rollback"] == 15)
    }

    @Test func anEmptyFileIsTheDefaults() throws {
        #expect(try parser.parse("") == RehearseConfig(displayPath: "shop/rehearse.yaml"))
        #expect(try parser.parse("# nothing yet\n") == RehearseConfig(displayPath: "shop/rehearse.yaml"))
        let config = try parser.parse("irreversible:\nfixtures:\n")
        #expect(config.irreversible.isEmpty && config.fixtures.isEmpty)
    }

    @Test func unknownTopLevelKeyNamesTheLineAndTheClosestKey() {
        let typo = error("name: shop\nirreversable: [V1__a]\n")
        #expect(typo?.file == "shop/rehearse.yaml")
        #expect(typo?.line == 2)
        #expect(typo?.message.contains("unknown key `irreversable`") == true)
        #expect(typo?.message.contains("did you mean `irreversible`?") == true)
    }

    @Test func unknownNestedKeysAreErrorsToo() {
        let policy = error("policies:\n  require_rolback: true\n")
        #expect(policy?.line == 2)
        #expect(policy?.message.contains("did you mean `require_rollback`?") == true)
        let fixture = error("fixtures:\n  - aftr: V1__a\n    files: [a.sql]\n")
        #expect(fixture?.line == 2)
        #expect(fixture?.message.contains("did you mean `after`?") == true)
        let golang = error("golang-migrate:\n  multistatement: true\n")
        #expect(golang?.line == 2)
        #expect(golang?.message.contains("did you mean `multi_statement`?") == true)
        let far = error("colour: blue\n")
        #expect(far?.message.contains("did you mean") == false)
        #expect(far?.message.contains("known keys: name, layout") == true)
    }

    @Test func badIdempotenceValueListsTheRules() {
        let rule = error("name: shop\nidempotence: sometimes\n")
        #expect(rule?.line == 2)
        #expect(rule?.message.contains("expected one of always, never, outside-transaction") == true)
        #expect(error("idempotence: outside_transaction")?.message.contains("did you mean `outside-transaction`?") == true)
    }

    @Test func wrongTypesNameTheLine() {
        let list = error("name: shop\nirreversible: V1__a\n")
        #expect(list?.line == 2)
        #expect(list?.message.contains("`irreversible` must be a list") == true)
        let bool = error("policies:\n  require_rollback: maybe\n")
        #expect(bool?.line == 2)
        #expect(bool?.message.contains("must be true or false, not `maybe`") == true)
        #expect(error("fixtures: {after: V1__a}\n")?.message.contains("`fixtures` must be a list") == true)
        #expect(error("fixtures:\n  - files: [a.sql]\n")?.message.contains("has no `after`") == true)
        #expect(error("fixtures:\n  - after: V1__a\n")?.message.contains("names no `files`") == true)
        #expect(error("validators: [a.sql]\n")?.message.contains("`validators` must map migration ids") == true)
        #expect(error("name: [a, b]\n")?.message.contains("`name` must be a plain value") == true)
        #expect(error("- name\n")?.message.contains("the top level of rehearse.yaml must be a mapping") == true)
    }

    @Test func malformedYAMLNamesTheLine() {
        let malformed = error("name: shop\nfixtures: [\n  - after\n")
        #expect(malformed?.message.hasPrefix("malformed YAML") == true)
        #expect(malformed?.line != nil)
    }

    @Test func loadReadsTheFileOnlyWhenPresent() throws {
        let empty = try TemporaryRepository(["V1__a.sql": ""])
        defer { empty.remove() }
        let folder = RepositoryFolder(url: empty.root, display: "repo")
        #expect(try RehearseConfigParser.load(in: folder) == nil)
        let repo = try TemporaryRepository(["rehearse.yaml": "name: shop\n"])
        defer { repo.remove() }
        let config = try RehearseConfigParser.load(in: RepositoryFolder(url: repo.root, display: "repo"))
        #expect(config?.name == "shop")
        #expect(config?.displayPath == "repo/rehearse.yaml")
    }

    @Test func fixturesNamingAnUnknownMigrationPointAtTheirLine() throws {
        let repo = try TemporaryRepository([
            "V1__customers.sql": "CREATE TABLE customers (id int);",
            "V2__orders.sql": "CREATE TABLE orders (id int);",
            "fixtures/customers.sql": "INSERT INTO customers VALUES (1);",
            "rehearse.yaml": "name: shop\nfixtures:\n  - after: V1__customer\n    files: [fixtures/customers.sql]\n",
        ])
        defer { repo.remove() }
        let error = #expect(throws: InputError.self) { try MigrationSources.load(path: repo.path) }
        #expect(error?.file == repo.path + "/rehearse.yaml")
        #expect(error?.line == 3)
        #expect(error?.message.contains("`V1__customer`, which does not exist; did you mean `V1__customers`?") == true)
    }

    @Test func fixturesNamingAMissingFileAreErrors() throws {
        let repo = try TemporaryRepository([
            "V1__customers.sql": "CREATE TABLE customers (id int);",
            "rehearse.yaml": "fixtures:\n  - after: V1__customers\n    files: [fixtures/none.sql]\n",
        ])
        defer { repo.remove() }
        let error = #expect(throws: InputError.self) { try MigrationSources.load(path: repo.path) }
        #expect(error?.line == 2)
        #expect(error?.message.contains("fixtures/none.sql, which is not a file") == true)
    }
}

import Testing
@testable import RehearseCore

@Suite struct ProjectConfigParserTests {
    let parser = ProjectConfigParser(displayPath: "projects/shop/project-config.yaml")

    @Test func readsTheSeedShape() throws {
        let config = try parser.parse("""
        apiVersion: v1
        kind: ProjectConfig
        metadata:
          name: shop
          description: "Shop"
        spec:
          databases:
            primary:
              type: postgresql
              name: shop_db
              schemas: ["public", "audit"]
            documents:
              type: mongodb
          migration:
            policies:
              require_rollback: true
              require_validation: false
              backup_before_upgrade: yes
          compatibility_matrix:
            v1.0.0:
              upgrades_to: ["v1.1.0"]
              rollback_to: []
            v1.1.0:
              upgrades_to: []
              rollback_to: ["v1.0.0"]
        """)
        #expect(config.name == "shop")
        #expect(config.databases.map(\.kind) == [.postgresql, .mongodb])
        #expect(config.databases[0].schemas == ["public", "audit"])
        #expect(config.policies == .init(requireRollback: true, requireValidation: false, backupBeforeUpgrade: true))
        let matrix = try #require(config.compatibilityMatrix)
        #expect(matrix[SemanticVersion("v1.0.0")!]?.upgradesTo == [SemanticVersion("v1.1.0")!])
        #expect(matrix[SemanticVersion("v1.1.0")!]?.rollbackTo == [SemanticVersion("v1.0.0")!])
    }

    @Test func readsTheLintRulesAProjectAllows() throws {
        let config = try parser.parse("spec:\n  databases:\n    primary: {type: postgresql}\n  lint:\n    allow: [char-column, drop-column]\n")
        #expect(config.lint == .init(allow: ["char-column", "drop-column"], line: 5))
        #expect(try parser.parse("spec:\n  databases:\n    primary: {type: postgresql}\n").lint.allow == [])
        let misspelt = #expect(throws: InputError.self) {
            try parser.parse("spec:\n  databases:\n    primary: {type: postgresql}\n  lint: {alow: [x]}\n")
        }
        #expect(misspelt?.line == 4)
        #expect(misspelt?.message.contains("unknown key `alow` in `spec.lint`; did you mean `allow`?") == true, "\(String(describing: misspelt))")
    }

    @Test func malformedYAMLNamesFileAndLine() {
        let error = #expect(throws: InputError.self) {
            try parser.parse("spec:\n  databases:\n    primary: {type: postgresql\n  migration: x\n")
        }
        #expect(error?.file == "projects/shop/project-config.yaml")
        #expect(error?.line != nil)
        #expect(error?.description.contains("malformed YAML") == true)
    }

    @Test func wrongTypesNameTheLineAndWhatWasExpected() {
        let badType = #expect(throws: InputError.self) {
            try parser.parse("spec:\n  databases:\n    primary:\n      type: oracle\n")
        }
        #expect(badType?.line == 4)
        #expect(badType?.message.contains("expected `postgresql` or `mongodb`") == true)

        let badPolicy = #expect(throws: InputError.self) {
            try parser.parse("spec:\n  databases:\n    p: {type: postgresql}\n  migration:\n    policies:\n      require_rollback: maybe\n")
        }
        #expect(badPolicy?.line == 6)
        #expect(badPolicy?.message.contains("true or false") == true)

        let badVersion = #expect(throws: InputError.self) {
            try parser.parse("spec:\n  databases:\n    p: {type: postgresql}\n  compatibility_matrix:\n    v1.0.0:\n      upgrades_to: [\"1.1\"]\n")
        }
        #expect(badVersion?.line == 6)
        #expect(badVersion?.message.contains("v<major>.<minor>.<patch>") == true)
    }

    @Test func missingDatabasesIsAnError() {
        #expect(throws: InputError.self) { try parser.parse("metadata:\n  name: x\nspec: {}\n") }
        #expect(throws: InputError.self) { try parser.parse("metadata:\n  name: x\n") }
        #expect(throws: InputError.self) { try parser.parse("") }
    }

    @Test(arguments: [
        ("metadata: {name: x}\nspec:\n  databases:\n    p: {type: postgresql}\n  migration:\n    polices:\n      require_rollback: true\n", 6, "polices", "policies"),
        ("spec:\n  databases:\n    p: {type: postgresql}\n  compatibilty_matrix:\n    v1.0.0: {upgrades_to: []}\n", 4, "compatibilty_matrix", "compatibility_matrix"),
        ("spec:\n  databases:\n    p:\n      tpye: postgresql\n", 4, "tpye", "type"),
        ("metdata: {name: x}\nspec:\n  databases:\n    p: {type: postgresql}\n", 1, "metdata", "metadata"),
        ("metadata: {nmae: x}\nspec:\n  databases:\n    p: {type: postgresql}\n", 1, "nmae", "name"),
        ("spec:\n  databases:\n    p: {type: postgresql, schema: [public]}\n", 3, "schema", "schemas"),
        ("spec:\n  databases:\n    p: {type: postgresql}\n  migration:\n    policies:\n      require_rolback: true\n", 6, "require_rolback", "require_rollback"),
        ("spec:\n  databases:\n    p: {type: postgresql}\n  compatibility_matrix:\n    v1.0.0:\n      upgrade_to: []\n", 6, "upgrade_to", "upgrades_to"),
        ("spec:\n  database:\n    p: {type: postgresql}\n", 2, "database", "databases"),
    ])
    func unknownKeysNameTheLineAndTheClosestKnownKey(yaml: String, line: Int, key: String, closest: String) {
        let error = #expect(throws: InputError.self) { try parser.parse(yaml) }
        #expect(error?.file == "projects/shop/project-config.yaml")
        #expect(error?.line == line, "\(String(describing: error))")
        #expect(error?.message.contains("`\(key)`") == true, "\(String(describing: error))")
        #expect(error?.message.contains("did you mean `\(closest)`?") == true, "\(String(describing: error))")
    }

    @Test func freeFormMetadataIsAllowed() throws {
        let config = try parser.parse("apiVersion: v1\nkind: ProjectConfig\nmetadata:\n  name: x\n  labels: {team: payments}\n  annotations: {owner: me}\nspec:\n  databases:\n    p: {type: postgresql}\n")
        #expect(config.name == "x")
    }
}

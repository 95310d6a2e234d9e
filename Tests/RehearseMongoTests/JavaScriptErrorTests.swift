import Foundation
import RehearseCore
@testable import RehearseMongo
import Testing

/// How a JavaScript migration fails: each failure names the migration file and, where the error came from its
/// own code, the line and column of that frame.
@Suite(.enabled(if: MongoTestServer.shouldRun, MongoTestServer.skipReason))
struct JavaScriptErrorTests {
    /// Runs `source`'s `entry` on a fresh database of a disposable engine and returns how it failed.
    func failure(
        _ source: String, entry: String = "up", role: ScriptFile.Role = .forward, timeout: TimeInterval = 300
    ) throws -> ScriptFailure? {
        let folder = try JavaScriptFolder()
        let file = try folder.migration("010-broken.js", source, entry: entry, role: role)
        let engine = try MongoEngine.disposable(javaScriptTimeout: timeout)
        defer { engine.shutdown() }
        let database = try engine.createMongoDatabase(label: "js_error")
        defer { database.drop() }
        do {
            try database.apply(PreparedScript(file: file, statements: []))
            return nil
        } catch let failure as ScriptFailure {
            return failure
        }
    }

    @Test func anExceptionNamesTheMigrationsOwnLine() throws {
        let failure = try #require(try failure("""
        module.exports = {
          async up(db) {
            const meta = await db.collection('project_metadata').findOne({ project_name: 'shop' });
            if (meta?.project_version !== 'v1.0.0') {
              throw new Error(`Cannot upgrade from ${meta?.project_version} to v1.1.0`);
            }
          },
        };
        """))
        #expect(failure.file == "migrations/010-broken.js")
        #expect(failure.line == 5)
        #expect(failure.column == 13)
        #expect(failure.code == nil)
        #expect(failure.message == "up(): Cannot upgrade from undefined to v1.1.0")
    }

    @Test func anUncaughtServerErrorKeepsItsCodeAndTheCallingLine() throws {
        let failure = try #require(try failure("""
        module.exports = {
          async up(db) {
            const orders = db.collection('orders');
            await orders.createIndex({ number: 1 }, { unique: true });
            await orders.insertOne({ number: 'A-1' });
            await orders.insertOne({ number: 'A-1' });
          },
        };
        """))
        #expect(failure.line == 6)
        #expect(failure.code == "MongoDB error 11000")
        #expect(failure.message.hasPrefix("up(): "))
    }

    @Test func aRejectedPromiseOfANonErrorSaysWhatWasThrown() throws {
        let failure = try #require(try failure("""
        module.exports = {
          up() {
            return Promise.reject('not this way');
          },
        };
        """))
        #expect(failure.message == "up(): threw 'not this way', not an Error")
        #expect(failure.line == nil)
    }

    @Test func aMigrationThatNeverSettlesHitsTheTimeout() throws {
        let started = Date()
        let failure = try #require(try failure("""
        module.exports = {
          async up(db) {
            console.log('waiting forever');
            await new Promise(resolve => setTimeout(resolve, 600000));
          },
        };
        """, timeout: 1.5))
        #expect(Date().timeIntervalSince(started) < 30)
        #expect(failure.message == "up() did not settle within 1.5 s; node was stopped (statement timeout)")
        #expect(failure.detail?.contains("waiting forever") == true, "what the migration printed is kept")
    }

    @Test func aPromiseWithNothingLeftToWaitForFailsAtOnce() throws {
        let failure = try #require(try failure("""
        module.exports = {
          async down() {
            await new Promise(() => {});
          },
        };
        """, entry: "down", role: .undo))
        #expect(failure.message == "down() returned a promise that never settled, and nothing was left for it to wait for")
    }

    @Test func aMissingExportAndALoadErrorAreNamed() throws {
        let missing = try #require(try failure("module.exports = { async up() {} };\n", entry: "down", role: .undo))
        #expect(missing.message.hasPrefix("exports no function `down` (it exports `up`)"))

        let load = try #require(try failure("\nconst helper = require('./no-such-helper');\nmodule.exports = { async up() {} };\n"))
        #expect(load.message.hasPrefix("loading the migration failed: Cannot find module './no-such-helper'"))
        #expect(load.line == 2)
    }

    @Test func anUndoThatSendsNothingIsAnEmptyRollback() throws {
        let failure = try #require(try failure("module.exports = { async up() {}, async down() {} };\n", entry: "down", role: .undo))
        #expect(failure.message == "empty rollback: down() sent no command to the database")
        // The same function as a forward file is fine: a migration may find nothing to do.
        #expect(try self.failure("module.exports = { async up() {}, async down() {} };\n") == nil)
    }

    @Test func aMigrationThatEndsNodeFailsWithItsStatus() throws {
        let failure = try #require(try failure("""
        module.exports = {
          async up(db) {
            await db.collection('a').insertOne({ _id: 1 });
            console.error('giving up');
            process.exit(3);
          },
        };
        """))
        #expect(failure.message == "node exited with status 3 before up() settled")
        #expect(failure.detail?.contains("giving up") == true)
    }

    @Test func printingDoesNotDisturbThePipe() throws {
        #expect(try failure("""
        module.exports = {
          async up(db) {
            console.log('{"op": "done"}');
            process.stdout.write('not a message\\n');
            await db.collection('a').insertOne({ _id: 1 });
            console.info('inserted');
          },
        };
        """) == nil)
    }
}

/// What needs no server: syntax errors found by `node --check`, and a machine without Node.js.
@Suite struct JavaScriptPrepareTests {
    @Test func aSyntaxErrorIsAnInputErrorWithLineAndColumn() throws {
        let folder = try JavaScriptFolder()
        let file = try folder.migration("011-typo.js", """
        module.exports = {
          async up(db, client) {
            await db.collection('orders').createIndex({ number: 1 } { unique: true });
          },
        };
        """)
        // Node's caret stands after the last token it could read: the `}` before the missing comma.
        #expect {
            _ = try MongoScriptParser().prepare(file)
        } throws: { error in
            guard let error = error as? InputError else { return false }
            return error.file == "migrations/011-typo.js" && error.line == 3 && error.column == 59
                && error.message.hasPrefix("JavaScript syntax error: SyntaxError: ")
        }
        let good = try folder.migration("012-fine.js", "module.exports = { async up() {}, async down() {} };\n")
        let prepared = try MongoScriptParser().prepare(good)
        #expect(prepared.statements.isEmpty)
        #expect(prepared.file.entry == "up")
    }

    @Test func noNodeIsAnEnvironmentErrorSayingWhatToInstall() throws {
        let folder = try JavaScriptFolder()
        let file = try folder.migration("013-any.js", "module.exports = { async up() {} };\n")
        let empty = folder.root.appendingPathComponent("empty-bin").path
        #expect {
            _ = try MongoScriptParser(environment: ["PATH": empty]).prepare(file)
        } throws: { error in
            guard let error = error as? EnvironmentError else { return false }
            return error.message.contains("Node.js") && error.message.contains("apt-get install nodejs") && error.message.contains("REHEARSE_NODE")
        }
        #expect(throws: EnvironmentError.self) {
            _ = try MongoScriptParser(environment: ["PATH": empty, "REHEARSE_NODE": empty + "/node"]).prepare(file)
        }
        // JSON files never need Node.js.
        let json = folder.root.appendingPathComponent("001-x.json")
        try #"[{"create": "x"}]"#.write(to: json, atomically: true, encoding: .utf8)
        let jsonFile = ScriptFile(url: json, displayPath: "001-x.json", role: .forward, phase: "migrations", number: nil, summary: "x")
        #expect(try MongoScriptParser(environment: ["PATH": empty]).prepare(jsonFile).statements.count == 1)
    }

    @Test func nodeIsFoundThroughRehearseNodeThenPath() throws {
        let found = try NodeProgram.find()
        let explicit = try NodeProgram.find(environment: ["REHEARSE_NODE": found.executable.path, "PATH": ""])
        #expect(explicit.executable == found.executable)
        #expect(FileManager.default.fileExists(atPath: try NodeProgram.shimDirectory().appendingPathComponent("driver.js").path))
    }
}

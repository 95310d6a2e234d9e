/// Every script of a repository, parsed before any server starts, looked up by file.
public struct PreparedScripts: Sendable {
    private var byFile: [ScriptFile: PreparedScript] = [:]

    public init() {}

    /// Parses every file of every subject of `suite` with `parser`, collecting the input errors of all files.
    ///
    /// - Returns: the input errors found; the files that parsed are prepared either way.
    public mutating func prepare(_ suite: RehearsalSuite, with parser: some ScriptParser) -> [InputError] {
        var errors: [InputError] = []
        for subject in suite.subjects {
            for file in subject.allFiles where byFile[file] == nil {
                do {
                    byFile[file] = try parser.prepare(file)
                } catch let error as InputError {
                    errors.append(error)
                } catch let error as InputErrors {
                    errors += error.errors
                } catch {
                    errors.append(InputError(file: file.displayPath, "\(error)"))
                }
            }
        }
        return errors
    }

    /// Adds one prepared script.
    public mutating func add(_ script: PreparedScript) {
        byFile[script.file] = script
    }

    /// The prepared script of `file`, when it was prepared.
    public func script(for file: ScriptFile) -> PreparedScript? {
        byFile[file]
    }

    public subscript(file: ScriptFile) -> PreparedScript {
        guard let script = byFile[file] else {
            preconditionFailure("\(file.displayPath) was not prepared before the rehearsal")
        }
        return script
    }

    public var count: Int { byFile.count }
}

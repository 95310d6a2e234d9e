/// Every script of a repository, parsed before any server starts, looked up by file.
public struct PreparedScripts: Sendable {
    private var byFile: [ScriptFile: PreparedScript] = [:]

    public init() {}

    /// Parses every file of every subject of `suite` with `parser`, collecting the input errors of all files.
    ///
    /// - Returns: the input errors found, each once; the files that parsed are prepared either way.
    /// - Throws: an ``EnvironmentError`` (a missing program such as Node.js) once, however many files need it.
    public mutating func prepare(_ suite: RehearsalSuite, with parser: some ScriptParser) throws -> [InputError] {
        var errors: [InputError] = []
        var failed = Set<String>()
        for subject in suite.subjects {
            for file in subject.allFiles where byFile[file] == nil {
                // One file may appear twice (a JavaScript migration's `up` and its own `down`): parse it, and report
                // what is wrong with it, once.
                guard !failed.contains(file.displayPath) else { continue }
                do {
                    byFile[file] = try parser.prepare(file)
                } catch let error as EnvironmentError {
                    throw error
                } catch let error as InputError {
                    failed.insert(file.displayPath)
                    if !errors.contains(error) { errors.append(error) }
                } catch let error as InputErrors {
                    failed.insert(file.displayPath)
                    errors += error.errors.filter { !errors.contains($0) }
                } catch {
                    failed.insert(file.displayPath)
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

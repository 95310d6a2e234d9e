/// Names, for each object of a schema difference, the statement that created, changed or dropped it and the undo
/// that should have undone it (DESIGN.md, "Failures point at files"): `created by …/V1.1.0.012__x.sql:3`.
///
/// Objects come from the parse trees of the scripts (``ScriptStatement/objects``). An object no statement names
/// exactly is traced to the nearest enclosing object a statement touched (a column to its table), and an object
/// nothing touched gets no line rather than a guess.
struct DiffAttribution {
    /// One statement that touched an object.
    struct Touch {
        let action: StatementObject.Action
        let file: ScriptFile
        let line: Int
        /// Found through an enclosing object (a column through its table's `ALTER TABLE`).
        var isEnclosing = false
        var location: String { "\(file.displayPath):\(line)" }
    }

    private let forward: [String: Touch]
    private let forwardByName: [String: Touch]
    private let undo: [String: Touch]
    private let undoByName: [String: Touch]
    private let undoFiles: [ScriptFile]
    private let undoLocation: String?

    init(forward: [PreparedScript], undo: [PreparedScript] = [], undoLocation: String? = nil) {
        (self.forward, self.forwardByName) = Self.index(forward)
        (self.undo, self.undoByName) = Self.index(undo)
        self.undoFiles = undo.map(\.file)
        self.undoLocation = undoLocation
    }

    /// The last statement naming each (kind, name), and each name whatever its kind.
    private static func index(_ scripts: [PreparedScript]) -> ([String: Touch], [String: Touch]) {
        var exact: [String: Touch] = [:]
        var byName: [String: Touch] = [:]
        for script in scripts {
            for statement in script.statements {
                for object in statement.objects {
                    let touch = Touch(action: object.action, file: script.file, line: statement.line)
                    exact[object.kind + " " + object.name] = touch
                    byName[object.name] = touch
                }
            }
        }
        return (exact, byName)
    }

    /// The forward statement behind `object`: exactly, else the closest enclosing name (`public.t.c` → `public.t`).
    func forwardTouch(of object: SnapshotObject) -> Touch? {
        Self.lookup(object, exact: forward, byName: forwardByName)
    }

    func undoTouch(of object: SnapshotObject) -> Touch? {
        Self.lookup(object, exact: undo, byName: undoByName)
    }

    private static func lookup(_ object: SnapshotObject, exact: [String: Touch], byName: [String: Touch]) -> Touch? {
        if let touch = exact[object.kind + " " + object.name] { return touch }
        var name = object.name
        while let dot = name.lastIndex(of: ".") {
            name = String(name[..<dot])
            // `public` alone is a schema, not something a statement on this object touched.
            guard name.contains(".") else { break }
            if let touch = byName[name] { return touch.enclosing }
        }
        return nil
    }

    /// The undo file with the forward file's number (Flyway's `U…` for its `V…`), else the undo folder or file.
    func undoFor(_ touch: Touch) -> String? {
        if let number = touch.file.number, let match = undoFiles.first(where: { $0.number == number }) {
            return match.displayPath
        }
        if undoFiles.count == 1 { return undoFiles[0].displayPath }
        return undoLocation ?? undoFiles.first?.displayPath
    }

    /// The undo file a reviewer should open to fix `change`: the one that should have undone its forward statement.
    func undoFile(for change: SnapshotDiff.Change) -> String? {
        let object: SnapshotObject = switch change {
        case let .added(object), let .removed(object): object
        case let .changed(before, _): before
        }
        return forwardTouch(of: object).flatMap(undoFor)
    }

    /// Lines under a reversibility difference: what the forward did and which undo should have reverted it.
    func afterRollback(_ change: SnapshotDiff.Change) -> [String] {
        switch change {
        case let .added(object):
            // Present after rollback only: the undo made it, or the forward made it and the undo left it. A forward
            // drop explains nothing here (the object was not there to drop: `DROP … IF EXISTS`, or a table whose
            // undo re-creates it with more than it had).
            let forward = forwardTouch(of: object).flatMap { $0.action == .dropped ? nil : $0 }
            if let touch = undoTouch(of: object), touch.action == .created || (touch.isEnclosing && forward == nil) {
                return ["\(touch.isEnclosing ? "added" : "created") by \(touch.location) in the undo"]
            }
            guard let touch = forward else { return [] }
            return ["\(touch.verb) by \(touch.location)" + (undoFor(touch).map { "; \($0) should drop it" } ?? "")]
        case let .removed(object):
            // Present before forward only: the undo dropped it, or the forward dropped it and the undo did not bring
            // it back. An undo that only re-creates the enclosing table the forward dropped is the second case.
            let forward = forwardTouch(of: object)
            if let touch = undoTouch(of: object),
                touch.action == .dropped || (touch.isEnclosing && forward?.action != .dropped)
            {
                return ["dropped by \(touch.location), which should leave it in place"]
            }
            guard let touch = forward else { return [] }
            return ["\(touch.verb) by \(touch.location)" + (undoFor(touch).map { "; \($0) should re-create it" } ?? "")]
        case let .changed(before, _):
            if let touch = undoTouch(of: before) { return ["changed by \(touch.location) in the undo"] }
            guard let touch = forwardTouch(of: before) else { return [] }
            return ["\(touch.verb) by \(touch.location)" + (undoFor(touch).map { "; \($0) should restore it" } ?? "")]
        }
    }

    /// Lines under a difference between the forward result and another state (reapply, idempotence, equivalence).
    func forwardLines(_ change: SnapshotDiff.Change) -> [String] {
        let object: SnapshotObject = switch change {
        case let .added(object), let .removed(object): object
        case let .changed(before, _): before
        }
        guard let touch = forwardTouch(of: object) else { return [] }
        return ["\(touch.verb) by \(touch.location)"]
    }
}

extension DiffAttribution.Touch {
    /// The same statement, found through an enclosing object: it changed the object's owner.
    var enclosing: DiffAttribution.Touch {
        DiffAttribution.Touch(action: action == .dropped ? .dropped : .altered, file: file, line: line, isEnclosing: true)
    }

    /// `created`, `changed`, `dropped`.
    var verb: String {
        switch action {
        case .created: "created"
        case .altered: "changed"
        case .dropped: "dropped"
        }
    }
}

import Foundation

/// The differences between two schema snapshots, as lines a reviewer reads without the database.
///
/// `+` an object only in the second snapshot, `-` only in the first, `~` in both but changed.
public struct SnapshotDiff: Sendable, Equatable {
    public enum Change: Sendable, Equatable {
        case added(SnapshotObject)
        case removed(SnapshotObject)
        case changed(before: SnapshotObject, after: SnapshotObject)
    }

    public let changes: [Change]
    /// Differences that do not fail a check unless asked to (column order).
    public let notes: [String]

    /// Compares `before` with `after`. Column positions count as a change only when `strictColumnOrder`.
    public init(from before: SchemaSnapshot, to after: SchemaSnapshot, strictColumnOrder: Bool = false) {
        // The common case, and cheap: snapshots of one step share their text, so equal objects compare at once.
        if before.objects == after.objects {
            changes = []
            notes = []
            return
        }
        struct Key: Hashable { let kind: String, name: String }
        let old = Dictionary(before.objects.map { (Key(kind: $0.kind, name: $0.name), $0) }, uniquingKeysWith: { a, _ in a })
        let new = Dictionary(after.objects.map { (Key(kind: $0.kind, name: $0.name), $0) }, uniquingKeysWith: { a, _ in a })
        var changes: [Change] = []
        var moved: [String] = []
        var reindented: [String] = []
        for key in Set(old.keys).union(new.keys).sorted(by: { ($0.kind, $0.name) < ($1.kind, $1.name) }) {
            switch (old[key], new[key]) {
            case let (a?, b?):
                if a.definition != b.definition {
                    if Self.differsInIndentationOnly(a, b) {
                        reindented.append("\(a.kind) \(a.name)")
                    } else {
                        changes.append(.changed(before: a, after: b))
                    }
                } else if a.position != b.position {
                    if strictColumnOrder {
                        changes.append(.changed(before: a, after: b))
                    } else {
                        moved.append("\(a.kind) \(a.name) moved from position \(a.position.map(String.init) ?? "?") to \(b.position.map(String.init) ?? "?")")
                    }
                }
            case let (a?, nil): changes.append(.removed(a))
            case let (nil, b?): changes.append(.added(b))
            case (nil, nil): break
            }
        }
        self.changes = changes
        var notes: [String] = []
        if !moved.isEmpty {
            notes += ["column order differs (not a failure without --strict-column-order):"] + moved.map { "  " + $0 }
        }
        if !reindented.isEmpty {
            notes += ["bodies differ in indentation or blank lines only (not a failure):"] + reindented.map { "  " + $0 }
        }
        self.notes = notes
    }

    /// Kinds whose definition holds a body the server keeps exactly as written (PostgreSQL's `prosrc`).
    static let bodyKinds: Set<String> = ["function", "procedure"]

    /// Whether two routine definitions differ only in the layout of their lines: indentation, trailing spaces and
    /// blank lines. An undo that re-creates a function from a re-indented copy (crates.io's downs do) restores its
    /// behaviour; a reviewer gains nothing from a failure there. Only a multi-line string literal whose continuation
    /// lines change indentation could hide behind this, which is taken as the lesser risk.
    static func differsInIndentationOnly(_ a: SnapshotObject, _ b: SnapshotObject) -> Bool {
        guard bodyKinds.contains(a.kind) else { return false }
        func layoutFree(_ text: String) -> [String] {
            text.split(separator: "\n").map { $0.trimmingCharacters(in: .whitespacesAndNewlines) }.filter { !$0.isEmpty }
        }
        return layoutFree(a.definition) == layoutFree(b.definition)
    }

    public var isEmpty: Bool { changes.isEmpty }

    /// One or more lines per change: `+ column public.users.email varchar(255) not null`.
    public var lines: [String] {
        changes.flatMap(Self.render)
    }

    /// The rendered diff, followed by notes.
    public var text: String {
        (lines + notes).joined(separator: "\n")
    }

    /// The rendered diff with `annotate`'s lines (indented) after each change, followed by notes.
    public func text(annotating annotate: (Change) -> [String]) -> String {
        let body = changes.flatMap { change in Self.render(change) + annotate(change).map { "    " + $0 } }
        return (body + notes).joined(separator: "\n")
    }

    private static func render(_ change: Change) -> [String] {
        switch change {
        case let .added(object): return ["+ " + headline(object)]
        case let .removed(object): return ["- " + headline(object)]
        case let .changed(before, after):
            let label = "~ \(before.kind) \(before.name)"
            if before.definition == after.definition {
                return ["\(label): position \(before.position.map(String.init) ?? "?") -> \(after.position.map(String.init) ?? "?")"]
            }
            if !before.definition.contains("\n"), !after.definition.contains("\n"), before.definition.count + after.definition.count < 240 {
                return ["\(label): \(before.definition) -> \(after.definition)"]
            }
            let oldLines = DefinitionLines.lines(before.definition)
            let newLines = DefinitionLines.lines(after.definition)
            return [label + ":"] + LineDiff.lines(from: oldLines, to: newLines).map { "    " + $0 }
        }
    }

    private static func headline(_ object: SnapshotObject) -> String {
        var firstLine = object.definition.split(separator: "\n", maxSplits: 1, omittingEmptySubsequences: false).first.map(String.init) ?? ""
        var more = object.definition.contains("\n") ? " …" : ""
        if firstLine.count > 160 {
            firstLine = String(firstLine.prefix(160))
            more = " …"
        }
        return firstLine.isEmpty ? "\(object.kind) \(object.name)" : "\(object.kind) \(object.name) \(firstLine)\(more)"
    }
}

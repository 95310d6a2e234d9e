extension RehearsalSuite {
    /// The subjects whose results `subject` needs before it can run: the one it starts from and the one its
    /// `equivalence` compares with, when they are subjects of this suite.
    public func dependencies(of subject: RehearsalSubject) -> [MigrationSubject] {
        var needs: [MigrationSubject] = []
        if case let .resultOf(other) = subject.start { needs.append(other) }
        if case let .subject(other, _) = subject.equivalence { needs.append(other) }
        return needs.filter { self.subject($0) != nil }
    }

    /// The suite narrowed to `ids` (`--changed-since`, `--shard`): those subjects keep their state, every
    /// subject they need (transitively: a chain's earlier steps, an upgrade's installed old version, the fresh
    /// install its `equivalence` compares with) is applied forward only, and every other subject is left out.
    ///
    /// Plan order is kept, so a subject still comes after the subjects it starts from.
    public func keeping(_ ids: Set<MigrationSubject>) -> RehearsalSuite {
        var needed: Set<MigrationSubject> = []
        var pending = subjects.filter { ids.contains($0.id) }
        while let next = pending.popLast() {
            for dependency in dependencies(of: next) where !ids.contains(dependency) && !needed.contains(dependency) {
                needed.insert(dependency)
                if let subject = subject(dependency) { pending.append(subject) }
            }
        }
        var copy = self
        copy.subjects = subjects.compactMap { subject in
            if ids.contains(subject.id) { return subject }
            guard needed.contains(subject.id) else { return nil }
            var forwardOnly = subject
            forwardOnly.rehearsed = false
            return forwardOnly
        }
        return copy
    }

    /// The subjects that start from, or compare with, any of `ids`, transitively, with `ids` themselves.
    public func dependents(of ids: Set<MigrationSubject>) -> Set<MigrationSubject> {
        var closure = ids
        var changed = true
        while changed {
            changed = false
            for subject in subjects where !closure.contains(subject.id) {
                if dependencies(of: subject).contains(where: closure.contains) {
                    closure.insert(subject.id)
                    changed = true
                }
            }
        }
        return closure
    }
}

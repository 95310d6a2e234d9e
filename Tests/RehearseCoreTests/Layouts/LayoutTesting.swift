@testable import RehearseCore

/// Loading a temporary repository through detection, as `rehearse verify PATH` does.
enum LayoutTesting {
    /// The one chain suite of the repository.
    static func chain(_ repo: TemporaryRepository, layout: String? = nil) throws -> RehearsalSuite {
        let loaded = try MigrationSources.load(path: repo.path, layout: layout)
        guard loaded.suites.count == 1, let suite = loaded.suites.first else {
            throw InputError("expected one suite, got \(loaded.suites.count)")
        }
        return suite
    }

    /// Every input error `body` throws (one ``InputError`` or several in ``InputErrors``); empty when it throws none.
    static func inputErrors(_ body: () throws -> Void) -> [InputError] {
        do {
            try body()
            return []
        } catch let error as InputError {
            return [error]
        } catch let errors as InputErrors {
            return errors.errors
        } catch {
            return [InputError("unexpected error: \(error)")]
        }
    }
}

extension RehearsalSuite {
    /// The subject ids in chain order.
    var ids: [String] {
        subjects.map { subject in
            if case let .migration(id) = subject.id { return id }
            return "\(subject.id)"
        }
    }

    func step(_ id: String) -> RehearsalSubject? {
        subject(.migration(id))
    }
}

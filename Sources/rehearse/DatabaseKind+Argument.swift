import ArgumentParser
import RehearseKit

extension DatabaseKind: ExpressibleByArgument {
    public static var allValueStrings: [String] { allCases.map(\.rawValue) }
}

extension RehearsalSubject.IdempotenceRule: ExpressibleByArgument {
    public static var allValueStrings: [String] { allCases.map(\.rawValue) }
}

import Foundation
import RehearseCore

extension LoadedRepository {
    /// The absolute location of a file a failure or an input error names.
    ///
    /// Messages name files as the user wrote the repository path, then the names below it
    /// (`sample-migrations/projects/e-commerce/…`); such a path is resolved against ``root``, so it does not
    /// depend on the working directory staying the same. Any other relative path is taken from the working
    /// directory, as the user typed it there.
    public func url(forDisplayPath path: String) -> URL {
        if path.hasPrefix("/") { return URL(fileURLWithPath: path).standardizedFileURL }
        if displayPath == "." { return root.appendingPathComponent(path).standardizedFileURL }
        if path == displayPath { return root }
        let prefix = displayPath.hasSuffix("/") ? displayPath : displayPath + "/"
        if path.hasPrefix(prefix) {
            return root.appendingPathComponent(String(path.dropFirst(prefix.count))).standardizedFileURL
        }
        return URL(fileURLWithPath: path).standardizedFileURL
    }
}

import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// Debian's libmongoc keeps performance counters in a shared memory file, `/dev/shm/mongoc-<pid>`, which it makes
/// when the library is loaded (before any code of ours runs, so `MONGOC_DISABLE_SHM` comes too late) and removes
/// only in `mongoc_cleanup`. A process that ends without it, or is killed, leaves the file in memory for good.
/// Removing the name right away keeps the counters working (they stay mapped) and leaves nothing behind.
public enum MongoSharedCounters {
    /// Removes this process's counters file, if libmongoc made one. Safe to call more than once.
    public static func release() {
        #if os(Linux)
        _ = unlink("/dev/shm/mongoc-\(getpid())")
        #endif
    }
}

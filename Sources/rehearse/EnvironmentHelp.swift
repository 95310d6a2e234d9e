/// The environment variables Rehearse reads, for `--help`: one place, so that a new variable is listed once.
enum EnvironmentHelp {
    static let variables: [(name: String, meaning: String)] = [
        ("REHEARSE_PG_BIN", "directory holding initdb, pg_ctl, postgres (and pg_dump, pg_restore)"),
        ("REHEARSE_MONGOD", "the mongod program to start"),
        ("REHEARSE_NX27017", "the nx-27017 program to start when there is no mongod"),
        ("REHEARSE_CACHE_DIR", "where ci/install.sh put nx-27017 and pristine PostgreSQL clusters are kept (default ~/.cache/rehearse)"),
        ("REHEARSE_NO_CLUSTER_CACHE", "1: run initdb every time instead of copying the cached pristine cluster"),
        ("REHEARSE_SHARD", "I/N: rehearse only that part of the run, as --shard does"),
        ("REHEARSE_POSTGRES_URL", "default for --postgres-url (keeps a password off the command line; PG* work too)"),
        ("REHEARSE_MONGODB_URL", "default for --mongodb-url"),
        ("REHEARSE_SERVER_USER", "as root: the account the disposable PostgreSQL runs as (default nobody, never postgres)"),
        ("REHEARSE_SERVER_DIR", "where disposable PostgreSQL servers keep their files (default /dev/shm when it is a tmpfs with 2 GiB free, else TMPDIR)"),
        ("TMPDIR", "where disposable MongoDB servers keep their files, and PostgreSQL ones when /dev/shm does not qualify"),
        ("NO_COLOR", "set to anything: no colours even on a terminal"),
        ("GITHUB_ACTIONS", "true: also print each failure as an ::error file=…,line=…:: annotation"),
        ("GITHUB_STEP_SUMMARY", "a file: the Markdown summary is appended to it"),
        ("GITHUB_WORKSPACE", "annotation paths are made relative to it"),
    ]

    /// The `ENVIRONMENT` paragraph of `--help`.
    static var text: String {
        let width = variables.map(\.name.count).max() ?? 0
        return "Environment:\n" + variables.map { name, meaning in
            "  " + name + String(repeating: " ", count: width - name.count + 2) + meaning
        }.joined(separator: "\n")
    }
}

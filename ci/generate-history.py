#!/usr/bin/env python3
"""Writes a synthetic migration history of N migrations in one flat layout, for benchmarks.

Per table the history runs six migrations: create it (identity key, NOT NULL and CHECK constraints, a default),
add a column with a default, backfill 100 rows, index it, add a foreign key to the previous table, and create a
view. Every migration has its down and a verify query, so every check Rehearse has can run on it. The index
build and the foreign key are plain, blocking forms (what the peers run); a `-- rehearse:allow` comment above each
lets `safety` measure them without failing the corpus.

  python3 ci/generate-history.py --layout golang-migrate --count 240 --out /tmp/history
Layouts: golang-migrate, flyway, sqitch (with deploy/revert/verify), yoyo (Python-free .sql/.rollback.sql pairs,
each naming the one before it with `-- depends:`, so yoyo's order is the history's), psql (forward.sql, rollback.sql
and verify.sql, plus session.sql: the statements `rehearse verify` runs on the sqitch layout, in its order, for one
`psql -v ON_ERROR_STOP=1` session, and session-without-safety.sql, the same without the forward that `safety`
measures and rolls back, which is what session.sql held before 2026-12-02; see `session`).
"""
import argparse
import os


def migration(index):
    """(name, up, down, verify) of migration `index` (1-based)."""
    table, kind = divmod(index - 1, 6)
    t = f"t{table + 1:04d}"
    previous = f"t{table:04d}" if table > 0 else t
    if kind == 0:
        return (f"create_{t}",
                f"CREATE TABLE {t} (\n  id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,\n"
                f"  name text NOT NULL CHECK (length(name) > 0),\n  created_at timestamptz NOT NULL DEFAULT now()\n);\n",
                f"DROP TABLE {t};\n",
                f"SELECT id, name, created_at FROM {t} WHERE false;\n")
    if kind == 1:
        return (f"add_status_to_{t}",
                f"ALTER TABLE {t} ADD COLUMN status text NOT NULL DEFAULT 'new';\n",
                f"ALTER TABLE {t} DROP COLUMN status;\n",
                f"SELECT status FROM {t} WHERE false;\n")
    if kind == 2:
        return (f"backfill_{t}",
                f"INSERT INTO {t} (name) SELECT 'row ' || g FROM generate_series(1, 100) AS g;\n",
                f"DELETE FROM {t} WHERE name LIKE 'row %';\n",
                f"SELECT 1 / (count(*) / 100) FROM {t};\n")
    if kind == 3:
        return (f"index_{t}_status",
                f"-- rehearse:allow create-index-non-concurrently (benchmark corpus: a plain build, as peers run it)\n"
                f"CREATE INDEX {t}_status_idx ON {t} (status);\n",
                f"DROP INDEX {t}_status_idx;\n",
                f"SELECT 1 / count(*) FROM pg_indexes WHERE indexname = '{t}_status_idx';\n")
    if kind == 4:
        return (f"link_{t}",
                f"-- rehearse:allow add-foreign-key (benchmark corpus: validated at once, as peers run it)\n"
                f"ALTER TABLE {t} ADD COLUMN parent_id bigint REFERENCES {previous} (id);\n",
                f"ALTER TABLE {t} DROP COLUMN parent_id;\n",
                f"SELECT parent_id FROM {t} WHERE false;\n")
    return (f"view_{t}",
            f"CREATE VIEW {t}_summary AS SELECT status, count(*) AS rows FROM {t} GROUP BY status;\n",
            f"DROP VIEW {t}_summary;\n",
            f"SELECT status, rows FROM {t}_summary WHERE false;\n")


def sqitch_scripts(up, down, verify):
    """The deploy, revert and verify scripts of one Sqitch change: each holds its own transaction, as Sqitch's own
    templates do (a verify rolls back what it did)."""
    return "BEGIN;\n" + up + "COMMIT;\n", "BEGIN;\n" + down + "COMMIT;\n", "BEGIN;\n" + verify + "ROLLBACK;\n"


def session(items, safety=True):
    """The scripts `rehearse verify` runs on the sqitch layout of `items`, as one script: per migration, the forward
    that `safety` measures and rolls back (with `safety=True`), forward (`forward`), its verify (`validate`), the
    revert (`rollback`, on a copy of the forward result) and forward again on what the revert left (`reapply`). No
    second forward for `idempotence`: every change runs in one transaction, where DESIGN.md skips that check; nor
    the second measured forward that `safety` runs, with generated rows, for a migration that touches an empty
    table. Rehearse's own work (copies, catalog snapshots, data digests) is not in it: that work is what a
    benchmark against this file measures."""
    parts = []
    for i, (name, up, down, verify) in enumerate(items, 1):
        deploy, revert, check = sqitch_scripts(up, down, verify)
        measured = "BEGIN;\n" + up + "ROLLBACK;\n" if safety else ""
        parts.append(f"-- migration {i}: {name}\n" + measured + deploy + check + revert + deploy)
    return "".join(parts)


def write(path, text):
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "w", encoding="utf-8") as handle:
        handle.write(text)


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--layout", required=True, choices=["golang-migrate", "flyway", "sqitch", "yoyo", "psql"])
    parser.add_argument("--count", type=int, required=True)
    parser.add_argument("--out", required=True)
    args = parser.parse_args()
    out = args.out
    items = [migration(i) for i in range(1, args.count + 1)]
    if args.layout == "golang-migrate":
        for i, (name, up, down, _) in enumerate(items, 1):
            write(f"{out}/{i:06d}_{name}.up.sql", up)
            write(f"{out}/{i:06d}_{name}.down.sql", down)
    elif args.layout == "flyway":
        for i, (name, up, down, _) in enumerate(items, 1):
            write(f"{out}/V{i}__{name}.sql", up)
            write(f"{out}/U{i}__{name}.sql", down)
    elif args.layout == "sqitch":
        write(f"{out}/sqitch.conf", "[core]\n\tengine = pg\n")
        plan = ["%syntax-version=1.0.0", "%project=history", ""]
        for i, (name, up, down, verify) in enumerate(items, 1):
            change = f"m{i:06d}_{name}"
            plan.append(f"{change} 2024-01-01T00:00:00Z Bench <bench@example.com> # migration {i}")
            deploy, revert, check = sqitch_scripts(up, down, verify)
            write(f"{out}/deploy/{change}.sql", deploy)
            write(f"{out}/revert/{change}.sql", revert)
            write(f"{out}/verify/{change}.sql", check)
        write(f"{out}/sqitch.plan", "\n".join(plan) + "\n")
    elif args.layout == "yoyo":
        previous = None
        for i, (name, up, down, _) in enumerate(items, 1):
            migration_id = f"{i:06d}_{name}"
            depends = f"-- depends: {previous}\n" if previous else ""
            write(f"{out}/{migration_id}.sql", depends + up)
            write(f"{out}/{migration_id}.rollback.sql", down)
            previous = migration_id
    else:
        write(f"{out}/forward.sql", "".join(up for _, up, _, _ in items))
        write(f"{out}/rollback.sql", "".join(down for _, _, down, _ in reversed(items)))
        write(f"{out}/verify.sql", "".join(verify for _, _, _, verify in items))
        write(f"{out}/session.sql", session(items))
        write(f"{out}/session-without-safety.sql", session(items, safety=False))


if __name__ == "__main__":
    main()

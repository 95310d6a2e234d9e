#!/usr/bin/env bash
# Rerunnable benchmark of `rehearse verify` against the tools a team would otherwise use, on one generated history.
#
# ci/generate-history.py writes the same N migrations (per table: create with constraints, a column with a
# default, a 100-row backfill, an index, a foreign key, a view; each with its down and a verify) in three layouts,
# once each. Every round then times, alternating and in one run:
#   (a)  rehearse verify CORPUS                    the sqitch layout (so verify scripts run), its own disposable server
#   (a2) rehearse verify CORPUS --postgres-url …   the same, on the shared server the peers use
#   (b)  psql, one session: the scripts Rehearse runs in its checks (session.sql of the psql layout), the forward
#        that `safety` measures and rolls back included
#   (b2) the same without that forward (session-without-safety.sql: what (b) ran before 2026-12-02)
#   (c)  yoyo apply -> rollback -> apply           yoyo layout
#   (d)  sqitch deploy --verify -> revert -y -> deploy
# Each peer runs on a fresh database of ONE private PostgreSQL 15 server started here with the settings of
# Rehearse's disposable server (Sources/RehearsePostgres/PostgresCluster.swift: fsync, synchronous_commit and
# full_page_writes off, unix socket only, scram-sha-256), in the folder Rehearse's own server would use (/dev/shm when
# it is a tmpfs with room, see ServerDirectoryBase.swift), run as `nobody` when this runs as root, never as
# `postgres`, and removed at exit. Every run's exit status is checked, every peer's final database is compared with
# what the history must leave, and Rehearse's verdict must be all-pass: anything else aborts with its output.
# Results are medians and ratios of runs measured together; absolute seconds do not compare across machines.
#
# Usage: bash ci/benchmark-peers.sh [--count N] [--rounds R] [--scale A,B] [--install]
#   --count N     migrations in the history (default 100)
#   --rounds R    rounds of alternating runs (default 3)
#   --scale A,B   also time (a) at A and at B migrations, alternating, for the ratio B/A and peak RSS per size
#   --install     install the missing peers (apt-get: sqitch libdbd-pg-perl hyperfine time; pip: yoyo-migrations
#                 psycopg2-binary) instead of only saying how
# hyperfine is optional: when present it measures the time to a ready server (many short runs); without it a
# plain loop does. It is not used for the peers, which must alternate in one run.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
invocation="bash ci/benchmark-peers.sh${*:+ $*}"
count=100
rounds=3
scale=""
install=0
usage() { sed -n '/^# Usage:/,/^set -euo/p' "${BASH_SOURCE[0]}" | sed '$d; s/^# \{0,1\}//'; }
while [ $# -gt 0 ]; do
    case "$1" in
        --count) count="${2:-}"; shift 2 || { usage >&2; exit 2; } ;;
        --rounds) rounds="${2:-}"; shift 2 || { usage >&2; exit 2; } ;;
        --scale) scale="${2:-}"; shift 2 || { usage >&2; exit 2; } ;;
        --install) install=1; shift ;;
        -h|--help) usage; exit 0 ;;
        *) echo "benchmark-peers: unknown argument '$1'" >&2; usage >&2; exit 2 ;;
    esac
done
positive() { [[ "$1" =~ ^[1-9][0-9]*$ ]] || { echo "benchmark-peers: $2 must be a positive integer, not '$1'" >&2; exit 2; }; }
positive "$count" --count
positive "$rounds" --rounds
scale_sizes=()
if [ -n "$scale" ]; then
    IFS=, read -r -a scale_sizes <<<"$scale"
    [ "${#scale_sizes[@]}" -eq 2 ] || { echo "benchmark-peers: --scale takes two sizes, e.g. 100,1000" >&2; exit 2; }
    positive "${scale_sizes[0]}" --scale; positive "${scale_sizes[1]}" --scale
fi
pgbin="${REHEARSE_BENCH_PGBIN:-/usr/lib/postgresql/15/bin}"

# --- Prerequisites: said, or installed with --install; never installed silently. ---------------------------------
python="$(python3 -c 'import sys; print(sys.executable)')"   # the real interpreter, not a pyenv shim per call
apt_missing=(); pip_missing=()
command -v sqitch >/dev/null || apt_missing+=(sqitch)
perl -MDBD::Pg -e 1 2>/dev/null || apt_missing+=(libdbd-pg-perl)
[ -x /usr/bin/time ] || apt_missing+=(time)
"$python" -c 'import yoyo' 2>/dev/null || pip_missing+=(yoyo-migrations)
"$python" -c 'import psycopg2' 2>/dev/null || pip_missing+=(psycopg2-binary)
have_hyperfine=1; command -v hyperfine >/dev/null || have_hyperfine=0
for program in initdb postgres psql pg_isready; do
    [ -x "$pgbin/$program" ] || { echo "benchmark-peers: $pgbin/$program is missing; install PostgreSQL 15 (apt-get install -y postgresql-15) or set REHEARSE_BENCH_PGBIN" >&2; exit 2; }
done
if [ "${#apt_missing[@]}" -gt 0 ] || [ "${#pip_missing[@]}" -gt 0 ] || [ "$have_hyperfine" -eq 0 ]; then
    apt_wanted=("${apt_missing[@]}"); [ "$have_hyperfine" -eq 1 ] || apt_wanted+=(hyperfine)
    if [ "$install" -eq 1 ]; then
        sudo=(); [ "$(id -u)" -eq 0 ] || sudo=(sudo)
        if [ "${#apt_wanted[@]}" -gt 0 ]; then
            "${sudo[@]}" apt-get update -qq && "${sudo[@]}" apt-get install -y -qq "${apt_wanted[@]}" >/dev/null \
                || { [ "${#apt_missing[@]}" -eq 0 ] || exit 2; echo "benchmark-peers: hyperfine could not be installed; going on without it" >&2; }
        fi
        [ "${#pip_missing[@]}" -eq 0 ] || "$python" -m pip install -q "${pip_missing[@]}"
        command -v hyperfine >/dev/null && have_hyperfine=1
    elif [ "${#apt_missing[@]}" -gt 0 ] || [ "${#pip_missing[@]}" -gt 0 ]; then
        echo "benchmark-peers: missing ${apt_missing[*]} ${pip_missing[*]}. Install them with" >&2
        echo "    apt-get install -y sqitch libdbd-pg-perl hyperfine time" >&2
        echo "    pip install yoyo-migrations psycopg2-binary" >&2
        echo "or rerun with --install." >&2
        exit 2
    else
        echo "note: hyperfine (optional) is missing: apt-get install -y hyperfine; a plain loop times the server start" >&2
    fi
fi

echo "building rehearse (release)…" >&2
swift build -c release --product rehearse >/dev/null
rehearse="$(swift build -c release --show-bin-path)/rehearse"
# The Rehearse being measured: the last commit that changed its code (a branch that only adds benchmarks measures
# the same Rehearse as its base), marked when the working tree changes that code.
commit="$(git log -1 --format=%h -- Sources Package.swift Package.resolved 2>/dev/null || echo unknown)"
git diff --quiet HEAD -- Sources Package.swift Package.resolved 2>/dev/null || commit+="+uncommitted"

# --- The private server for the peers (and for (a2)). --------------------------------------------------------------
if [ "$(id -u)" -eq 0 ]; then
    account="${REHEARSE_SERVER_USER:-nobody}"
    [ "$account" != postgres ] || { echo "benchmark-peers: the server never runs as the 'postgres' account; set REHEARSE_SERVER_USER to another" >&2; exit 2; }
    if command -v setpriv >/dev/null; then
        as_server=(setpriv "--reuid=$(id -u "$account")" "--regid=$(id -g "$account")" --clear-groups --)
    else
        as_server=(runuser -u "$account" --)
    fi
    base=/tmp   # the server account must reach its directory
else
    account="$(id -un)"; as_server=(); base="${TMPDIR:-/tmp}"
fi
# Where Rehearse puts its own server (Sources/RehearsePostgres/ServerDirectoryBase.swift), so that every tool's server
# has the same file system under it: REHEARSE_SERVER_DIR, else /dev/shm when it is a tmpfs with 2 GiB free.
if [ -n "${REHEARSE_SERVER_DIR:-}" ]; then
    base="$REHEARSE_SERVER_DIR"
elif [ "$(stat -f -c %T /dev/shm 2>/dev/null)" = tmpfs ] && [ "$(df --output=avail -B1 /dev/shm 2>/dev/null | tail -1)" -ge $((2 << 30)) ]; then
    base=/dev/shm
fi
work="$(mktemp -d "$base/rehearse-bench-XXXXXX")"
server_pid=""
cleanup() {
    if [ -n "$server_pid" ] && kill -0 "$server_pid" 2>/dev/null; then
        kill -INT "$server_pid" 2>/dev/null || true   # fast shutdown: the postmaster removes its shared memory
        for _ in $(seq 100); do kill -0 "$server_pid" 2>/dev/null || break; sleep 0.1; done
        kill -KILL "$server_pid" 2>/dev/null || true
    fi
    rm -rf "$work"
}
trap cleanup EXIT
trap 'exit 130' INT TERM HUP
chmod 0711 "$work"
pg="$work/pg"
mkdir -m 0700 "$pg"
[ "${#as_server[@]}" -eq 0 ] || chown "$account:" "$pg" 2>/dev/null || chown "$account" "$pg"
password="$("$python" -c 'import secrets; print(secrets.token_hex(16))')"
port="$("$python" -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')"
server() { "${as_server[@]}" env -i PATH=/usr/bin:/bin LC_ALL=C TZ=UTC HOME="$pg" "$@"; }
ready_started=$(date +%s.%N)
(umask 077; printf '%s\n' "$password" >"$pg/password")
[ "${#as_server[@]}" -eq 0 ] || chown "$account" "$pg/password"
server "$pgbin/initdb" -D "$pg/data" -U rehearse --auth=scram-sha-256 "--pwfile=$pg/password" -E UTF8 --locale=C --no-sync >"$work/initdb.log" 2>&1 \
    || { echo "benchmark-peers: initdb failed:" >&2; cat "$work/initdb.log" >&2; exit 1; }
rm -f "$pg/password"
printf '# benchmark-peers: local connections with the run password only\nlocal all all scram-sha-256\n' >"$pg/data/pg_hba.conf"
cat >>"$pg/data/postgresql.conf" <<EOF

# benchmark-peers: the settings of Rehearse's disposable server (PostgresCluster.swift)
listen_addresses = ''
unix_socket_directories = '$pg'
port = $port
fsync = off
synchronous_commit = off
full_page_writes = off
wal_level = minimal
max_wal_senders = 0
max_wal_size = '256MB'
checkpoint_timeout = '1d'
autovacuum = off
jit = off
shared_buffers = '32MB'
dynamic_shared_memory_type = mmap
max_connections = 100
password_encryption = 'scram-sha-256'
unix_socket_permissions = 0700
timezone = 'UTC'
lc_messages = 'C'
logging_collector = off
log_min_messages = 'warning'
EOF
[ "${#as_server[@]}" -eq 0 ] || chown "$account" "$pg/data/pg_hba.conf" "$pg/data/postgresql.conf"
# Started as a simple command, not through `server`: bash then execs setpriv → env → postgres in the forked child,
# so $! is the postmaster itself and the trap's SIGINT reaches it.
"${as_server[@]}" env -i PATH=/usr/bin:/bin LC_ALL=C TZ=UTC HOME="$pg" "$pgbin/postgres" -D "$pg/data" >"$work/server.log" 2>&1 &
server_pid=$!
for _ in $(seq 600); do
    "$pgbin/pg_isready" -q -h "$pg" -p "$port" && break
    kill -0 "$server_pid" 2>/dev/null || { echo "benchmark-peers: the server stopped:" >&2; cat "$work/server.log" >&2; exit 1; }
    sleep 0.1
done
"$pgbin/pg_isready" -q -h "$pg" -p "$port" || { echo "benchmark-peers: the server did not answer in 60 s" >&2; cat "$work/server.log" >&2; exit 1; }
ready_seconds="$(awk -v a="$ready_started" -v b="$(date +%s.%N)" 'BEGIN { printf "%.3f", b - a }')"
url="postgresql://rehearse@/postgres?host=$pg&port=$port"
# The peers' environment: the server through libpq's variables (no password on a command line), and PostgreSQL 15's
# own psql first in PATH (Debian's /usr/bin/psql is a Perl wrapper that would add its start-up to every Sqitch step).
peer() {
    env PATH="$pgbin:$PATH" PGHOST="$pg" PGPORT="$port" PGUSER=rehearse PGPASSWORD="$password" \
        SQITCH_USER_CONFIG="$work/sqitch-user.conf" SQITCH_FULLNAME=Bench SQITCH_EMAIL=bench@example.com "$@"
}
: >"$work/sqitch-user.conf"
admin() { peer "$pgbin/psql" -X -q -v ON_ERROR_STOP=1 -d postgres -tA -c "$1"; }

# --- Corpora, generated once per layout and size. -------------------------------------------------------------------
generate() {   # SIZE: the sqitch, yoyo and psql layouts of SIZE migrations, plus the 1-migration sqitch corpus
    local layout
    for layout in sqitch yoyo psql; do
        [ -d "$work/corpus/$1/$layout" ] || "$python" ci/generate-history.py --layout "$layout" --count "$1" --out "$work/corpus/$1/$layout"
    done
}
generate "$count"
"$python" ci/generate-history.py --layout sqitch --count 1 --out "$work/corpus/one"
for size in "${scale_sizes[@]}"; do generate "$size"; done

# What the history leaves behind: tables, views, status indexes, foreign keys and backfilled rows.
expected_state() { "$python" -c "
n = $1; kinds = [(i - 1) % 6 for i in range(1, n + 1)]
print(kinds.count(0), kinds.count(5), kinds.count(3), kinds.count(4), 100 * kinds.count(2))"; }
actual_state() {
    peer "$pgbin/psql" -X -q -v ON_ERROR_STOP=1 -d "$1" -tA -F ' ' -c "
        SELECT (SELECT count(*) FROM pg_class c JOIN pg_namespace s ON s.oid = c.relnamespace
                 WHERE s.nspname = 'public' AND c.relkind = 'r' AND c.relname ~ '^t[0-9]{4}\$'),
               (SELECT count(*) FROM pg_class c JOIN pg_namespace s ON s.oid = c.relnamespace
                 WHERE s.nspname = 'public' AND c.relkind = 'v' AND c.relname ~ '^t[0-9]{4}_summary\$'),
               (SELECT count(*) FROM pg_class c JOIN pg_namespace s ON s.oid = c.relnamespace
                 WHERE s.nspname = 'public' AND c.relkind = 'i' AND c.relname ~ '^t[0-9]{4}_status_idx\$'),
               (SELECT count(*) FROM pg_constraint WHERE contype = 'f' AND conname ~ '^t[0-9]{4}_parent_id_fkey\$'),
               (SELECT coalesce(sum((xpath('/row/c/text()', query_to_xml(format('SELECT count(*) AS c FROM public.%I', c.relname), false, true, '')))[1]::text::bigint), 0)
                  FROM pg_class c JOIN pg_namespace s ON s.oid = c.relnamespace
                 WHERE s.nspname = 'public' AND c.relkind = 'r' AND c.relname ~ '^t[0-9]{4}\$')"
}

# --- Runs. Each sets `elapsed`; a failing run aborts the benchmark with its output. --------------------------------
fail() {   # LABEL LOG STATUS
    echo "benchmark-peers: $1 failed (exit $3); its output:" >&2
    [[ "$1" != rehearse* || "$3" -ne 1 ]] || echo "(exit 1: a check failed on a corpus every peer runs: the generator or Rehearse has a bug)" >&2
    tail -n 60 "$2" >&2
    exit 1
}
timed() {   # LABEL LOG COMMAND…
    local label="$1" log="$2" start end status=0
    shift 2
    start=$(date +%s.%N)
    "$@" >"$log" 2>&1 || status=$?
    end=$(date +%s.%N)
    [ "$status" -eq 0 ] || fail "$label" "$log" "$status"
    elapsed="$(awk -v a="$start" -v b="$end" 'BEGIN { printf "%.3f", b - a }')"
}
# Rehearse's verdict must be all-pass: exit 0 (checked by `timed`) and a JUnit report without failure or error.
verdict() {   # JUNIT LABEL
    "$python" - "$1" "$2" <<'EOF'
import collections, sys, xml.etree.ElementTree as tree
path, label = sys.argv[1], sys.argv[2]
cases = tree.parse(path).getroot().iter("testcase")
counts, skips, bad = collections.Counter(), collections.Counter(), []
for case in cases:
    check = case.get("name", "").rsplit(": ", 1)[-1]
    if case.find("failure") is not None or case.find("error") is not None:
        bad.append(case.get("name"))
    elif (skipped := case.find("skipped")) is not None:
        skips[(check, skipped.get("message", ""))] += 1
    else:
        counts[check] += 1
if bad or not counts:
    print(f"benchmark-peers: {label}: Rehearse's verdict on the corpus is not all-pass: {bad[:10] or 'no check ran'}", file=sys.stderr)
    sys.exit(1)
passed = ", ".join(f"{check} x{n}" for check, n in counts.items())
skipped = "; ".join(f"{check} x{n} skipped ({why})" for (check, why), n in skips.items())
print(f"passed: {passed}" + (f"; {skipped}" if skipped else ""))
EOF
}
rss_kb=""
run_rehearse() {   # SIZE ROUND own|shared [CORPUS]: (a) or (a2)
    local corpus="${4:-$work/corpus/$1/sqitch}" junit="$work/junit.xml" log="$work/rehearse.log"
    rm -f "$junit"
    if [ "$3" = own ]; then
        timed "rehearse verify (N=$1, round $2)" "$log" /usr/bin/time -f %M -o "$work/rss" "$rehearse" verify "$corpus" --junit "$junit"
        rss_kb="$(tail -n 1 "$work/rss")"
    else
        timed "rehearse verify --postgres-url (N=$1, round $2)" "$log" env PGPASSWORD="$password" "$rehearse" verify "$corpus" --postgres-url "$url" --junit "$junit"
    fi
    verdict "$junit" "rehearse verify $3 (N=$1, round $2)" >"$work/verdict.txt" || { cat "$work/verdict.txt"; tail -n 40 "$log" >&2; exit 1; }
}
fresh_database() { admin "CREATE DATABASE $1" >/dev/null; }
check_state() {   # DB SIZE LABEL: the peer left what the history must leave
    local want got
    want="$(expected_state "$2")"; got="$(actual_state "$1")"
    [ "$want" = "$got" ] || { echo "benchmark-peers: $3 left '$got' (tables views indexes fks rows), expected '$want'" >&2; exit 1; }
    admin "DROP DATABASE $1" >/dev/null
}
cycle_psql() { peer "$pgbin/psql" -X -q -v ON_ERROR_STOP=1 -d "$1" -f "$2/session.sql"; }
cycle_psql_without_safety() { peer "$pgbin/psql" -X -q -v ON_ERROR_STOP=1 -d "$1" -f "$2/session-without-safety.sql"; }
cycle_yoyo() {
    local target="postgresql://rehearse@/$1?host=$pg&port=$port"
    peer "$python" -m yoyo apply --batch --no-config-file --database "$target" "$2" \
        && peer "$python" -m yoyo rollback --batch --all --no-config-file --database "$target" "$2" \
        && peer "$python" -m yoyo apply --batch --no-config-file --database "$target" "$2"
}
cycle_sqitch() {
    peer sqitch --chdir "$2" deploy --verify "db:pg:$1" \
        && peer sqitch --chdir "$2" revert -y "db:pg:$1" \
        && peer sqitch --chdir "$2" deploy "db:pg:$1"
}
run_peer() {   # TOOL SIZE ROUND
    local db="bench_$1_$2_$3" corpus
    case "$1" in psql|psql_without_safety) corpus="$work/corpus/$2/psql" ;; yoyo) corpus="$work/corpus/$2/yoyo" ;; sqitch) corpus="$work/corpus/$2/sqitch" ;; esac
    fresh_database "$db"
    timed "$1 (N=$2, round $3)" "$work/$1.log" "cycle_$1" "$db" "$corpus"
    check_state "$db" "$2" "$1 (N=$2, round $3)"
}

times="$work/times.tsv"; : >"$times"
record() { printf '%s\t%s\t%s\t%s\n' "$1" "$2" "$3" "$4" >>"$times"; }   # SIZE TOOL ROUND SECONDS

# Every peer once, untimed, so that a failure shows before the long timed part (and caches are warm for all).
echo "checking that every tool succeeds on the N=$count corpus…" >&2
run_rehearse "$count" 0 own
checks="$(cat "$work/verdict.txt")"
for tool in psql psql_without_safety yoyo sqitch; do run_peer "$tool" "$count" 0; done

for round in $(seq "$rounds"); do
    line="round $round:"
    run_rehearse "$count" "$round" own; record "$count" rehearse "$round" "$elapsed"; record "$count" rss "$round" "$rss_kb"; line+=" rehearse ${elapsed}s (${rss_kb} kB),"
    for tool in psql psql_without_safety yoyo sqitch; do run_peer "$tool" "$count" "$round"; record "$count" "$tool" "$round" "$elapsed"; line+=" $tool ${elapsed}s,"; done
    run_rehearse "$count" "$round" shared; record "$count" rehearse-shared "$round" "$elapsed"; line+=" rehearse --postgres-url ${elapsed}s"
    echo "$line" >&2
done

# Time to a ready server: Rehearse prints no start-up time, so the proxy is `rehearse verify` of a 1-migration
# history on its own server, next to the same run on the already running shared server; their difference estimates
# what starting and stopping the disposable server costs.
echo "timing the 1-migration history (proxy for the time to a ready server)…" >&2
one="$work/corpus/one"
if [ "$have_hyperfine" -eq 1 ]; then
    PGPASSWORD="$password" hyperfine -N --style none --warmup 1 --runs 5 --export-json "$work/one.json" \
        --command-name own "$rehearse verify $one" --command-name shared "$rehearse verify $one --postgres-url $url" >/dev/null
    "$python" - "$work/one.json" "$times" <<'EOF'
import json, sys
with open(sys.argv[2], "a") as out:
    for result in json.load(open(sys.argv[1]))["results"]:
        for i, seconds in enumerate(result["times"], 1):
            out.write(f"1\tone-{result['command']}\t{i}\t{seconds:.3f}\n")
EOF
    run_rehearse 1 check own "$one"; run_rehearse 1 check shared "$one"   # hyperfine checks exit 0; these check the verdict
else
    for round in $(seq 5); do
        run_rehearse 1 "$round" own "$one"; record 1 one-own "$round" "$elapsed"
        run_rehearse 1 "$round" shared "$one"; record 1 one-shared "$round" "$elapsed"
    done
fi

for round in $(seq "$rounds"); do
    for size in "${scale_sizes[@]}"; do
        run_rehearse "$size" "$round" own; record "$size" "scale" "$round" "$elapsed"; record "$size" scale-rss "$round" "$rss_kb"
        echo "scale round $round: N=$size rehearse ${elapsed}s (${rss_kb} kB)" >&2
    done
done

# --- Report. -------------------------------------------------------------------------------------------------------
"$python" - "$times" "$count" "$rounds" "$scale" "$invocation" "$commit" "$ready_seconds" "$checks" "$(nproc)" "$have_hyperfine" <<'EOF'
import collections, datetime, statistics, sys
path, count, rounds, scale, invocation, commit, ready, checks, cores, hyperfine = sys.argv[1:]
count = int(count)
runs = collections.defaultdict(list)
for line in open(path):
    size, tool, _, value = line.rstrip("\n").split("\t")
    runs[(int(size), tool)].append(float(value))
median = lambda size, tool: statistics.median(runs[(size, tool)])
r, ra2 = median(count, "rehearse"), median(count, "rehearse-shared")
p, y, s = median(count, "psql"), median(count, "yoyo"), median(count, "sqitch")
p4 = median(count, "psql_without_safety")
rss = max(runs[(count, "rss")]) / 1024
date = datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%d %H:%M UTC")
rows = [
    ("Rehearse `verify` (its own disposable server)", "forward, validate (the verify script), rollback, reversibility, reapply and safety of every migration, data-preservation where rows exist; idempotence skipped (each change runs in one transaction)", r),
    ("Rehearse `verify --postgres-url` (the peers' server)", "the same checks", ra2),
    ("psql, one session (`psql -X -q -v ON_ERROR_STOP=1`)", "runs the scripts of those checks (the deploy that safety measures, rolled back; deploy, verify, revert, deploy per migration) and stops at the first error; compares nothing", p),
    ("psql, the same without safety's deploy", "deploy, verify, revert, deploy per migration (what the row above ran before 2026-12-02)", p4),
    ("yoyo apply → rollback → apply", "every up, every down, every up again succeed", y),
    ("Sqitch deploy --verify → revert → deploy", "the same, plus each verify script after its deploy", s),
]
print()
print(f"### Benchmark against peers: N={count} migrations, {rounds} rounds")
print()
print(f"Measured {date}, Rehearse at commit `{commit}` (the last to change its code), {cores} cores, with `{invocation}`; medians of runs alternating in one run.")
print()
print("| tool | what it checks | median s | ratio to Rehearse |")
print("|---|---|---:|---:|")
for tool, what, seconds in rows:
    print(f"| {tool} | {what} | {seconds:.2f} | {seconds / r:.2f} |")
print()
def goal(name, value, target, ok):
    return f"- {name}: **{value:.2f}** (goal {target}: {'met' if ok else 'not met'})"
# The same ratios taken within each round, whose runs share the machine's load of the moment, then their median:
# on a shared machine whose load changes between rounds, these are the steadier numbers.
def per_round(top, bottom):
    return statistics.median(a / b for a, b in zip(runs[(count, top)], runs[(count, bottom)]))
ry, rp, sr = per_round("rehearse", "yoyo"), per_round("rehearse", "psql"), per_round("sqitch", "rehearse")
rp4 = per_round("rehearse", "psql_without_safety")
print("Ratios of the issue's \"Done when\" (of the medians; in brackets the median of each round's own ratio):")
print(goal("Rehearse / yoyo", r / y, "≤ 1", r <= y) + f" [{ry:.2f}]")
print(goal("Rehearse / psql", r / p, "≤ 5", r <= 5 * p) + f" [{rp:.2f}]; without safety's deploy in the psql session {r / p4:.2f} [{rp4:.2f}]")
print(goal("Sqitch / Rehearse", s / r, "≥ 3", s >= 3 * r) + f" [{sr:.2f}]")
print(f"- peak RSS of `rehearse verify` (N={count}, `/usr/bin/time -f %M`: the largest of rehearse and the processes it waited for): {rss:.0f} MB")
if scale:
    a, b = (int(x) for x in scale.split(","))
    ta, tb = median(a, "scale"), median(b, "scale")
    ra, rb = max(runs[(a, "scale-rss")]) / 1024, max(runs[(b, "scale-rss")]) / 1024
    print(goal(f"N={b} / N={a}", tb / ta, "≤ 11 for 1000/100", tb <= 11 * ta) + f" ({ta:.2f} s vs {tb:.2f} s; peak RSS {ra:.0f} MB vs {rb:.0f} MB, goal < 100 MB)")
own, shared = median(1, "one-own"), median(1, "one-shared")
how = "hyperfine, 5 runs each" if hyperfine == "1" else "5 alternating runs each"
print(f"- time to a ready server: Rehearse does not print it; proxy: `rehearse verify` of a 1-migration history takes {own:.2f} s "
      f"on its own server and {shared:.2f} s on a running one ({how}), so starting and stopping its server costs about "
      f"{own - shared:.2f} s (goal: ready in < 0.3 s warm, < 1.2 s cold). initdb + start of this script's server with the same settings: {float(ready):.2f} s.")
print()
print(f"Rehearse's verdict on the corpus: all pass ({checks}).")
EOF

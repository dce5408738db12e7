#!/usr/bin/env bash
# The mutation check: applies deliberate faults to Sources/, one at a time, rebuilds (debug, incremental),
# runs the tests that should guard each, restores the source exactly, and reports which faults no test caught.
#
#   scripts/mutation-check.sh                 every fault in scripts/mutations.tsv
#   scripts/mutation-check.sh --only ID[,ID]  a subset
#   scripts/mutation-check.sh --list          print the faults and exit
#   scripts/mutation-check.sh --check         check that every fault's text occurs exactly once, build nothing
#
# Options: --faults FILE (another list), --timeout SECONDS (per test run; default 900), --no-final-build.
# A fault is "caught" when its tests fail (or time out), "survived" when they pass, "invalid" when the
# fault does not apply (its text is not found exactly once) or does not compile: fix such entries.
# Logs go to .build/mutation-check/ (one per fault); the summary is printed as a Markdown table and one
# JSON line. It takes long (one incremental build and one test run per fault); it is not run in CI.
set -uo pipefail

cd "$(dirname "$0")/.."
ROOT=$(pwd)
FAULTS=scripts/mutations.tsv
ONLY=""
MODE=run
TIMEOUT=900
FINAL_BUILD=1

usage() { sed -n '2,15p' "$0" | sed 's/^# \{0,1\}//'; }

while [ $# -gt 0 ]; do
    case "$1" in
        --only) ONLY="${2:-}"; shift 2 ;;
        --only=*) ONLY="${1#--only=}"; shift ;;
        --list) MODE=list; shift ;;
        --check) MODE=check; shift ;;
        --faults) FAULTS="${2:-}"; shift 2 ;;
        --timeout) TIMEOUT="${2:-}"; shift 2 ;;
        --no-final-build) FINAL_BUILD=0; shift ;;
        -h|--help) usage; exit 0 ;;
        *) echo "mutation-check: unknown argument '$1'" >&2; usage >&2; exit 2 ;;
    esac
done

[ -f "$FAULTS" ] || { echo "mutation-check: no fault list at $FAULTS" >&2; exit 2; }
command -v python3 >/dev/null || { echo "mutation-check: needs python3 (to apply the faults byte for byte)" >&2; exit 2; }

WORK="$ROOT/.build/mutation-check"
mkdir -p "$WORK/logs" "$WORK/originals"

# The helper that reads the list and applies one fault exactly (no regex, no shell quoting in between).
HELPER="$WORK/mutate.py"
cat > "$HELPER" <<'PY'
import sys, json

def unescape(s):
    out, i = [], 0
    while i < len(s):
        c = s[i]
        if c == "\\" and i + 1 < len(s):
            n = s[i + 1]
            out.append({"n": "\n", "t": "\t", "\\": "\\"}.get(n, "\\" + n)); i += 2
        else:
            out.append(c); i += 1
    return "".join(out)

def faults(path):
    rows = []
    for number, line in enumerate(open(path, encoding="utf-8"), 1):
        line = line.rstrip("\n")
        if not line.strip() or line.startswith("#"): continue
        parts = line.split("\t")
        if len(parts) != 6: sys.exit(f"{path}:{number}: {len(parts)} fields, expected 6 (id, file, find, replace, filter, promise)")
        fid, file, find, repl, filt, promise = parts
        rows.append(dict(id=fid, file=file, find=unescape(find), replace=unescape(repl), filter=filt, promise=promise, line=number))
    ids = [r["id"] for r in rows]
    dup = {i for i in ids if ids.count(i) > 1}
    if dup: sys.exit(f"{path}: repeated ids: {', '.join(sorted(dup))}")
    return rows

cmd, path = sys.argv[1], sys.argv[2]
rows = faults(path)
if cmd == "ids":
    for r in rows: print(r["id"])
elif cmd == "field":
    r = next(r for r in rows if r["id"] == sys.argv[3]); print(r[sys.argv[4]])
elif cmd == "list":
    for r in rows:
        print(f"{r['id']}\t{r['file']}\t{r['promise']}\n    tests: {r['filter']}")
elif cmd == "occurrences":
    r = next(r for r in rows if r["id"] == sys.argv[3])
    try: text = open(r["file"], encoding="utf-8").read()
    except FileNotFoundError: print(-1); sys.exit(0)
    print(text.count(r["find"]))
elif cmd == "apply":
    r = next(r for r in rows if r["id"] == sys.argv[3])
    text = open(r["file"], encoding="utf-8", newline="").read()
    if text.count(r["find"]) != 1: sys.exit(f"'{r['id']}': the text occurs {text.count(r['find'])} times in {r['file']}, not once")
    open(r["file"], "w", encoding="utf-8", newline="").write(text.replace(r["find"], r["replace"], 1))
PY

py() { python3 "$HELPER" "$@"; }

ALL_IDS=$(py ids "$FAULTS") || exit 2
if [ -n "$ONLY" ]; then
    IDS=""
    for id in ${ONLY//,/ }; do
        grep -qxF "$id" <<<"$ALL_IDS" || { echo "mutation-check: no fault '$id' in $FAULTS (see --list)" >&2; exit 2; }
        IDS="$IDS $id"
    done
else
    IDS=$ALL_IDS
fi

if [ "$MODE" = list ]; then
    if [ -n "$ONLY" ]; then for id in $IDS; do py list "$FAULTS" | grep -A1 "^$id	"; done; else py list "$FAULTS"; fi
    exit 0
fi

if [ "$MODE" = check ]; then
    bad=0
    for id in $IDS; do
        n=$(py occurrences "$FAULTS" "$id")
        if [ "$n" != 1 ]; then echo "$id: its text occurs $n times in $(py field "$FAULTS" "$id" file) (needs exactly 1)"; bad=1; fi
    done
    [ $bad = 0 ] && echo "every fault's text occurs exactly once ($(wc -w <<<"$IDS") faults)"
    exit $bad
fi

# Refuse to start with uncommitted changes under Sources/: the check restores files from its own copies,
# and a fault must be applied to the committed source to mean anything.
if [ -n "$(git status --porcelain -- Sources)" ]; then
    echo "mutation-check: Sources/ has uncommitted changes; commit or stash them first:" >&2
    git status --short -- Sources >&2
    exit 2
fi

# Restore whatever is mutated, however the script ends (done, failed, Ctrl-C, kill).
CURRENT_FILE=""
restore() {
    if [ -n "$CURRENT_FILE" ]; then
        cp "$WORK/originals/current" "$CURRENT_FILE" && touch "$CURRENT_FILE"
        CURRENT_FILE=""
    fi
}
on_exit() {
    restore
    if [ -n "$(git status --porcelain -- Sources)" ]; then
        echo "mutation-check: Sources/ differs from the commit after restoring; check 'git diff -- Sources'" >&2
    fi
}
trap on_exit EXIT
CHILD=""
# Builds and test runs go to the background and are waited for, so a signal is handled at once.
run() { "$@" & CHILD=$!; wait $CHILD; local rc=$?; CHILD=""; return $rc; }
interrupted() {
    echo "mutation-check: interrupted; restoring the source" >&2
    [ -n "$CHILD" ] && kill -TERM "$CHILD" 2>/dev/null
    exit 130
}
trap interrupted INT TERM HUP

COMMIT=$(git rev-parse --short=12 HEAD)
MACHINE="$(uname -m), $(nproc) cores"
STARTED=$(date +%s)

echo "mutation-check: commit $COMMIT on $MACHINE; building the unmutated package first" >&2
if ! run swift build --build-tests >"$WORK/logs/_baseline.log" 2>&1; then
    echo "mutation-check: the unmutated package does not build; see $WORK/logs/_baseline.log" >&2
    exit 2
fi

RESULTS="$WORK/results.tsv"
: >"$RESULTS"
for id in $IDS; do
    file=$(py field "$FAULTS" "$id" file)
    filter=$(py field "$FAULTS" "$id" filter)
    promise=$(py field "$FAULTS" "$id" promise)
    log="$WORK/logs/$id.log"
    t0=$(date +%s)
    status="" tests="-"
    n=$(py occurrences "$FAULTS" "$id")
    if [ "$n" != 1 ]; then
        status="invalid (text found $n times)"
        echo "$id: its text occurs $n times in $file" >"$log"
    else
        cp "$file" "$WORK/originals/current"
        CURRENT_FILE=$file
        py apply "$FAULTS" "$id" >"$log" 2>&1
        echo "== $id: $file" >>"$log"
        git diff -- "$file" >>"$log"
        echo "== build" >>"$log"
        if ! run swift build --build-tests >>"$log" 2>&1; then
            status="invalid (does not compile)"
        else
            echo "== swift test --skip-build --filter '$filter'" >>"$log"
            run timeout "$TIMEOUT" swift test --skip-build --filter "$filter" >>"$log" 2>&1
            rc=$?
            tests=$(grep -Eo 'Test run with [0-9]+ tests?' "$log" | tail -1 | grep -Eo '[0-9]+' || true)
            [ -n "$tests" ] || tests=0
            if [ $rc = 124 ]; then status="caught (timeout)"
            elif [ $rc != 0 ] && [ "$tests" = 0 ]; then status="caught (crash)"; tests="?"
            elif [ $rc != 0 ]; then status="caught"
            elif [ "$tests" = 0 ]; then status="no tests matched"
            else status="survived"; fi
        fi
        restore
    fi
    secs=$(( $(date +%s) - t0 ))
    printf '%s\t%s\t%s\t%s\t%s\t%s\n' "$id" "$promise" "$filter" "$tests" "$status" "$secs" >>"$RESULTS"
    echo "mutation-check: $id: $status (${secs}s)" >&2
done

if [ $FINAL_BUILD = 1 ]; then
    echo "mutation-check: rebuilding the unmutated package" >&2
    run swift build --build-tests >"$WORK/logs/_final.log" 2>&1 || echo "mutation-check: the final rebuild failed; see $WORK/logs/_final.log" >&2
fi
ELAPSED=$(( $(date +%s) - STARTED ))

python3 - "$RESULTS" "$COMMIT" "$(uname -m)" "$(nproc)" "$ELAPSED" <<'PY'
import sys, json
path, commit, arch, cores, elapsed = sys.argv[1:]
rows = [l.rstrip("\n").split("\t") for l in open(path) if l.strip()]
def cell(s): return s.replace("|", "\\|")
print("| fault | promise it breaks | tests run (filter) | caught | seconds |")
print("|---|---|---|---|---|")
for fid, promise, filt, tests, status, secs in rows:
    caught = "yes" if status.startswith("caught") else ("**no**" if status == "survived" else status)
    print(f"| `{fid}` | {cell(promise)} | {tests} (`{cell(filt)}`) | {caught} | {secs} |")
counts = {"faults": len(rows),
          "caught": sum(r[4].startswith("caught") for r in rows),
          "survived": sum(r[4] == "survived" for r in rows),
          "invalid": sum(r[4].startswith("invalid") or r[4] == "no tests matched" for r in rows)}
survived = [r[0] for r in rows if r[4] == "survived"]
invalid = [r[0] for r in rows if r[4].startswith("invalid") or r[4] == "no tests matched"]
print()
if survived: print("Not caught by any test: " + ", ".join(survived))
if invalid: print("Invalid (fix these entries): " + ", ".join(invalid))
print(json.dumps({"commit": commit, "machine": {"arch": arch, "cores": int(cores)}, **counts,
                  "survivedIds": survived, "invalidIds": invalid, "seconds": int(elapsed)}))
PY

#!/usr/bin/env bash
# Peer comparison (not part of CI): validate the lint corpus with ajv-cli (allErrors, formats on)
# and check-jsonschema, using the schemas `ldic schema --out` writes, and print ldic's ratio to each.
#
# Installs its own tools under target/ldic-bench/peers (ajv-cli + ajv-formats via npm into a
# prefix, check-jsonschema via pip into a venv); needs node/npm, python3 (venv) and cargo.
#
#   benches/peers/run.sh            # 10,000 files, median of 3 runs per tool
#   FILES=2000 RUNS=5 benches/peers/run.sh
#
# Every tool reads the same files: the whole corpus (90% valid, JSON and YAML), then the files with
# mistakes only (every error reported: ldic always, ajv with --all-errors, check-jsonschema always).
set -euo pipefail

ROOT=$(cd "$(dirname "$0")/../.." && pwd)
TARGET=${CARGO_TARGET_DIR:-$ROOT/target}
case "$TARGET" in /*) ;; *) TARGET=$ROOT/$TARGET ;; esac
WORK=$TARGET/ldic-bench/peers
FILES=${FILES:-10000}
RUNS=${RUNS:-3}
CORPUS=$TARGET/ldic-bench/corpus-$FILES
mkdir -p "$WORK"

echo "== machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2- | sed 's/^ //'), $(date -u +%Y-%m-%dT%H:%MZ)"
echo "== load: $(uptime)"

echo "== tools"
if [ ! -x "$WORK/npm/node_modules/.bin/ajv" ]; then
  npm install --silent --prefix "$WORK/npm" --no-audit --no-fund ajv-cli@5 ajv-formats@3 >/dev/null
fi
if [ ! -x "$WORK/venv/bin/check-jsonschema" ]; then
  python3 -m venv "$WORK/venv"
  "$WORK/venv/bin/pip" install --quiet check-jsonschema
fi
AJV=$WORK/npm/node_modules/.bin/ajv
CHECK=$WORK/venv/bin/check-jsonschema
echo "node $(node --version), ajv-cli $(node -p "require('$WORK/npm/node_modules/ajv-cli/package.json').version"), ajv $(node -p "require('$WORK/npm/node_modules/ajv/package.json').version"), ajv-formats $(node -p "require('$WORK/npm/node_modules/ajv-formats/package.json').version")"
echo "check-jsonschema $("$CHECK" --version | awk '{print $NF}'), $("$WORK/venv/bin/python" --version)"

echo "== ldic (bench profile), corpus, schemas"
(cd "$ROOT" && cargo build --quiet --profile bench -p ldic-cli -p ldic-benches --bin ldic --bin ldic-corpus)
LDIC=$TARGET/release/ldic
"$TARGET/release/ldic-corpus" "$CORPUS" "$FILES"
rm -rf "$WORK/schemas"
"$LDIC" schema --out "$WORK/schemas" 2>/dev/null
SCHEMA=$WORK/schemas/ldic.schema.json
echo "schema: $SCHEMA ($(wc -c <"$SCHEMA") bytes)"

# File lists (relative globs for ajv, explicit lists for check-jsonschema).
mapfile -t ALL < <(find "$CORPUS" -type f \( -name '*.json' -o -name '*.yaml' \) | sort)
mapfile -t BAD < <(find "$CORPUS/invalid" -type f \( -name '*.json' -o -name '*.yaml' \) | sort)

ldic_cmd() { "$LDIC" lint "$1" >/dev/null 2>&1 || true; }
ajv_cmd() {
  "$AJV" validate --spec=draft2020 --all-errors --strict=false -c ajv-formats -s "$SCHEMA" \
    -d "$1/**/*.json" -d "$1/**/*.yaml" >/dev/null 2>&1 || true
}
check_cmd() { "$CHECK" --schemafile "$SCHEMA" "$@" >/dev/null 2>&1 || true; }

# median wall time in seconds of RUNS runs of "$@"
median() {
  local times=() i t0 t1
  for ((i = 0; i < RUNS; i++)); do
    t0=$(date +%s%N)
    "$@"
    t1=$(date +%s%N)
    times+=("$(((t1 - t0) / 1000))")
  done
  printf '%s\n' "${times[@]}" | sort -n | awk '{a[NR]=$1} END {printf "%.3f\n", a[int((NR+1)/2)]/1e6}'
}

echo "== sanity: what each tool finds in the corpus"
echo "ldic:             $({ "$LDIC" lint --format json "$CORPUS" 2>/dev/null || true; } | python3 -c 'import json,sys; d=json.load(sys.stdin); print(len({f["file"] for f in d["findings"] if f["severity"]=="error"}), "files with errors of", d["summary"]["files"])' 2>/dev/null || echo '?')"
echo "ajv:              $("$AJV" validate --spec=draft2020 --all-errors --strict=false -c ajv-formats -s "$SCHEMA" -d "$CORPUS/**/*.json" -d "$CORPUS/**/*.yaml" 2>&1 | grep -c ' invalid$' || true) files invalid of ${#ALL[@]}"
echo "check-jsonschema: $({ "$CHECK" --schemafile "$SCHEMA" -o json "${ALL[@]}" 2>/dev/null || true; } | python3 -c 'import json,sys; d=json.load(sys.stdin); print(len({e.get("filename") for e in d.get("errors", [])}), "files with errors")' 2>/dev/null || echo '?')"

echo "== timing: median of $RUNS runs"
T_LDIC=$(median ldic_cmd "$CORPUS")
T_AJV=$(median ajv_cmd "$CORPUS")
T_CHECK=$(median check_cmd "${ALL[@]}")
B_LDIC=$(median ldic_cmd "$CORPUS/invalid")
B_AJV=$(median ajv_cmd "$CORPUS/invalid")
B_CHECK=$(median check_cmd "${BAD[@]}")

report() { # name ldic_s peer_s files
  awk -v n="$1" -v l="$2" -v p="$3" -v f="$4" 'BEGIN {
    printf "%-44s ldic %7.3f s (%6.0f docs/s)  peer %7.3f s (%6.0f docs/s)  ratio ldic/peer = %.3f (ldic %.1fx faster)\n",
      n, l, f / l, p, f / p, l / p, p / l }'
}
echo "== results ($FILES files; ${#BAD[@]} with mistakes)"
report "whole corpus, ajv (allErrors, formats)" "$T_LDIC" "$T_AJV" "${#ALL[@]}"
report "whole corpus, check-jsonschema" "$T_LDIC" "$T_CHECK" "${#ALL[@]}"
report "files with mistakes, ajv (allErrors, formats)" "$B_LDIC" "$B_AJV" "${#BAD[@]}"
report "files with mistakes, check-jsonschema" "$B_LDIC" "$B_CHECK" "${#BAD[@]}"
awk -v l="$T_LDIC" -v c="$T_CHECK" 'BEGIN { r = c / l; printf "target: ldic >= 30x faster than check-jsonschema: %.1fx, %s\n", r, (r >= 30 ? "met" : "MISSED") }'
awk -v l="$B_LDIC" -v a="$B_AJV" 'BEGIN { printf "target: files with mistakes no slower than ajv --all-errors: %s\n", (l <= a ? "met" : "MISSED") }'
echo "== load after: $(uptime)"

#!/usr/bin/env bash
# The scale comparison (docs/performance.md): generate a synthetic dataset of N incidents
# (default 200,000) and run, on the same files and one after the other, apmd validate, apmd
# export and the reference points: jsonpos.Decode, encoding/json and a plain jsonschema/v5
# loop (Go, one core each), ajv 8 and python-jsonschema. Each runs under /usr/bin/time -v;
# the script prints a Markdown table of wall time, CPU time (user + system: less sensitive
# than wall time to other work on the machine; the load average is printed with each row)
# and peak resident memory.
#
#   cmd/apmd-synth/compare.sh [--incidents N] [--seed S] [--dir DIR] [--tools "LIST"]
#
# --dir keeps the generated dataset (default: $TMPDIR/apmd-compare-nN-sS, reused when present).
# --tools picks the rows: decode encoding-json jsonschema ajv python apmd-validate apmd-export
# apmd-validate-small (a cold start of apmd validate on a dataset of about 100 records)
# (default: all). APMD=/path/to/apmd runs that binary instead of one built from this tree.
# Installs what is missing: time and python3-jsonschema (apt-get), ajv (npm ci
# in cmd/apmd-synth/compare, from its package-lock.json).
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
n=200000
seed=1
dir=""
tools="decode encoding-json jsonschema ajv python apmd-validate apmd-export apmd-validate-small"
while [ $# -gt 0 ]; do
	case "$1" in
	--incidents) n=$2; shift 2 ;;
	--seed) seed=$2; shift 2 ;;
	--dir) dir=$2; shift 2 ;;
	--tools) tools=$2; shift 2 ;;
	-h | --help) sed -n '2,19p' "$0"; exit 0 ;;
	*) echo "compare.sh: unknown argument $1 (see --help)" >&2; exit 2 ;;
	esac
done
dir=${dir:-${TMPDIR:-/tmp}/apmd-compare-n$n-s$seed}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

want() { case " $tools " in *" $1 "*) return 0 ;; esac; return 1; }

# Tools.
missing=()
[ -x /usr/bin/time ] || missing+=(time)
if want python && ! dpkg -s python3-jsonschema >/dev/null 2>&1; then missing+=(python3-jsonschema); fi
if [ ${#missing[@]} -gt 0 ]; then
	apt-get update -qq && apt-get install -y -qq "${missing[@]}" >/dev/null
fi
if want ajv; then
	(cd "$here/compare" && npm ci --no-audit --no-fund --silent)
fi
(cd "$root" && go build -o "$work/apmd" ./cmd/apmd && go build -o "$work/apmd-synth" ./cmd/apmd-synth &&
	go build -o "$work/baseline" ./cmd/apmd-synth/compare/baseline)
if [ -n "${APMD:-}" ]; then
	cp "$APMD" "$work/apmd"
fi

# Data: generated once, then read from the page cache by every tool alike.
if [ ! -f "$dir/dataset.json" ]; then
	/usr/bin/time -v -o "$work/gen.time" "$work/apmd-synth" --incidents "$n" --seed "$seed" --out "$dir" --force
	gen_wall=$(sed -n 's/.*Elapsed (wall clock) time (h:mm:ss or m:ss): //p' "$work/gen.time")
	echo "generated in $gen_wall (m:ss)" >&2
fi
find "$dir" -type f -print0 | xargs -0 cat >/dev/null

echo "## Machine"
echo
echo '```'
echo "nproc: $(nproc)"
lscpu | head -n 15
free -h
echo "go: $(go version)"
echo "node: $(node --version 2>/dev/null || echo none)"
echo "python3-jsonschema: $(dpkg-query -W -f '${Version}' python3-jsonschema 2>/dev/null || echo none)"
echo "dataset: $dir: $(find "$dir" -name '*.json' -not -name dataset.json | wc -l) record files, $(du -sh --apparent-size "$dir" | cut -f1)"
echo '```'
echo
echo "| tool | exit | wall (s) | CPU (s) | max RSS (MiB) | load before | command |"
echo "|---|---|---|---|---|---|---|"

# run NAME CMD...: one row of the table.
runs=0
run() {
	local name=$1
	shift
	local rc=0 f="$work/run$((++runs))" load
	load=$(cut -d' ' -f1 /proc/loadavg)
	/usr/bin/time -v -o "$f.time" "$@" >"$f.out" 2>"$f.err" || rc=$?
	local wall rss cpu
	cpu=$(awk -F': ' '/User time|System time/ { s += $2 } END { printf "%.1f", s }' "$f.time")
	wall=$(sed -n 's/.*Elapsed (wall clock) time (h:mm:ss or m:ss): //p' "$f.time" |
		awk -F: '{ if (NF == 3) print $1*3600 + $2*60 + $3; else print $1*60 + $2 }')
	rss=$(sed -n 's/.*Maximum resident set size (kbytes): //p' "$f.time" | awk '{ printf "%.0f", $1/1024 }')
	local cmd="$*"
	cmd=${cmd//$work\//}
	cmd=${cmd//$dir/DIR}
	cmd=${cmd//$root\//}
	printf '| %s | %s | %.1f | %s | %s | %s | `%s` |\n' "$name" "$rc" "$wall" "$cpu" "$rss" "$load" "$cmd"
	if [ "$rc" -ne 0 ] && [ "$rc" -ne 1 ]; then
		sed -n '1,5p' "$f.err" | sed 's/^/    /' >&2
	fi
}

# The schema version the generated records declare (the manifest's), not the latest release.
schemas="$root/schema/$(sed -n 's/.*"schema_version": *"\([0-9.]*\)".*/\1/p' "$dir/dataset.json" | head -n 1)"
want decode && run "go jsonpos.Decode (1 core)" "$work/baseline" --mode decode "$dir"
want encoding-json && run "go encoding/json (1 core)" "$work/baseline" --mode encoding-json "$dir"
want jsonschema && run "go jsonschema/v5 loop (1 core)" "$work/baseline" --mode jsonschema "$dir"
want ajv && run "ajv 8 (node, 1 core)" node "$here/compare/ajv-validate.js" "$schemas" "$dir"
want python && run "python-jsonschema (1 core)" /usr/bin/python3 "$here/compare/pyjsonschema-validate.py" "$schemas" "$dir"
want apmd-validate && run "apmd validate" "$work/apmd" validate --format json "$dir"
if want apmd-validate-small; then
	# 60 incidents give 103 records: 60 incidents, 20 claims, 20 groups, 3 sources.
	"$work/apmd-synth" --incidents 60 --seed "$seed" --out "$work/small" 2>/dev/null
	run "apmd validate, 103 records" "$work/apmd" validate "$work/small"
fi
want apmd-export && run "apmd export" "$work/apmd" export --out "$work/dist" "$dir"
true

#!/bin/sh
# benches/make_test_suite.sh OUT [N]: writes N (default 1000) scenario files into OUT/0000 … OUT/NNNN, taking
# the example folders' scenarios (and their expectations) in turn, each pointed at its example's
# configuration. Then: time dialsim test -j 2 OUT   (docs/performance.md, issue 6).
set -eu
out=$1
n=${2:-1000}
root=$(cd "$(dirname "$0")/.." && pwd)
examples="01-basic-retrieval 02-timeout-comeback 03-timeout-custom doc/01-basic-retrieval doc/02-timeout-comeback doc/03-timeout-custom"
i=0
while [ "$i" -lt "$n" ]; do
    ex=$(echo $examples | cut -d' ' -f$((i % 6 + 1)))
    d="$out/$(printf %04d "$i")"
    mkdir -p "$d"
    { printf 'config = "%s"\n' "$root/dialplan-examples/$ex"; cat "$root/dialplan-examples/$ex/scenario.toml"; } > "$d/scenario.toml"
    i=$((i + 1))
done

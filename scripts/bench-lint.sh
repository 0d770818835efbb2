#!/usr/bin/env bash
# Benchmark `sseconf lint` on the corpus's nginx folder and on generated 5 MB and 48 MB config
# trees: wall time (best of three runs), CPU time, MB/s and peak memory (from /usr/bin/time -v). When gixy (gixy-ng)
# or nginx are installed, their times on the same input are printed as ratios from the same run.
#
# Usage: scripts/bench-lint.sh [SHARED_DIR]   (default: ../shared beside the checkout, or /work/shared)
# The budget (issue 4): a 48 MB tree in under 1 s and under 200 MB on two cores, linear in size.
set -euo pipefail

root="$(cd "$(dirname "$0")/.." && pwd)"
shared="${1:-${SSECONF_SHARED:-}}"
if [[ -z "$shared" ]]; then
    if [[ -d "$root/../shared" ]]; then shared="$root/../shared"; else shared=/work/shared; fi
fi
corpus="$shared/corpus/nginx"
generator="$shared/tools/make_big_nginx.py"
[[ -d "$corpus" && -f "$generator" ]] || { echo "shared folder not found at $shared" >&2; exit 2; }
[[ -x /usr/bin/time ]] || { echo "/usr/bin/time (GNU time) is required" >&2; exit 2; }

echo "building release binary..." >&2
(cd "$root" && cargo build --release --quiet)
sseconf="$root/target/release/sseconf"

work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
echo "generating trees in $work..." >&2
python3 "$generator" --out "$work/t5" --servers 10000 --files 50 --harvest "$corpus" >/dev/null
python3 "$generator" --out "$work/t48" --servers 100000 --files 500 --harvest "$corpus" >/dev/null

# shellcheck source=scripts/lib/measure.sh
source "$root/scripts/lib/measure.sh"

mb() { du -sb "$1" | awk '{printf "%.1f", $1/1e6}'; }

printf '%-12s %8s %8s %8s %9s %9s  %s\n' input MB wall_s cpu_s MB/s rss_MB others
for name in corpus t5 t48; do
    case $name in
        corpus) input="$corpus"; target="$corpus" ;;
        *) input="$work/$name"; target="$work/$name/nginx.conf" ;;
    esac
    size=$(mb "$input")
    read -r wall user sys rss < <(best_of_three "$sseconf" lint --format json --fail-on never "$target")
    cpu=$(echo "$user $sys" | awk '{printf "%.2f", $1+$2}')
    rate=$(echo "$size $wall" | awk '{ if ($2 > 0) printf "%.1f", $1/$2; else print "inf" }')
    others=""
    if command -v gixy >/dev/null; then
        read -r gwall _ _ grss < <(measure gixy "$target")
        others+=$(echo "$gwall $wall $grss" | awk '{printf "gixy %.2fs (%.1fx, %d MB) ", $1, ($2>0?$1/$2:0), $3/1024}')
    fi
    nginx_bin=$(command -v nginx || echo /usr/sbin/nginx)
    if [[ -x "$nginx_bin" && $name != corpus ]]; then
        read -r nwall _ _ nrss < <(measure "$nginx_bin" -t -q -p "$input/" -c "$input/nginx.conf" -e "$work/error.log")
        others+=$(echo "$nwall $wall $nrss" | awk '{printf "nginx -t %.2fs (%.1fx, %d MB)", $1, ($2>0?$1/$2:0), $3/1024}')
    fi
    printf '%-12s %8s %8.2f %8s %9s %9d  %s\n' "$name" "$size" "$wall" "$cpu" "$rate" "$((rss / 1024))" "$others"
done
echo "(ratios: other tool's wall time / sseconf's, same run; load average now: $(cut -d' ' -f1-3 /proc/loadavg))"

#!/usr/bin/env bash
# Benchmark `sseconf lint` on the whole corpus (every kind, one run) and on each kind's folder:
# wall time, CPU time, MB/s and peak memory (from /usr/bin/time -v). When yamllint or hadolint
# are installed, their time on the same YAML or Dockerfiles is printed as a ratio from the same
# run (the tools users have today for those files).
#
# Usage: scripts/bench-lint-kinds.sh [SHARED_DIR]   (default: ../shared beside the checkout)
# The budget (issue 5): the whole 11.9 MB corpus in one run in under 0.5 s on two cores.
set -euo pipefail

root="$(cd "$(dirname "$0")/.." && pwd)"
shared="${1:-${SSECONF_SHARED:-}}"
if [[ -z "$shared" ]]; then
    if [[ -d "$root/../shared" ]]; then shared="$root/../shared"; else shared=/work/shared; fi
fi
corpus="$shared/corpus"
[[ -d "$corpus" ]] || { echo "corpus not found at $corpus" >&2; exit 2; }
[[ -x /usr/bin/time ]] || { echo "/usr/bin/time (GNU time) is required" >&2; exit 2; }

echo "building release binary..." >&2
(cd "$root" && cargo build --release --quiet)
sseconf="$root/target/release/sseconf"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

# shellcheck source=scripts/lib/measure.sh
source "$root/scripts/lib/measure.sh"

mb() { find "$@" -type f -printf '%s\n' | awk '{s += $1} END {printf "%.1f", s/1e6}'; }


printf '%-12s %8s %8s %8s %9s %9s  %s\n' input MB wall_s cpu_s MB/s rss_MB others
for name in all haproxy k8s compose docker redis prometheus gateway nginx; do
    if [[ $name == all ]]; then input=("$corpus"/*/); else input=("$corpus/$name"); fi
    size=$(mb "${input[@]}")
    read -r wall user sys rss < <(best_of_three "$sseconf" lint --format json --fail-on never "${input[@]}")
    cpu=$(echo "$user $sys" | awk '{printf "%.2f", $1+$2}')
    rate=$(echo "$size $wall" | awk '{ if ($2 > 0) printf "%.1f", $1/$2; else printf ">%.0f", $1/0.01 }')
    others=""
    case $name in
        k8s | compose | prometheus | gateway)
            if command -v yamllint >/dev/null; then
                read -r owall _ _ _ < <(measure yamllint -f parsable "${input[@]}")
                others=$(echo "$owall $wall" | awk '{ if ($2 > 0) printf "yamllint %.2fs (%.0fx)", $1, $1/$2; else printf "yamllint %.2fs (>%.0fx: sseconf under 0.01 s)", $1, $1/0.01 }')
            fi ;;
        docker)
            if command -v hadolint >/dev/null; then
                find "${input[@]}" -type f -name '*Dockerfile*' > "$work/dockerfiles"
                read -r owall _ _ _ < <(measure xargs -a "$work/dockerfiles" -d '\n' hadolint --no-fail)
                others=$(echo "$owall $wall" | awk '{ if ($2 > 0) printf "hadolint %.2fs (%.0fx)", $1, $1/$2; else printf "hadolint %.2fs (>%.0fx: sseconf under 0.01 s)", $1, $1/0.01 }')
            fi ;;
    esac
    printf '%-12s %8s %8.2f %8s %9s %9d  %s\n' "$name" "$size" "$wall" "$cpu" "$rate" "$((rss / 1024))" "$others"
done
echo "(best of three runs for sseconf; ratios: other tool's wall time / sseconf's, same run; load average now: $(cut -d' ' -f1-3 /proc/loadavg))"

# shellcheck shell=bash
# Shared by the benchmark scripts (sourced, not run). Needs GNU time at /usr/bin/time and a
# scratch folder in $work.

# Runs a command under GNU time; prints "wall user sys maxrss_kb" and discards its output.
measure() {
    local log="${work:?set work to a scratch folder}/time.log"
    /usr/bin/time -v -o "$log" "$@" >/dev/null 2>&1 || true
    local wall user sys rss
    wall=$(awk -F': ' '/Elapsed \(wall clock\)/ {print $2}' "$log" | awk -F: '{ if (NF==3) print $1*3600+$2*60+$3; else print $1*60+$2 }')
    user=$(awk -F': ' '/User time/ {print $2}' "$log")
    sys=$(awk -F': ' '/System time/ {print $2}' "$log")
    rss=$(awk -F': ' '/Maximum resident/ {print $2}' "$log")
    echo "$wall $user $sys $rss"
}

# The best of three runs (the machine is shared; the least disturbed run decides).
best_of_three() {
    local best="" line
    for _ in 1 2 3; do
        line=$(measure "$@")
        if [[ -z "$best" ]] || awk -v a="${line%% *}" -v b="${best%% *}" 'BEGIN {exit !(a < b)}'; then best="$line"; fi
    done
    echo "$best"
}

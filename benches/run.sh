#!/usr/bin/env bash
# The figures of README "Performance", as a user meets them: whole `handout` processes.
#   1. one document (the two-page sample): median wall time over RUNS runs, peak RSS;
#   2. its size in bytes, and the time and memory of its Simplified Chinese translation
#      and of a one-page Chinese handout cut from it;
#   3. throughput: 1,000 personalized rows of the sample with `-j 2` (PDFs per second,
#      CPU per PDF, peak RSS);
#   4. Typst compiling the same handout (benches/typst/lumbar-puncture.typ), tagged (Typst's
#      default; its PDF/UA-1 mode refuses the footer's links), in the same run, and the
#      ratios: with the `typst` CLI as a whole process, timed the same way, once as a user
#      runs it and once with --ignore-system-fonts; else with Typst's Python package (`pip install typst`), its first compile in a
#      fresh Python process with the interpreter's start left out (this favours Typst).
# Usage: benches/run.sh   (RUNS=30 by default; needs a release build, made here)
set -euo pipefail
cd "$(dirname "$0")/.."
RUNS=${RUNS:-30}
cargo build --release --locked -q
exe=target/release/handout
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

# Median wall milliseconds of RUNS runs of a command.
median_ms() {
    local times=()
    for _ in $(seq "$RUNS"); do
        local t0 t1
        t0=$(date +%s%N)
        "$@" >/dev/null 2>&1
        t1=$(date +%s%N)
        times+=($(( (t1 - t0) / 1000 )))
    done
    printf '%s\n' "${times[@]}" | sort -n | awk '{a[NR]=$1} END {m=a[int((NR+1)/2)]; printf "%.1f", m/1000}'
}

# Peak RSS in MiB of one run (GNU time), or "n/a".
peak_mib() {
    if [ -x /usr/bin/time ]; then
        /usr/bin/time -f '%M' "$@" 2>&1 >/dev/null | tail -1 | awk '{printf "%.1f", $1/1024}'
    else
        printf 'n/a'
    fi
}

echo "machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo 2>/dev/null | cut -d: -f2 | sed 's/^ *//')"
one=(build -q handouts/lumbar-puncture.yaml --lang en -o "$tmp/one")
h_ms=$(median_ms "$exe" "${one[@]}")
h_rss=$(peak_mib "$exe" "${one[@]}")
h_bytes=$(stat -c %s "$tmp/one/lumbar-puncture.en.pdf")
echo "one document (handout build handouts/lumbar-puncture.yaml --lang en): ${h_ms} ms median of $RUNS, peak RSS ${h_rss} MiB"
echo "size of lumbar-puncture.en.pdf: ${h_bytes} bytes"
zh=(build -q handouts/lumbar-puncture.yaml --lang zh-Hans -o "$tmp/zh")
echo "one Simplified Chinese document (the same sample, two pages, Noto Sans CJK): $(median_ms "$exe" "${zh[@]}") ms median of $RUNS, peak RSS $(peak_mib "$exe" "${zh[@]}") MiB"
# A one-page Chinese handout: the translation up to its first callout (three sections).
mkdir -p "$tmp/zh1"
cp handouts/contact.yaml handouts/logo.png "$tmp/zh1/"
awk '/^  - callout:/ { exit } 1' handouts/lumbar-puncture.zh-Hans.yaml > "$tmp/zh1/card.zh-Hans.yaml"
zh1=(build -q "$tmp/zh1/card.zh-Hans.yaml" -o "$tmp/zh1/out")
"$exe" build "$tmp/zh1/card.zh-Hans.yaml" -o "$tmp/zh1/out" 2>&1 | grep -q '(1 page,' ||
    echo "warning: the Chinese handout is not one page"
echo "one-page Simplified Chinese handout (the translation's first three sections): $(median_ms "$exe" "${zh1[@]}") ms median of $RUNS, peak RSS $(peak_mib "$exe" "${zh1[@]}") MiB"

# Throughput: the sample with a personalized paragraph, one PDF per CSV row.
mkdir -p "$tmp/run"
cp handouts/contact.yaml handouts/logo.png "$tmp/run/"
sed 's/^body:$/body:\n  - "Prepared for {{patient_name}} (MRN {{mrn}}). Your follow-up visit is on {{follow_up|date}}."/' \
    handouts/lumbar-puncture.yaml > "$tmp/run/discharge.yaml"
{
    echo "mrn,patient_name,follow_up"
    for i in $(seq 1000); do printf 'M%06d,Patient %d,2026-12-%02d\n' "$i" "$i" $((1 + i % 28)); done
} > "$tmp/run/rows.csv"
t0=$(date +%s%N)
stats=$(/usr/bin/time -f '%U %S %M' "$exe" build -q -j 2 --name '{mrn}.pdf' --data "$tmp/run/rows.csv" \
    -o "$tmp/run/out" "$tmp/run/discharge.yaml" 2>&1 >/dev/null | tail -1)
t1=$(date +%s%N)
written=$(find "$tmp/run/out" -name '*.pdf' | wc -l)
echo "$stats" | awk -v n="$written" -v ns=$((t1 - t0)) '{
    wall = ns / 1e9; cpu = $1 + $2
    printf "throughput, 1,000 rows, -j 2: %d PDFs in %.2f s wall = %.0f PDFs/s; CPU %.2f ms per PDF; peak RSS %.1f MiB\n",
        n, wall, n / wall, cpu * 1000 / n, $3 / 1024 }'

ratio() {
    awk -v h="$h_ms" -v t="$1" -v hb="$h_bytes" -v tb="$2" \
        'BEGIN { printf "ratio: handout takes %.2f of Typst'"'"'s time (1/%.1f) and %.2f of its bytes\n", h/t, t/h, hb/tb }'
}
if command -v typst >/dev/null; then
    # As a user runs it (Typst also looks through the machine's fonts, as the issue's
    # figures did), and with only the repo's fonts (--ignore-system-fonts, Typst's best case).
    typ=(compile --root . benches/typst/lumbar-puncture.typ "$tmp/typst.pdf" --font-path fonts)
    for mode in default ignore-system-fonts; do
        args=("${typ[@]}")
        [ "$mode" = ignore-system-fonts ] && args+=(--ignore-system-fonts)
        t_ms=$(median_ms typst "${args[@]}")
        t_rss=$(peak_mib typst "${args[@]}")
        t_bytes=$(stat -c %s "$tmp/typst.pdf")
        echo "typst CLI $(typst --version | cut -d' ' -f2) ($mode), whole process: ${t_ms} ms median of $RUNS, peak RSS ${t_rss} MiB, ${t_bytes} bytes"
        ratio "$t_ms" "$t_bytes"
    done
elif python3 -c 'import typst' 2>/dev/null; then
    compile_ms() {
        python3 - "$tmp/typst.pdf" <<'PY'
import sys, time, typst
t = time.perf_counter()
typst.compile("benches/typst/lumbar-puncture.typ", output=sys.argv[1], root=".", font_paths=["fonts"],
              ignore_system_fonts=True)
print(int((time.perf_counter() - t) * 1e6))
PY
    }
    t_ms=$(for _ in $(seq "$RUNS"); do compile_ms; done | sort -n |
        awk '{a[NR]=$1} END {printf "%.1f", a[int((NR+1)/2)]/1000}')
    t_bytes=$(stat -c %s "$tmp/typst.pdf")
    version=$(python3 -c 'import importlib.metadata as m; print(m.version("typst"))')
    echo "typst $version (Python package), first compile in a fresh process: ${t_ms} ms median of $RUNS, ${t_bytes} bytes"
    ratio "$t_ms" "$t_bytes"
else
    echo "typst is not installed: no comparison (cargo install typst-cli, or pip install typst, and re-run)"
fi

#!/usr/bin/env bash
# Builds benchmarks.jar, checks every SDK's answers, runs a short but meaningful measurement pass (about nine
# minutes on an otherwise idle 2-core machine) and writes benchmarks/results/latest.md, with the raw JMH JSON in
# benchmarks/results/raw/.
#
# The pass is a subset of the full matrix, chosen for the targets of issues 7 and 5: one accessor at 10 and 100,000
# overrides for every SDK, all four accessors, the per-request path and the concurrent benchmark at 10,000,
# warm and cold loads, logging on and off. One fork each (three for the cold load, ten for logging), 2 warmup and 3
# measurement iterations of 1 second. For the full matrix run the jar without -p options (see docs/performance.md).
#
# Usage: [FORKS=n] [ITERATIONS=n] [WARMUPS=n] benchmarks/run.sh [other JMH options, e.g. -jvmArgsAppend -XX:+UseParallelGC]
# FORKS (default 1), ITERATIONS (3) and WARMUPS (2) lengthen the pass; the cold load gets two forks more, logging nine,
# and logging one iteration more. JMH rejects an option given twice, so set these through the variables, not -f or -i.
set -euo pipefail
cd "$(dirname "$0")/.."

JAR=benchmarks/target/benchmarks.jar
OUT=benchmarks/results
RAW=$OUT/raw
EXTRA=("$@")

started=$(date +%s)
echo "== build"
mvn -q -pl benchmarks -am package -DskipTests
mkdir -p "$RAW"
rm -f "$RAW"/*.json
load_before=$(uptime)

ALL=tollgate,tollgateLogsOff,floor,launchDarklyEventsOff,launchDarklyEventsOn,unleash,flagd
echo "== correctness: every SDK, every context, every flag (each benchmark fork repeats this for its own size)"
java -cp "$JAR" dev.tollgate.benchmarks.CorrectnessCheck 10,10000 "$ALL"
java -cp "$JAR" dev.tollgate.benchmarks.CorrectnessCheck 10 flagdArrayIn

echo "== retained heap"
java -cp "$JAR" dev.tollgate.benchmarks.RetainedHeap "$RAW/heap.json"

F=${FORKS:-1}
I=${ITERATIONS:-3}
W=${WARMUPS:-2}
SHORT=(-f "$F" -wi "$W" -w 1s -i "$I" -r 1s)
jmh() {
  local name=$1
  shift
  echo "== $name"
  java -jar "$JAR" -foe true -prof gc -rf json -rff "$RAW/jmh-$name.json" "$@" "${EXTRA[@]}"
}

jmh single '\.SingleAccessorBenchmark\.' "${SHORT[@]}" -p sdk=$ALL -p overrides=10,100000
jmh single-flagd-array '\.SingleAccessorBenchmark\.' "${SHORT[@]}" -p sdk=flagdArrayIn -p overrides=10
jmh all-four '\.AllAccessorsBenchmark\.' "${SHORT[@]}" -p sdk=$ALL -p overrides=10000
jmh per-request '\.PerRequestBenchmark\.' "${SHORT[@]}" -p sdk=$ALL -p overrides=10000
jmh logging '\.LoggingOverheadBenchmark\.' -f $((F + 9)) -wi "$W" -w 1s -i $((I + 1)) -r 1s
jmh concurrent '\.ConcurrentSwapBenchmark\.' -f "$F" -wi 1 -w 2s -i "$I" -r 2s -p overrides=10000
jmh load-warm '\.SnapshotLoadBenchmark\.' -f "$F" -wi "$W" -w 2s -i "$I" -r 2s
jmh load-cold '\.SnapshotLoadColdBenchmark\.' -f $((F + 2))

load_after=$(uptime)
finished=$(date +%s)

{
  echo "Run of $(date -u '+%Y-%m-%d %H:%M UTC'), $(( (finished - started) / 60 )) min $(( (finished - started) % 60 )) s in total."
  echo
  echo "- Machine: $(nproc) CPUs, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2- | sed 's/^ *//'), $(awk '/MemTotal/ {printf "%.1f GiB", $2 / 1048576}' /proc/meminfo) RAM"
  echo "- JDK: $(java -version 2>&1 | head -1); $(java -version 2>&1 | sed -n 3p)"
  echo "- Load before: $load_before"
  echo "- Load after: $load_after"
  echo "- Command: \`FORKS=$F ITERATIONS=$I WARMUPS=$W benchmarks/run.sh${EXTRA[*]:+ ${EXTRA[*]}}\`"
  echo
} > "$OUT/latest.md.tmp"
java -cp "$JAR" dev.tollgate.benchmarks.report.ResultsReport "$OUT/report.md.tmp" "$RAW/heap.json" "$RAW"/jmh-*.json > /dev/null
cat "$OUT/report.md.tmp" >> "$OUT/latest.md.tmp"
rm "$OUT/report.md.tmp"
mv "$OUT/latest.md.tmp" "$OUT/latest.md"
echo "== wrote $OUT/latest.md"

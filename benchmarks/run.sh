#!/usr/bin/env bash
# Builds benchmarks.jar, checks every SDK's answers, runs a short but meaningful measurement pass (about 49 minutes
# on an otherwise idle 2-core machine) and writes benchmarks/results/latest.md, with the raw JMH JSON in
# benchmarks/results/raw/ and each Tollgate figure's multiple of the floor in benchmarks/results/floor-ratios.json.
#
# The pass is a subset of the full matrix, chosen for the goals of issue 20: the per-request paths (one accessor and
# four) and all four accessors at 10,000 overrides, one accessor at 10 and 100,000 for every SDK, Tollgate both with a
# root per read and through a held root; the concurrent benchmark at 10,000; warm and cold loads and cold starts;
# logging on and off. Three forks each (five for the cold load, six for the cold start, eleven for logging), 10 warmup
# and 3 measurement iterations of 1 second. The regression guard compares with the multiples of the floor recorded by
# this pass, and with two forks one fork's JIT outcome moved a multiple by more than the guard's 25%. For the full
# matrix run the jar without -p options (see docs/performance.md).
#
# Usage: [FORKS=n] [ITERATIONS=n] [WARMUPS=n] benchmarks/run.sh [other JMH options, e.g. -jvmArgsAppend -XX:+UseParallelGC]
# FORKS (default 3, and 2 for --check), ITERATIONS (3) and WARMUPS (10: a root per read settles only after 6 to 9 s)
# set the pass; the cold load gets two forks more, the cold start three, logging eight, and logging one iteration
# more. JMH rejects an option given twice, so set these through the variables, not -f or -i.
#
#        benchmarks/run.sh --check
# The regression guard, to run before a release (not in CI: timers on shared machines are noise): a shorter pass of
# Tollgate and the floor only (15 warm-up and 5 measured iterations), 15 to 25 minutes, that fails when a Tollgate
# figure's multiple of the floor is more than 25% above the one recorded in benchmarks/results/floor-ratios.json by
# the last full pass, and is again in a confirmation run of that benchmark alone with two forks more (a pass of the
# same code moves some multiples by 25% and more on a shared 2-core machine, in both directions).
set -euo pipefail
cd "$(dirname "$0")/.."

JAR=benchmarks/target/benchmarks.jar
OUT=benchmarks/results
RAW=$OUT/raw
CHECK=false
if [[ "${1:-}" == "--check" ]]; then
  CHECK=true
  shift
fi
EXTRA=("$@")
if $CHECK; then
  RAW=$OUT/check # leaves the full pass's raw results alone
fi

started=$(date +%s)
echo "== build"
mvn -q -pl benchmarks -am package -DskipTests
mkdir -p "$RAW"
rm -f "$RAW"/*.json "$RAW"/suspects.txt
load_before=$(uptime)

ALL=tollgate,tollgateLogsOff,floor,launchDarklyEventsOff,launchDarklyEventsOn,unleash,flagd
HELD=tollgateHeldRoot,tollgateLogsOffHeldRoot
echo "== correctness: every SDK, every context, every flag (each benchmark fork repeats this for its own size)"
java -cp "$JAR" dev.tollgate.benchmarks.CorrectnessCheck 10,10000 "$ALL,$HELD"
java -cp "$JAR" dev.tollgate.benchmarks.CorrectnessCheck 10 flagdArrayIn

if ! $CHECK; then
  echo "== retained heap"
  java -cp "$JAR" dev.tollgate.benchmarks.RetainedHeap "$RAW/heap.json"
fi

F=${FORKS:-3}
I=${ITERATIONS:-3}
W=${WARMUPS:-10}
if $CHECK; then
  F=${FORKS:-2}
  # The guard compares with a 25% tolerance: it needs settled figures more than a short run.
  I=${ITERATIONS:-5}
  W=${WARMUPS:-15}
fi
SHORT=(-f "$F" -wi "$W" -w 1s -i "$I" -r 1s)
jmh() {
  local name=$1
  shift
  echo "== $name"
  java -jar "$JAR" -foe true -prof gc -rf json -rff "$RAW/jmh-$name.json" "$@" "${EXTRA[@]}"
}

if $CHECK; then
  GUARDED=tollgate,tollgateLogsOff,floor
  jmh check-per-request '\.PerRequestBenchmark\.' "${SHORT[@]}" -p sdk=$GUARDED -p overrides=10000
  jmh check-single '\.SingleAccessorBenchmark\.' "${SHORT[@]}" -p sdk=$GUARDED -p overrides=10,100000
  jmh check-all-four '\.AllAccessorsBenchmark\.' "${SHORT[@]}" -p sdk=$GUARDED -p overrides=10000
  jmh check-load-warm '\.SnapshotLoadBenchmark\.' -f "$F" -wi "$W" -w 2s -i "$I" -r 2s -p overrides=100000
  status=0
  java -cp "$JAR" dev.tollgate.benchmarks.report.FloorRatios check "$OUT/floor-ratios.json" \
    --suspects "$RAW/suspects.txt" "$RAW"/jmh-check-*.json || status=$?
  if [[ $status -ne 3 ]]; then
    exit $status # 0: every figure within 25%; otherwise an error or a figure never recorded
  fi
  # A pass of two forks moves a figure's multiple by 25% and more on a shared machine: the suspects are measured again,
  # each with its floor and more forks, and only a figure that fails again fails the guard.
  rerun=0
  while read -r -u 3 regex sdks overrides; do
    rerun=$((rerun + 1))
    params=(-p overrides="$overrides")
    period=1s
    if [[ "$sdks" == "-" ]]; then # a load benchmark: its methods are the SDKs, timed as in its pass above
      period=2s
    else
      params+=(-p sdk="$sdks")
    fi
    jmh confirm-$rerun "$regex" -f $((F + 2)) -wi "$W" -w "$period" -i "$I" -r "$period" "${params[@]}"
  done 3< "$RAW/suspects.txt"
  echo "== confirmation: the suspects measured again"
  java -cp "$JAR" dev.tollgate.benchmarks.report.FloorRatios check "$OUT/floor-ratios.json" "$RAW"/jmh-confirm-*.json
  exit 0 # the check above ends the script with its status if a suspect failed again (set -e)
fi

jmh per-request '\.PerRequestBenchmark\.' "${SHORT[@]}" -p sdk=$ALL -p overrides=10000
jmh single '\.SingleAccessorBenchmark\.' "${SHORT[@]}" -p sdk=$ALL,$HELD -p overrides=10,100000
jmh single-flagd-array '\.SingleAccessorBenchmark\.' "${SHORT[@]}" -p sdk=flagdArrayIn -p overrides=10
jmh all-four '\.AllAccessorsBenchmark\.' "${SHORT[@]}" -p sdk=$ALL,$HELD -p overrides=10000
jmh logging '\.LoggingOverheadBenchmark\.' -f $((F + 8)) -wi "$W" -w 1s -i $((I + 1)) -r 1s
jmh concurrent '\.ConcurrentSwapBenchmark\.' -f "$F" -wi 1 -w 2s -i "$I" -r 2s -p overrides=10000
jmh load-warm '\.SnapshotLoadBenchmark\.' -f "$F" -wi "$W" -w 2s -i "$I" -r 2s
jmh load-cold '\.SnapshotLoadColdBenchmark\.' -f $((F + 2))
jmh start-cold '\.ClientStartColdBenchmark\.' -f $((F + 3))

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
java -cp "$JAR" dev.tollgate.benchmarks.report.FloorRatios record "$OUT/floor-ratios.json" "$RAW"/jmh-*.json

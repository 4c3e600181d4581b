#!/usr/bin/env bash
# Installs the Debian 12 packages Shenpi needs, when missing: to build and run by default,
# plus what the test suites need with --test, plus nginx and wrk with --bench.
# Idempotent and quiet when everything is there. Uses sudo when not root.
set -euo pipefail

packages=(
  build-essential cmake ninja-build ccache pkg-config clang-format
  libboost1.81-dev libboost-json1.81-dev libboost-url1.81-dev
  libsqlite3-dev sqlite3 libpq-dev
  libsodium-dev libssl-dev zlib1g-dev
  libcairo2-dev libpango1.0-dev fonts-noto-cjk libqrencode-dev libcurl4-openssl-dev
  libspdlog-dev libfmt-dev libcli11-dev libyaml-cpp-dev
  libgtest-dev libgmock-dev libbenchmark-dev
)
for arg in "$@"; do
  case "$arg" in
    --test) packages+=(postgresql poppler-utils nodejs npm chromium curl python3-aiosmtpd zbar-tools
                      clang-14 libclang-rt-14-dev) ;;
    --bench) packages+=(nginx wrk curl nodejs npm) ;;
    *) echo "usage: $0 [--test] [--bench]" >&2; exit 2 ;;
  esac
done

missing=()
for p in "${packages[@]}"; do
  status=$(dpkg-query -W -f='${Status}' "$p" 2>/dev/null || true)
  [[ "$status" == "install ok installed" ]] || missing+=("$p")
done
# npm ships with the nodejs of some images (e.g. from NodeSource); it is fine if npm exists.
if command -v npm >/dev/null 2>&1; then
  filtered=()
  for p in "${missing[@]}"; do [[ "$p" == npm || "$p" == nodejs ]] || filtered+=("$p"); done
  missing=("${filtered[@]+"${filtered[@]}"}")
fi
if (( ${#missing[@]} == 0 )); then exit 0; fi

echo "Installing missing packages: ${missing[*]}"
SUDO=""
if [[ $(id -u) -ne 0 ]]; then SUDO="sudo"; fi
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq
$SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}"

#!/usr/bin/env bash
# Install the Debian packages theorycheck needs (DESIGN.md "Dependencies") when missing.
# As root: apt-get update + install. Otherwise: print the exact command and stop.
set -euo pipefail
pkgs=(cmake pkg-config gcc make libgsl-dev liblapacke-dev libopenblas-dev libjansson-dev
      libinih-dev libcmocka-dev gnuplot-nox)
missing=()
for p in "${pkgs[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
[ ${#missing[@]} -eq 0 ] && exit 0
cmd="apt-get install -y --no-install-recommends ${missing[*]}"
if [ "$(id -u)" -ne 0 ]; then
  echo "theorycheck: missing packages: ${missing[*]}" >&2
  echo "install them with:  sudo apt-get update && sudo $cmd" >&2
  exit 1
fi
echo "theorycheck: installing ${missing[*]}" >&2
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
$cmd >/dev/null

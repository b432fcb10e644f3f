#!/usr/bin/env bash
# The Debian packages of the peer benchmarks (bench/peers/run.sh), installed when missing:
# PyTorch CPU, scipy (solve_ivp, linprog), scikit-learn (its bundled iris, wine and digits).
# As root: apt-get update + install; otherwise print the command and stop.
set -euo pipefail
pkgs=(python3 python3-numpy python3-scipy python3-torch python3-sklearn)
installed() { dpkg-query -W -f='${Status}' "$1" 2>/dev/null | grep -q "install ok installed"; }
missing=()
for p in "${pkgs[@]}"; do installed "$p" || missing+=("$p"); done
[ ${#missing[@]} -eq 0 ] && exit 0
install="apt-get install -y --no-install-recommends"
if [ "$(id -u)" -ne 0 ]; then
  echo "bench-peers: missing packages: ${missing[*]}" >&2
  echo "install them with:  sudo apt-get update && sudo $install ${missing[*]}" >&2
  exit 1
fi
echo "bench-peers: installing ${missing[*]}" >&2
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
$install "${missing[@]}" >/dev/null

#!/usr/bin/env bash
# Install the Debian packages theorycheck needs (DESIGN.md "Dependencies") when missing
# (clang and libclang-rt-dev build the fuzz targets of `make test`: libFuzzer).
# As root: apt-get update + install. Otherwise: print the exact command and stop.
# The optional packages serve one test each (tests/slurm/cluster.sh, a single-node Slurm
# cluster; tests/harness/report_html.sh, report.html in headless Chromium;
# tests/harness/figures.sh, pdfinfo and pdffonts from poppler-utils check that every PDF figure
# opens and embeds its fonts), skipped without them: they are installed when possible and
# never fail the build.
set -euo pipefail
pkgs=(cmake pkg-config gcc make libgsl-dev libsundials-dev liblapacke-dev libopenblas-dev
      libjansson-dev libinih-dev libcmocka-dev gnuplot-nox clang libclang-rt-dev)
optional=(slurm-wlm munge chromium poppler-utils)
installed() { dpkg-query -W -f='${Status}' "$1" 2>/dev/null | grep -q "install ok installed"; }
missing=() opt_missing=()
for p in "${pkgs[@]}"; do installed "$p" || missing+=("$p"); done
for p in "${optional[@]}"; do installed "$p" || opt_missing+=("$p"); done
[ ${#missing[@]} -eq 0 ] && [ ${#opt_missing[@]} -eq 0 ] && exit 0
install="apt-get install -y --no-install-recommends"
if [ "$(id -u)" -ne 0 ]; then
  if [ ${#opt_missing[@]} -gt 0 ]; then
    echo "theorycheck: optional packages for the Slurm, browser and PDF tests missing: ${opt_missing[*]}" \
         "(sudo $install ${opt_missing[*]}); that test is skipped without them" >&2
  fi
  [ ${#missing[@]} -eq 0 ] && exit 0
  echo "theorycheck: missing packages: ${missing[*]}" >&2
  echo "install them with:  sudo apt-get update && sudo $install ${missing[*]}" >&2
  exit 1
fi
export DEBIAN_FRONTEND=noninteractive
if [ ${#missing[@]} -gt 0 ]; then
  echo "theorycheck: installing ${missing[*]}" >&2
  apt-get update -qq
  $install "${missing[@]}" >/dev/null
  updated=1
fi
if [ ${#opt_missing[@]} -gt 0 ]; then
  echo "theorycheck: installing ${opt_missing[*]} (optional, for the Slurm, browser and PDF tests)" >&2
  if ! { [ -n "${updated:-}" ] || apt-get update -qq; } ||
     ! $install "${opt_missing[@]}" >/dev/null 2>&1; then
    echo "theorycheck: could not install ${opt_missing[*]}: the tests that need them are skipped" >&2
  fi
fi
exit 0

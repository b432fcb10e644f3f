#!/usr/bin/env bash
# tests/harness/report_html.sh — report.html in a browser (headless Chromium, Debian's
# `chromium`; exit 77 = skipped, with the reason, where it is not installed): the page fits a
# 1,280-pixel window (the page's own script records document.scrollWidth), the verdict table has
# its verdict and family filters and sortable headers, the script raises no error, and a
# screenshot is drawn.
. "$(dirname "$0")/../lib.sh"
BROWSER=$(command -v chromium || command -v chromium-browser || true)
if [ -z "$BROWSER" ]; then echo "skip: chromium not installed (apt-get install chromium)"; exit 77; fi
OUT="$TMP/r"
# claims from several families, with long ids, sources and metric names
expect_exit 0 "run" -- "$TC" run etf_definition min_norm homogeneity_tanh max_margin_square_loss \
    angle_shrinkage_small_angles_absolute hessian_symmetry_zeros --out "$OUT"
browse() { timeout 120 "$BROWSER" --headless --no-sandbox --disable-gpu --window-size=1280,900 "$@" \
    "file://$OUT/report.html"; }
browse --enable-logging=stderr --v=0 --dump-dom >"$TMP/dom.html" 2>"$TMP/console.txt"
w=$(grep -o 'data-scroll-width="[0-9]*"' "$TMP/dom.html" | grep -o '[0-9]*')
if [ -n "$w" ] && [ "$w" -le 1280 ]; then ok; else bad "report.html is ${w:-?} px wide in a 1,280-pixel window (or its script did not run)"; fi
if grep -q "Uncaught" "$TMP/console.txt"; then bad "script error: $(grep Uncaught "$TMP/console.txt" | head -1)"; else ok; fi
expect_grep "$TMP/dom.html" '<select id="fv">' "verdict filter"
expect_grep "$TMP/dom.html" '<option>min_norm</option>' "family filter lists the families"
expect_grep "$TMP/dom.html" 'data-family="homogeneity"' "rows carry their family"
expect_grep "$TMP/dom.html" '<td class="num" data-v="[0-9.e+-]*">' "numeric sort keys"
browse --screenshot="$TMP/shot.png" >/dev/null 2>&1
expect_file "$TMP/shot.png" "screenshot"
finish

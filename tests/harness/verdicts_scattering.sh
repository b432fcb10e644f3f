#!/usr/bin/env bash
# tests/harness/verdicts_scattering.sh — the scattering family in the quick profile: the five
# claims (1-D and 2-D) pass and the two controls are refuted, with their key metrics where the
# theory puts them; the checks can fail (a filter bank without the Littlewood-Paley normalisation breaks
# the energy identity); a deformation below the transform's rounding is inconclusive, not a
# verdict; a scale 2^J beyond n / 4 is a skip; bad input exits 2.
. "$(dirname "$0")/../lib.sh"
OUT="$TMP/o"
verdict() { claim_get "$OUT/results.json" "$1" verdict; }
# check SPEC...: one python run over results.json; SPEC is CLAIM=VERDICT or CLAIM.METRIC=LO:HI;
# prints one line per failed spec (read by expect_lines ... 0)
check() {
  python3 -c 'import json, sys
cl = {x["id"]: x for x in json.load(open(sys.argv[1]))["claims"]}
for spec in sys.argv[2:]:
    key, want = spec.split("=")
    if "." not in key:
        if cl[key]["verdict"] != want: print(key, cl[key]["verdict"])
        continue
    c, m = key.split(".")
    v = {x["name"]: x["value"] for x in cl[c]["metrics"]}[m]
    lo, hi = map(float, want.split(":"))
    if not lo <= v <= hi: print(key, v, "not in", want)' "$OUT/results.json" "$@" >"$TMP/check"
  if [ -s "$TMP/check" ]; then bad "$(cat "$TMP/check")"; else ok; fi
}

ALL="scattering_energy scattering_translation scattering_deformation scattering_energy_2d scattering_translation_2d scattering_no_lowpass scattering_fourier_modulus"
expect_exit 0 "the family, quick" -- "$TC" run $ALL --strict --no-plots --out "$OUT"
check scattering_energy=pass scattering_translation=pass scattering_deformation=pass \
  scattering_no_lowpass=xfail scattering_fourier_modulus=xfail \
  scattering_energy.identity_relerr_depth3=0:1e-13 scattering_energy.truncated_energy_depth3=0:0.05 \
  scattering_translation.bound_ratio_max=0:1 scattering_translation.slope_shift=0.9:1.05 \
  scattering_translation.slope_scale=-2:-1 scattering_no_lowpass.bound_ratio_max=2:1e9 \
  scattering_deformation.frequency_slope=-1:0.5 scattering_deformation.strain_slope_min=0.9:1.1 \
  scattering_fourier_modulus.frequency_slope=0.8:1.2 \
  scattering_energy_2d=pass scattering_translation_2d=pass \
  scattering_energy_2d.identity_relerr_depth2=0:1e-13 scattering_translation_2d.bound_ratio_max=0:1

expect_exit 1 "raw filters" -- "$TC" run scattering_energy scattering_energy_2d --set scattering_energy.lp_normalise=false --set scattering_energy_2d.lp_normalise=false --no-plots --out "$OUT"
check scattering_energy=fail scattering_energy_2d=fail

expect_exit 1 "strain below rounding" -- "$TC" run scattering_deformation --set scattering_deformation.strains=1e-15,5e-16 --no-plots --out "$OUT"
echo "$(verdict scattering_deformation) $(claim_get "$OUT/results.json" scattering_deformation reason)" >"$TMP/v"
expect_grep "$TMP/v" "^error inconclusive: the deformation s = 1e-15" "strain below rounding: inconclusive"

expect_exit 0 "2^J > n / 4" -- "$TC" run scattering_translation --set scattering_translation.octaves=3,9 --no-plots --out "$OUT"
check scattering_translation=skip

expect_exit 2 "depth out of range" -- "$TC" run scattering_energy --set scattering_energy.depth=9 --no-plots --out "$OUT"
finish

#!/usr/bin/env bash
# The pages in a real browser: renders report.html (korea-260k) and compare.html
# (korea-260k vs korea-power-limited) with the release binary, opens each in headless
# Chromium and fails on
#   - any console message, script error, resource that fails to load, or resource from
#     outside the file (a probe script injected into a copy records them; Chromium's own
#     console log on stderr, --enable-logging=stderr --v=0, is read as well),
#   - more A4 or Letter pages than the README promises (--print-to-pdf of a copy with
#     `@page { size: A4 }` or Letter added, pages counted in the PDF),
#   - a chart whose box is blank in a screenshot of the whole page (tests/browser/check.py
#     decodes the PNG and counts the colours inside each chart's box),
#   - a table cut at the page edge: the page laid out with its print style sheet at the
#     printed width of A4 and of Letter, every table must fit its container and the page.
# Before that it runs every check on tests/browser/canary.html, a page made to fail them
# all, so a Chromium whose output changed cannot make a check pass blindly.
#
# Needs chromium and python3: as root it installs Debian's chromium when missing;
# otherwise it skips with a message. RUNS (default 2000) sets the runs per scenario;
# BROWSER_OUT=DIR keeps the copies, dumps, screenshots and PDFs there to look at.
set -uo pipefail
cd "$(dirname "$0")/../.."
REPO=$(pwd)
HERE="$REPO/tests/browser"

log() { echo "report.sh: $*"; }

if ! command -v chromium >/dev/null 2>&1 || ! command -v python3 >/dev/null 2>&1; then
  if [ "$(id -u)" != 0 ]; then
    log "SKIPPED: needs chromium and python3 (run as root to install Debian's chromium)"
    exit 0
  fi
  log "installing chromium"
  export DEBIAN_FRONTEND=noninteractive
  timeout 300 apt-get update -qq || { log "apt-get update failed"; exit 1; }
  timeout 600 apt-get install -y -qq chromium python3 >/dev/null || { log "installing chromium failed"; exit 1; }
fi

RUNS=${RUNS:-2000}
SCRATCH=$(mktemp -d /tmp/buildout-browser.XXXXXX)
trap 'rm -rf "$SCRATCH"' EXIT
WORK=${BROWSER_OUT:-$SCRATCH/work}
mkdir -p "$WORK"
WORK=$(cd "$WORK" && pwd)
FAILED=0

# One Chromium per call, with a fresh profile, no network chatter (the machine has no
# network and refused connections flood the log), device pixels = CSS pixels.
chrome() {
  timeout 120 chromium --headless --no-sandbox --disable-gpu --disable-quic --no-first-run \
    --disable-background-networking --disable-component-update --disable-sync \
    --user-data-dir="$SCRATCH/profile" --hide-scrollbars --force-device-scale-factor=1 \
    --enable-logging=stderr --v=0 "$@"
}
check() { python3 "$HERE/check.py" "$@"; }
# A file's name as shown: its path when BROWSER_OUT keeps it, else its name alone.
shown() { if [ -n "${BROWSER_OUT:-}" ]; then echo "$WORK/$1"; else echo "$1"; fi; }

# Runs a check; a failure is counted and the script goes on, so one run shows every problem.
expect_pass() {
  local what=$1; shift
  echo "$what"
  if ! "$@"; then FAILED=$((FAILED + 1)); fi
}

# Lays out PAGE (a file path) as NAME and checks it: screen at 1200 px (console, errors,
# tables, a screenshot with every chart inked), then for A4 and Letter the print layout's
# tables and the PDF's page count against MAX pages.
check_page() {
  local page=$1 name=$2 max=$3 out height width size
  check copy "$page" "$WORK/$name-screen.html" --probe "$HERE/probe.js" || return 1
  chrome --window-size=1200,900 --dump-dom "file://$WORK/$name-screen.html" \
    >"$WORK/$name-screen.dump" 2>"$WORK/$name-screen.log"
  out=$(check probe "$WORK/$name-screen.dump" "$WORK/$name-screen.log" --tables)
  [ $? = 0 ] || FAILED=$((FAILED + 1))
  echo "$name on screen (1200 px wide):"
  grep -v '^height ' <<<"$out"
  height=$(sed -n 's/^height //p' <<<"$out")
  # Once more at the page's full height, so the screenshot shows all of it and the
  # boxes come from the very window the screenshot is taken in.
  chrome --window-size="1200,$height" --dump-dom "file://$WORK/$name-screen.html" \
    >"$WORK/$name-full.dump" 2>/dev/null
  chrome --window-size="1200,$height" --screenshot="$WORK/$name.png" \
    "file://$WORK/$name-screen.html" >/dev/null 2>&1
  expect_pass "$name screenshot ($(shown "$name.png"), 1200x$height):" \
    check blank "$WORK/$name-full.dump" "$WORK/$name.png"
  for size in A4 Letter; do
    width=$(check print-width "$page" "$size")
    check copy "$page" "$WORK/$name-$size-layout.html" --probe "$HERE/probe.js" --print-layout
    chrome --window-size="$width,1200" --dump-dom "file://$WORK/$name-$size-layout.html" \
      >"$WORK/$name-$size-layout.dump" 2>"$WORK/$name-$size-layout.log"
    out=$(check probe "$WORK/$name-$size-layout.dump" "$WORK/$name-$size-layout.log" --tables)
    [ $? = 0 ] || FAILED=$((FAILED + 1))
    echo "$name laid out for $size ($width px printed width):"
    grep -v '^height ' <<<"$out"
    check copy "$page" "$WORK/$name-$size.html" --page-size "$size"
    chrome --no-pdf-header-footer --print-to-pdf="$WORK/$name-$size.pdf" \
      "file://$WORK/$name-$size.html" >/dev/null 2>&1
    expect_pass "$name printed on $size ($(shown "$name-$size.pdf")):" \
      check pages "$WORK/$name-$size.pdf" "$size" "$max"
  done
}

# Every check must fail on the canary, each with its own words.
self_test() {
  local out failed=0 want
  check copy "$HERE/canary.html" "$WORK/canary.html" --probe "$HERE/probe.js" --print-layout
  chrome --window-size=718,1000 --dump-dom "file://$WORK/canary.html" \
    >"$WORK/canary.dump" 2>"$WORK/canary.log"
  chrome --window-size=718,1000 --screenshot="$WORK/canary.png" "file://$WORK/canary.html" \
    >/dev/null 2>&1
  check copy "$HERE/canary.html" "$WORK/canary-A4.html" --page-size A4
  chrome --no-pdf-header-footer --print-to-pdf="$WORK/canary-A4.pdf" \
    "file://$WORK/canary-A4.html" >/dev/null 2>&1
  out=$( (check probe "$WORK/canary.dump" "$WORK/canary.log" --tables
    check blank "$WORK/canary.dump" "$WORK/canary.png"
    check pages "$WORK/canary-A4.pdf" A4 2) 2>&1)
  for want in "FAIL: console message:" "FAIL: console.error: canary" "FAIL: resource: img failed" \
    "is cut at the page edge" "FAIL: chart #1 blank chart is blank" "3 A4 pages, more than the 2"; do
    if ! grep -qF -- "$want" <<<"$out"; then
      echo "  FAIL: the canary page passes a check it must fail: no \"$want\" in"
      sed 's/^/    /' <<<"$out"
      failed=1
    fi
  done
  if [ $failed = 0 ]; then echo "  ok: every check fails on tests/browser/canary.html"; fi
  return $failed
}

log "$(chromium --version 2>/dev/null | tail -1), $(python3 --version)"
echo "self-test on tests/browser/canary.html:"
self_test || FAILED=$((FAILED + 1))

log "building the release binary and rendering the pages ($RUNS runs each)"
cargo build --release --quiet || { log "cargo build failed"; exit 1; }
BIN="$REPO/target/release/buildout"
"$BIN" run scenarios/korea-260k.toml --runs "$RUNS" --out "$SCRATCH/run" --quiet \
  || { log "buildout run failed"; exit 1; }
"$BIN" compare scenarios/korea-260k.toml scenarios/korea-power-limited.toml --runs "$RUNS" \
  --out "$SCRATCH/compare" --quiet || { log "buildout compare failed"; exit 1; }

for page in report compare; do
  if ! max=$(check promise README.md "$page.html"); then
    echo "$max"
    FAILED=$((FAILED + 1))
    continue
  fi
  if [ "$page" = report ]; then file="$SCRATCH/run/report.html"; else file="$SCRATCH/compare/compare.html"; fi
  check_page "$file" "$page" "$max" || FAILED=$((FAILED + 1))
done

if [ "$FAILED" != 0 ]; then
  log "FAILED: $FAILED check(s) failed (see FAIL lines above)"
  exit 1
fi
log "passed: report.html and compare.html render, print and lay out as promised"

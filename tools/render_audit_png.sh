#!/usr/bin/env bash
# Renders an HTML audit (`plaint audit BRAND --format html`) to a PNG with headless Chromium, so
# a person can look at the page as a browser draws it (charts, tables, the phone layout).
#
#   tools/render_audit_png.sh audit.html audit.png [width [height]]
#
# width: the viewport in CSS pixels (default 1000; 390 shows the phone layout). height: how much
# of the page, from the top; by default the page's full height is measured first, so the
# picture holds the whole report. Needs Debian's `chromium`
# (`apt-get install -y chromium`); installs it when missing and run as root.
set -euo pipefail
if [ $# -lt 2 ]; then
    echo "usage: $0 AUDIT.html OUT.png [width [height]]" >&2
    exit 64
fi
html=$(realpath "$1")
out=$2
width=${3:-1000}
height=${4:-}
[ -r "$html" ] || { echo "$0: cannot read $1" >&2; exit 66; }
if ! command -v chromium >/dev/null; then
    if [ "$(id -u)" = 0 ]; then
        apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null
    else
        echo "$0: chromium is not installed (apt-get install -y chromium)" >&2
        exit 69
    fi
fi
flags=(--headless --no-sandbox --disable-gpu --hide-scrollbars --force-device-scale-factor=1
    --disable-extensions --no-first-run --allow-file-access-from-files)
# The page's height at this width: Chromium prints the DOM after layout. The report itself has
# no script; a throwaway copy gets one that puts the height in its title.
if [ -z "$height" ]; then
    probe=$(mktemp --suffix=.html)
    trap 'rm -f "$probe"' EXIT
    sed 's#</body>#<script>document.title=document.documentElement.scrollHeight</script></body>#' "$html" >"$probe"
    height=$(chromium "${flags[@]}" --window-size="$width,800" --dump-dom "file://$probe" 2>/dev/null |
        sed -n 's#.*<title>\([0-9]*\)</title>.*#\1#p' | head -1)
    height=${height:-4000}
fi
chromium "${flags[@]}" --window-size="$width,$height" --screenshot="$out" "file://$html" >/dev/null 2>&1
echo "$out: ${width}x${height}"

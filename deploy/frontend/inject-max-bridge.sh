#!/bin/sh
# Usage: inject-max-bridge.sh DIST_INDEX_HTML [SCRIPT_URL]
# Adds MAX's bridge <script src="SCRIPT_URL"></script> to the built index.html, right before
# the app bundle (web/README.md, "MAX mini-app"). Without SCRIPT_URL it changes nothing.
# Used by deploy/frontend.Dockerfile and exercised by scripts/check-deploy.
set -eu

index="$1"
url="${2:-}"

if [ -z "$url" ]; then
    echo "inject-max-bridge: no MAX_BRIDGE_SCRIPT_URL; the app runs as a plain website"
    exit 0
fi

# Only a plain https URL: it is written into HTML, so nothing that could close the attribute.
case "$url" in
    https://*) ;;
    *) echo "inject-max-bridge: MAX_BRIDGE_SCRIPT_URL must start with https://" >&2; exit 2 ;;
esac
case "$url" in
    *[!A-Za-z0-9./:_~%?=\&-]*)
        echo "inject-max-bridge: MAX_BRIDGE_SCRIPT_URL has characters not allowed here" >&2
        exit 2 ;;
esac

tmp="$index.tmp"
# The bridge must run before the bundle (type="module" scripts are deferred, a classic script
# in <head> is not), so it goes right before the first module script Vite emitted.
awk -v tag="    <script src=\"$url\"></script>" '
    !done && /<script type="module"/ { print tag; done = 1 }
    { print }
    END { if (!done) exit 3 }
' "$index" > "$tmp" || {
    rm -f "$tmp"
    echo "inject-max-bridge: no <script type=\"module\"> in $index; cannot place the bridge" >&2
    exit 3
}
mv "$tmp" "$index"
echo "inject-max-bridge: added $url to $index"

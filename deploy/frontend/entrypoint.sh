#!/bin/sh
# Entrypoint of the frontend image: render the nginx site config from this container's
# environment, refuse values that would break or widen it, then run the command (nginx).
#
# Settings (defaults in deploy/frontend.Dockerfile, values from deploy/compose.yaml):
#   API_UPSTREAM        host:port of the API                       (api:8000)
#   MAX_UPLOAD_BYTES    largest upload, bytes, as the API's setting (2147483648)
#   CSP_SCRIPT_SOURCES  extra script origins for the CSP           (https://st.max.ru)
#   FRAME_ANCESTORS     CSP frame-ancestors (who may embed the app; MAX must be allowed)
#   REAL_IP_FROM        addresses/CIDRs of a proxy in front whose X-Forwarded-For is trusted
#                       (space-separated; empty: nginx is the edge and trusts nobody)
#   SYNC_TRANSCRIPTION_TIMEOUT_SECONDS
#                       how long the API's synchronous /v1/audio/transcriptions waits, as the
#                       API's setting (300); nginx waits a minute longer for its answer
# MEDIAHUB_NGINX_TEMPLATES / MEDIAHUB_NGINX_CONF_DIR move the input/output directories
# (scripts/check-deploy renders into a temporary directory with this same script).
set -eu

templates="${MEDIAHUB_NGINX_TEMPLATES:-/etc/nginx/mediahub-templates}"
out="${MEDIAHUB_NGINX_CONF_DIR:-/etc/nginx/conf.d}"

API_UPSTREAM="${API_UPSTREAM:-api:8000}"
MAX_UPLOAD_BYTES="${MAX_UPLOAD_BYTES:-2147483648}"
CSP_SCRIPT_SOURCES="${CSP_SCRIPT_SOURCES-https://st.max.ru}"
default_frame_ancestors="'self' https://max.ru https://*.max.ru https://web.max.ru"
FRAME_ANCESTORS="${FRAME_ANCESTORS:-$default_frame_ancestors}"
REAL_IP_FROM="${REAL_IP_FROM:-}"
SYNC_TRANSCRIPTION_TIMEOUT_SECONDS="${SYNC_TRANSCRIPTION_TIMEOUT_SECONDS:-300}"

fail() {
    echo "mediahub-nginx: $*" >&2
    exit 64
}

case "$API_UPSTREAM" in
    *[!A-Za-z0-9.:_-]* | "" | *:) fail "API_UPSTREAM must be host:port, got '$API_UPSTREAM'" ;;
esac
case "$MAX_UPLOAD_BYTES" in
    *[!0-9]* | "") fail "MAX_UPLOAD_BYTES must be a number of bytes, got '$MAX_UPLOAD_BYTES'" ;;
esac
# CSP values go inside a double-quoted nginx string: no quotes, semicolons, braces, $ or \.
for value in "$CSP_SCRIPT_SOURCES" "$FRAME_ANCESTORS"; do
    case "$value" in
        *[\"\;\{\}\$\\]*) fail "CSP_SCRIPT_SOURCES / FRAME_ANCESTORS may not contain \" ; { } \$ or \\" ;;
    esac
done
for address in $REAL_IP_FROM; do
    case "$address" in
        *[!0-9A-Fa-f.:/]*) fail "REAL_IP_FROM must list IP addresses or CIDRs, got '$address'" ;;
    esac
done

# Seconds, as the API reads it (fractions allowed); no leading zeros (octal in $(( ))).
case "$SYNC_TRANSCRIPTION_TIMEOUT_SECONDS" in
    "" | *[!0-9.]* | *.*.* | .* | 0[0-9]*)
        fail "SYNC_TRANSCRIPTION_TIMEOUT_SECONDS must be a positive number of seconds, got '$SYNC_TRANSCRIPTION_TIMEOUT_SECONDS'" ;;
esac
sync_whole="${SYNC_TRANSCRIPTION_TIMEOUT_SECONDS%%.*}"
[ "$sync_whole" = "$SYNC_TRANSCRIPTION_TIMEOUT_SECONDS" ] || sync_whole=$((sync_whole + 1))
SYNC_PROXY_TIMEOUT=$((sync_whole + 60))

# Multipart framing (boundaries, part headers) adds a little to the file itself.
CLIENT_MAX_BODY_SIZE=$((MAX_UPLOAD_BYTES + 1048576))
export API_UPSTREAM CLIENT_MAX_BODY_SIZE CSP_SCRIPT_SOURCES FRAME_ANCESTORS SYNC_PROXY_TIMEOUT

mkdir -p "$out"
for template in "$templates"/*.template; do
    [ -e "$template" ] || fail "no templates in $templates"
    name="$(basename "$template" .template)"
    # Only our variables: nginx's own ($host, $uri, …) must survive untouched.
    # shellcheck disable=SC2016  # the list is for envsubst, not for the shell
    envsubst '${API_UPSTREAM} ${CLIENT_MAX_BODY_SIZE} ${CSP_SCRIPT_SOURCES} ${FRAME_ANCESTORS} ${SYNC_PROXY_TIMEOUT}' \
        < "$template" > "$out/$name"
done

{
    echo "# Generated from REAL_IP_FROM='$REAL_IP_FROM'."
    if [ -n "$REAL_IP_FROM" ]; then
        for address in $REAL_IP_FROM; do
            echo "set_real_ip_from $address;"
        done
        echo "real_ip_header X-Forwarded-For;"
        echo "real_ip_recursive on;"
    fi
} > "$out/real-ip.inc"

echo "mediahub-nginx: config rendered (api=$API_UPSTREAM, max body=$CLIENT_MAX_BODY_SIZE bytes, /v1 read timeout=${SYNC_PROXY_TIMEOUT}s)"
exec "$@"

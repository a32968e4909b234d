#!/bin/sh
# Entrypoint of the MinIO stand-in image, shaped like MinIO's own docker-entrypoint.sh:
#   server …            -> minio server …   (compose: ["server", "/data", "--console-address", ":9001"])
#   minio … / mc …      -> that program
#   alias|admin|mb|anonymous|ready|ls … -> mc …  (the image is also tagged as quay.io/minio/mc)
#   anything else       -> run as given (sh, python3, …)
set -e
case "${1:-}" in
    "") set -- minio server /data ;;
    server|--version|version) set -- minio "$@" ;;
    alias|admin|mb|anonymous|ready|ls) set -- mc "$@" ;;
esac
exec "$@"

#!/bin/sh
# Entrypoint of the Redis stand-in, as the official image's: started as root, it hands /data
# to the `redis` user and runs the server as that user.
set -eu
if [ "$(id -u)" = 0 ]; then
    chown -R redis:redis /data
    exec setpriv --reuid=redis --regid=redis --init-groups "$@"
fi
exec "$@"

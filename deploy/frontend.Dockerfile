# Mediahub `frontend` image: the web app built with Node 20, served by nginx 1.25 (Alpine),
# which also proxies /api (HTTP), /api/ws (WebSocket) and /v1 (OpenAI-compatible) to the
# `api` service.
#
#   docker build -f deploy/frontend.Dockerfile -t mediahub-frontend .
#
# Context: the repository root (see .dockerignore). Network used while building: Docker Hub
# (base images) and the npm registry. Needs BuildKit (cache mount, COPY --chmod).
# Runs as nginx's unprivileged user (uid 101) and listens on 8080; compose publishes it on 80.
#
# Base images are pinned by exact tag. Pin them by digest too once they have been pulled
# where a registry is reachable (docs/deploy.md, "Pinning base images").

# ---------------------------------------------------------------------------------------
# build: `npm ci && npm run build` in web/ (exact versions from package-lock.json)
# ---------------------------------------------------------------------------------------
FROM node:20.19.5-alpine AS build

WORKDIR /web
COPY web/package.json web/package-lock.json ./
RUN --mount=type=cache,target=/root/.npm \
    npm ci --no-audit --no-fund

COPY web/ ./
COPY deploy/frontend/inject-max-bridge.sh /usr/local/bin/inject-max-bridge
# MAX's bridge script (defines window.WebApp inside the MAX messenger). Empty: none, the app
# runs as a plain website. The URL must also be allowed by CSP_SCRIPT_SOURCES at run time.
ARG MAX_BRIDGE_SCRIPT_URL=""
RUN npm run build \
 && sh /usr/local/bin/inject-max-bridge dist/index.html "${MAX_BRIDGE_SCRIPT_URL}"

# ---------------------------------------------------------------------------------------
# frontend: nginx serving dist/ with the config rendered from deploy/frontend/templates
# ---------------------------------------------------------------------------------------
FROM nginx:1.25.5-alpine AS frontend

# Unprivileged nginx: it writes only its rendered config, its caches and /tmp (pid file).
RUN rm -f /etc/nginx/conf.d/default.conf \
 && mkdir -p /var/cache/nginx \
 && chown -R nginx:nginx /var/cache/nginx /etc/nginx/conf.d

COPY deploy/frontend/nginx.conf /etc/nginx/nginx.conf
COPY deploy/frontend/templates/ /etc/nginx/mediahub-templates/
COPY --chmod=0755 deploy/frontend/entrypoint.sh /usr/local/bin/mediahub-nginx-entrypoint
COPY --from=build /web/dist /usr/share/nginx/html

# Defaults of the values the entrypoint renders into the config (compose overrides them).
ENV API_UPSTREAM=api:8000 \
    MAX_UPLOAD_BYTES=2147483648 \
    CSP_SCRIPT_SOURCES=https://st.max.ru \
    FRAME_ANCESTORS="'self' https://max.ru https://*.max.ru https://web.max.ru" \
    REAL_IP_FROM="" \
    SYNC_TRANSCRIPTION_TIMEOUT_SECONDS=300

USER 101:101
EXPOSE 8080
HEALTHCHECK --interval=30s --timeout=5s --start-period=10s --retries=3 \
    CMD ["wget", "-q", "-O", "/dev/null", "http://127.0.0.1:8080/"]
ENTRYPOINT ["/usr/local/bin/mediahub-nginx-entrypoint"]
CMD ["nginx", "-g", "daemon off; pid /tmp/nginx.pid;"]

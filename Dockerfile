# syntax=docker/dockerfile:1
# saltbot: multi-stage image. The build stage compiles TypeScript with the dev dependencies; the
# runtime stage holds production dependencies only, runs as the unprivileged `node` user and keeps
# its data (the file store, when REDIS_URL is not set) in the /app/data volume.
# test/ops/docker.test.ts lints this file and repeats the runtime stage's steps outside Docker.

# ---- build: all dependencies, compile to dist/ ----
FROM node:22-bookworm-slim AS build
WORKDIR /app
COPY package.json package-lock.json ./
# Scripts are skipped here so this layer is cached until the lock file changes (prepare would run
# tsc before the sources are copied); the build runs explicitly below.
RUN npm ci --no-audit --no-fund --ignore-scripts
COPY tsconfig.json ./
COPY src ./src
COPY commands ./commands
COPY locales ./locales
RUN npm run build

# ---- runtime: production dependencies and the compiled code only ----
FROM node:22-bookworm-slim AS runtime
ENV NODE_ENV=production \
    PORT=3000 \
    SALT_DATA_FILE=/app/data/saltbot.json
WORKDIR /app
COPY package.json package-lock.json ./
# --ignore-scripts: `prepare` needs tsc, a dev dependency; the code arrives compiled.
RUN npm ci --omit=dev --ignore-scripts --no-audit --no-fund && npm cache clean --force
COPY --from=build /app/dist ./dist
COPY presets ./presets
COPY locales ./locales
COPY bin ./bin
RUN mkdir -p /app/data && chown node:node /app/data
VOLUME ["/app/data"]
USER node
EXPOSE 3000
# A larger young generation: an interaction allocates a few short-lived 4 KB strings and objects,
# and with many in flight the default 16 MB semi-space promotes and scavenges far more (bench:
# the main thread's GC share 11 % → 7.6 %). Grows only under load; idle memory is unchanged.
ENV NODE_OPTIONS=--max-semi-space-size=32
# The slim image has no curl: node itself asks /healthz (store reachable, gateway connected or endpoint serving).
HEALTHCHECK --interval=30s --timeout=5s --start-period=30s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:' + (process.env.PORT || 3000) + '/healthz').then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))"]
# The old generation may grow to 5x what was live after a full collection before the next one (V8
# otherwise keeps it tight when little is promoted: a full collection every 1-3 s under load, each a
# latency spike). One V8 background thread: its collections then leave a core to Redis and the render
# workers on a small host (bench p99 at 1,000/s: see the README). NODE_OPTIONS refuses the first flag.
CMD ["node", "--heap-growing-percent=400", "--v8-pool-size=1", "dist/src/main.js"]

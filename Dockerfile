# syntax=docker/dockerfile:1
# One image for every process of the engine; compose picks the process with `command`:
#   gateway   node --import tsx apps/launcher/src/start.ts   (the default: migrate, then node:cluster gateways)
#   consumer  node --import tsx apps/consumer/src/main.ts
#   migrate   node --import tsx packages/db/src/migrate-cli.ts
# TypeScript runs through tsx, as with `npm start`: there is no separate compile step to drift.
ARG NODE_IMAGE=node:20-bookworm-slim

# 1. Dependencies of every workspace, dev ones included (vite builds the page). Only the
#    manifests are copied, so this layer is rebuilt only when a dependency changes.
FROM ${NODE_IMAGE} AS deps
WORKDIR /app
COPY package.json package-lock.json ./
COPY packages/config/package.json packages/config/
COPY packages/db/package.json packages/db/
COPY packages/domain/package.json packages/domain/
COPY packages/stream/package.json packages/stream/
COPY packages/runtime/package.json packages/runtime/
COPY apps/consumer/package.json apps/consumer/
COPY apps/gateway/package.json apps/gateway/
COPY apps/launcher/package.json apps/launcher/
COPY apps/web/package.json apps/web/
COPY bench/package.json bench/
# postinstall (patch-package) applies patches/ (an unreleased postgres.js fix) to node_modules.
COPY patches/ patches/
RUN npm ci --no-audit --no-fund

# 2. The sources, the live page's Vite build (apps/web/page/dist), then the dev
#    dependencies dropped (tsx is a runtime dependency and stays).
FROM deps AS build
COPY . .
RUN npm run build:web \
  && npm prune --omit=dev --no-audit --no-fund

# 3. What runs: node, the pruned node_modules and the sources, owned by root and run as the
#    image's unprivileged `node` user (tsx writes its cache to /tmp, nothing else is written).
FROM ${NODE_IMAGE} AS runtime
ENV NODE_ENV=production \
    HOST=0.0.0.0 \
    PORT=3000
WORKDIR /app
COPY --from=build /app ./
USER node
EXPOSE 3000
CMD ["node", "--import", "tsx", "apps/launcher/src/start.ts"]

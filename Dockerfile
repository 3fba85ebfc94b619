# syntax=docker/dockerfile:1
# Build stage: full toolchain, dev dependencies, compile.
FROM node:24-bookworm-slim AS build
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund
COPY . .
RUN npm run build && npm prune --omit=dev

# Runtime stage: production dependencies and compiled code only.
# bubblewrap powers the local sandbox provider; tini reaps zombies (sandboxed
# process trees) and forwards SIGTERM so graceful shutdown works.
FROM node:24-bookworm-slim AS runtime
RUN apt-get update \
 && apt-get install -y --no-install-recommends tini bubblewrap socat ca-certificates \
 && rm -rf /var/lib/apt/lists/*
ENV NODE_ENV=production PORT=8000
WORKDIR /app
COPY --from=build --chown=node:node /app/package.json ./
COPY --from=build --chown=node:node /app/node_modules ./node_modules
COPY --from=build --chown=node:node /app/dist ./dist
COPY --from=build --chown=node:node /app/apps/console ./apps/console
USER node
EXPOSE 8000
HEALTHCHECK --interval=10s --timeout=2s --start-period=10s --retries=3 \
  CMD node -e "fetch('http://127.0.0.1:8000/health/live').then(r=>process.exit(r.ok?0:1),()=>process.exit(1))"
ENTRYPOINT ["/usr/bin/tini", "--"]
# V8 flags (docs/operations.md): the young generation capped at 2 × 32 MB, and WebAssembly (the bash
# parser) left on its baseline compiler, whose optimising tier-up took 450 MB for a moment under load.
CMD ["node", "--max-semi-space-size=32", "--liftoff-only", "dist/apps/safety-api/main.js"]

# syntax=docker/dockerfile:1

# ---- build: dev dependencies and the TypeScript compiler ----------------------------------
FROM node:20-slim AS build
WORKDIR /app
COPY package.json package-lock.json ./
# No dependency needs an install script (see allowScripts in package.json).
RUN npm ci --ignore-scripts
COPY . .
RUN npm run build

# ---- runtime: production dependencies, compiled code and the SQL it reads ------------------
FROM node:20-slim AS runtime
ENV NODE_ENV=production \
    HOST=0.0.0.0 \
    PORT=4000 \
    DATA_DIR=/app/data
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --omit=dev --ignore-scripts && npm cache clean --force
COPY --from=build /app/dist ./dist
# Migrations and models are read from sql/ at run time (src/db/sql-dir.ts walks up to find it).
COPY sql ./sql
# The embedded database (when DATABASE_URL is unset) lives here; mount a volume to keep it.
RUN mkdir -p /app/data && chown node:node /app/data
VOLUME ["/app/data"]
USER node
EXPOSE 4000
# HOST=0.0.0.0 means the server refuses to start without API_TOKEN (interfaces.md); pass
# -e API_TOKEN=... -e CALENDLY_API_KEY=... (and DATABASE_URL for a real PostgreSQL).
# slim has no curl: probe liveness with node's global fetch.
HEALTHCHECK --interval=30s --timeout=5s --start-period=60s --retries=3 \
    CMD ["node", "-e", "fetch('http://127.0.0.1:' + (process.env.PORT || 4000) + '/healthz').then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))"]
# `prestart` runs `npm run build`, which needs the dev dependencies this image does not have.
# With --ignore-scripts npm (>= 7, verified on npm 10/11) still runs the `start` script itself
# but skips its pre/post scripts. npm forwards SIGTERM/SIGINT to node for the graceful shutdown;
# run with `docker run --init` so PID 1 also reaps zombies.
CMD ["npm", "start", "--ignore-scripts"]

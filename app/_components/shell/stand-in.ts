/** What the page tells a reader who runs the app against the in-memory stand-in instead of Iggy. */

/** Starts the real Iggy 0.9.0 (Docker); `npm run demo` uses it on its next start. */
export const REAL_SERVER_DOCKER_COMMAND = 'docker compose -f server/docker-compose.yml up -d';
/** Without Docker: an iggy-server 0.9.0 binary that `npm run demo` starts itself. */
export const REAL_SERVER_BINARY_COMMAND = 'IGGY_SERVER_BIN=/path/to/iggy-server npm run demo';
/** Where the docs say what the stand-in is and how to leave it. */
export const STAND_IN_DOCS_HREF = '/docs/troubleshooting#the-app-runs-on-a-stand-in-not-iggy';

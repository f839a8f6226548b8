/** @type {import('next').NextConfig} */
const nextConfig = {
  reactStrictMode: true,
  // Lets tests and parallel local builds use separate output folders (e.g. NEXT_DIST_DIR=.next-e2e).
  distDir: process.env.NEXT_DIST_DIR || '.next',
  poweredByHeader: false,
  // The Iggy client opens raw TCP sockets and loads a native hash module: keep it out of the bundler.
  serverExternalPackages: ['@node-rs/xxhash', 'pino', 'pino-pretty'],
  // Docs are read from disk at build time; make sure the files ship with the server output.
  outputFileTracingIncludes: { '/docs/**': ['./docs/**/*.md'] },
};

export default nextConfig;

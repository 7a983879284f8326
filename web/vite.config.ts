import { defineConfig } from 'vite';
import { resolve } from 'node:path';

// LIVE's metadata (live_token.json, the one contract's ABI) is bundled from the contract
// build's artifacts, so the client encodes calls and decodes errors exactly as the deployed
// contract defines them.
const artifacts = process.env.LIVESTARS_ARTIFACTS ?? resolve(__dirname, '../target/contracts');

export default defineConfig({
  resolve: { alias: { '@contracts': artifacts } },
  build: { outDir: 'dist', emptyOutDir: true, chunkSizeWarningLimit: 2000 },
  // `npm run dev` serves the client with hot reload against a running `scripts/dev`
  // (WebSockets too: a private show's signaling relay is under /v1).
  server: { proxy: { '/v1': { target: process.env.LIVESTARS_API ?? 'http://127.0.0.1:8080', ws: true } } },
});

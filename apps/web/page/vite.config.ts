import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';

/** Where `vite dev` sends API calls; the built page talks to its own origin. */
const gateway = process.env.GATEWAY_URL ?? 'http://localhost:3000';
const api = { target: gateway, changeOrigin: true };

export default defineConfig({
  root: fileURLToPath(new URL('.', import.meta.url)),
  clearScreen: false,
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    target: 'es2022',
    // Hashed names let the gateway cache assets forever; index.html is the only file to revalidate.
    assetsDir: 'assets',
  },
  server: {
    proxy: { '/auctions': api, '/members': api, '/receipts': api },
  },
});

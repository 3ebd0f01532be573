// The web console's build: React + Vite into web/dist, which `hookline serve` serves at `/`.
// No source maps in the build: the bundle is what ships, and nothing in it may be a secret.
import { fileURLToPath } from 'node:url';
import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

const root = fileURLToPath(new URL('.', import.meta.url));

export default defineConfig({
  root,
  plugins: [react()],
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    sourcemap: false,
    target: 'es2022',
    // the console's CSP allows scripts from 'self' only: no inline preload helper
    modulePreload: { polyfill: false },
  },
  server: {
    // `npm run console:dev`: the API of a running `hookline serve`
    proxy: { '/api': 'http://127.0.0.1:8080' },
  },
});

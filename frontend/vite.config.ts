import { defineConfig } from 'vitest/config';

// Preact's automatic JSX runtime through esbuild: no Babel, no plugin.
export default defineConfig({
  esbuild: {
    jsx: 'automatic',
    jsxImportSource: 'preact',
  },
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    assetsDir: 'assets',
    target: 'es2020',
    sourcemap: false,
    // Phones on Android Chrome and iOS Safari support modulepreload or ignore it harmlessly.
    modulePreload: { polyfill: false },
    reportCompressedSize: false,
  },
  server: {
    // `npm run dev` against a local stack: LARIS_URL=http://127.0.0.1:PORT npm run dev
    proxy: { '/api': process.env.LARIS_URL ?? 'http://127.0.0.1:8080' },
  },
  test: {
    include: ['src/**/*.test.ts'],
    environment: 'node',
  },
});

import { defineConfig } from 'vitest/config';

// The WAR serves the app from its root; `base: './'` keeps every asset URL relative, so the app works under any
// context path (Arquillian deploys it under a generated one). Maven copies target/frontend into the WAR.
export default defineConfig({
  base: './',
  build: {
    outDir: process.env.MERIDIAN_FRONTEND_OUT ?? '../../../target/frontend',
    emptyOutDir: true,
    sourcemap: true,
    chunkSizeWarningLimit: 400,
  },
  test: {
    environment: 'jsdom',
    globals: true,
    include: ['test/**/*.test.ts'],
  },
});

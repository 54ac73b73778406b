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
    // The chart, and the demo SMART app (ADR 0028) served under /apps/demo/ — a separate page that shares nothing
    // with the chart but the build.
    rollupOptions: {
      input: {
        main: 'index.html',
        demoLaunch: 'apps/demo/launch.html',
        demo: 'apps/demo/index.html',
      },
    },
  },
  // fhirclient's browser entry skips its fetch polyfills when FHIRCLIENT_PURE is defined (modern browsers only).
  define: { FHIRCLIENT_PURE: 'true' },
  test: {
    environment: 'jsdom',
    globals: true,
    include: ['test/**/*.test.ts'],
  },
});

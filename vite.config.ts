import { defineConfig } from 'vitest/config'
import react from '@vitejs/plugin-react'
import { fileURLToPath } from 'node:url'

const projectRoot = fileURLToPath(new URL('.', import.meta.url))

export default defineConfig({
  root: 'client',
  plugins: [react()],
  build: {
    outDir: '../dist/client',
    emptyOutDir: true,
    // The board (Tiptap, ProseMirror, Yjs) is one lazily loaded chunk of ~620 kB; the page a
    // phone loads first is ~230 kB (72 kB gzipped). Warn only if the board grows past this.
    chunkSizeWarningLimit: 700,
  },
  server: {
    // `npm run dev` serves the client with hot reload; API and sync go to `npm start` on 8080.
    proxy: {
      '/api': 'http://localhost:8080',
      '/sync': { target: 'ws://localhost:8080', ws: true },
    },
  },
  test: {
    root: projectRoot,
    projects: [
      {
        extends: true,
        test: {
          name: 'unit',
          root: projectRoot,
          include: ['tests/unit/**/*.test.ts'],
          environment: 'node',
        },
      },
      {
        extends: true,
        test: {
          name: 'integration',
          root: projectRoot,
          include: ['tests/integration/**/*.test.ts'],
          environment: 'node',
          testTimeout: 60_000,
          hookTimeout: 60_000,
        },
      },
      {
        extends: true,
        test: {
          name: 'e2e',
          root: projectRoot,
          include: ['tests/e2e/**/*.test.ts'],
          environment: 'node',
          globalSetup: ['tests/e2e/globalSetup.ts'],
          fileParallelism: false,
          testTimeout: 90_000,
          hookTimeout: 120_000,
        },
      },
    ],
  },
})

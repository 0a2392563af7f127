import { defineConfig } from "vitest/config";

// The app always loads the built ui/dist through Tauri's asset protocol, so
// asset URLs must be relative and there is no dev-server configuration here.
export default defineConfig({
  base: "./",
  build: {
    outDir: "dist",
    emptyOutDir: true,
    // WebKitGTK on older distributions and macOS 12 WebKit are Safari 15 class.
    target: "safari15",
  },
  test: {
    environment: "node",
    include: ["src/**/*.test.ts"],
  },
});

import fs from "node:fs";
import path from "node:path";
import fastifyStatic from "@fastify/static";
import type { FastifyInstance } from "fastify";

/**
 * Serves the built pane and playground (`npm run build` writes them to dist/web). When the build
 * is missing, `/` says how to make it instead of answering an unexplained 404.
 */
export async function registerWebApp(app: FastifyInstance, webDir: string): Promise<void> {
  if (fs.existsSync(path.join(webDir, "index.html"))) {
    await app.register(fastifyStatic, { root: webDir, prefix: "/", index: ["index.html"], cacheControl: true, maxAge: 0 });
    return;
  }
  app.get("/", { schema: { hide: true } }, async (_request, reply) =>
    reply.type("text/plain; charset=utf-8").send(`The web app is not built (looked in ${webDir}). Run \`npm run build\`, or \`npm start\`, which builds it.\n`),
  );
}

// PORT=... DATABASE_URL=postgresql://... node server.mjs — serves POST /graphql on 127.0.0.1.
import "./node20-shim.mjs"; // first: evaluated before postgraphile
import { createServer } from "node:http";
import { postgraphile } from "postgraphile";
import { grafserv } from "postgraphile/grafserv/node";
import preset from "./graphile.config.mjs";

const pgl = postgraphile(preset);
const serv = pgl.createServ(grafserv);
const server = createServer();
server.keepAliveTimeout = 65_000;
server.on("error", (e) => {
  console.error(e);
  process.exit(1);
});
await serv.addTo(server);
await pgl.getSchema(); // build (introspect) before listening, so "answers" means "ready"
const port = Number(process.env.PORT ?? 5678);
server.listen(port, "127.0.0.1", () => {
  console.error(`postgraphile listening on http://127.0.0.1:${port}/graphql`);
});

async function stop() {
  server.close();
  await pgl.release();
  process.exit(0);
}
process.on("SIGTERM", stop);
process.on("SIGINT", stop);

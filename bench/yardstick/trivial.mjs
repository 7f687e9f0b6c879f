// BODY=... PORT=... node trivial.mjs — answers BODY to every request: the load client's ceiling.
import { createServer } from "node:http";

const body = Buffer.from(process.env.BODY);
createServer((req, res) => {
  req.resume();
  req.on("end", () => {
    res.writeHead(200, { "content-type": "application/json", "content-length": body.length });
    res.end(body);
  });
}).listen(Number(process.env.PORT), "127.0.0.1");

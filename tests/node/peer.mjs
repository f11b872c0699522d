// A Node.js peer speaking the seed's User Service protocol with the `ws` package.
//
//   node peer.mjs client <url>   connect, send one UserSignedUp, print every frame received
//                                (one JSON line each), exit after the first reply
//   node peer.mjs server         listen on 127.0.0.1:0, print {"port": N}; for each connection
//                                print its path, send one UserSignedUp, and answer every frame
//                                with the same user and the email "echo@node.example"
import { WebSocket, WebSocketServer } from "ws";

const [mode, url] = process.argv.slice(2);
const out = (value) => process.stdout.write(JSON.stringify(value) + "\n");

if (mode === "client") {
  const ws = new WebSocket(url);
  ws.on("open", () => {
    ws.send(JSON.stringify({ userId: "user 123", email: "node@example.com" }));
    ws.send(JSON.stringify({ userId: "user 123" })); // invalid: no email
  });
  ws.on("message", (data, isBinary) => {
    out({ received: JSON.parse(data.toString()), binary: isBinary });
    ws.close(1000);
  });
  ws.on("close", (code) => {
    out({ closed: code });
    process.exit(0);
  });
  ws.on("error", (err) => {
    out({ error: String(err) });
    process.exit(1);
  });
} else if (mode === "server") {
  const wss = new WebSocketServer({ host: "127.0.0.1", port: 0 });
  wss.on("listening", () => out({ port: wss.address().port }));
  wss.on("connection", (ws, request) => {
    out({ path: request.url });
    ws.send(JSON.stringify({ userId: "n1", email: "hello@node.example" }));
    ws.on("message", (data) => {
      const message = JSON.parse(data.toString());
      out({ got: message });
      ws.send(JSON.stringify({ userId: message.userId, email: "echo@node.example" }));
    });
  });
} else {
  console.error("usage: node peer.mjs client <url> | server");
  process.exit(2);
}

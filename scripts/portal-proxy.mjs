// Forwards http://localhost:3000 to the backend (http://localhost:7007), which serves the production build of the
// frontend through @backstage/plugin-app-backend. `./portal start` runs it so that the portal keeps its familiar
// address (app.baseUrl) while the backend does the serving; API calls go to backend.baseUrl directly.
// Plain HTTP and WebSocket upgrades are streamed through unchanged (no buffering, no rewriting).
// Usage: node scripts/portal-proxy.mjs [--port 3000] [--target http://localhost:7007]
import { createServer, request } from 'node:http';
import { connect } from 'node:net';
import { parseArgs } from 'node:util';

const { values } = parseArgs({
  options: {
    port: { type: 'string', default: '3000' },
    target: { type: 'string', default: 'http://localhost:7007' },
  },
});
const target = new URL(values.target);
const targetPort = Number(target.port || 80);

const server = createServer((req, res) => {
  const upstream = request(
    {
      host: target.hostname,
      port: targetPort,
      method: req.method,
      path: req.url,
      headers: {
        ...req.headers,
        'x-forwarded-host': req.headers.host ?? '',
        'x-forwarded-proto': 'http',
      },
    },
    up => {
      res.writeHead(up.statusCode ?? 502, up.rawHeaders);
      up.pipe(res);
    },
  );
  upstream.on('error', err => {
    if (!res.headersSent) res.writeHead(502, { 'content-type': 'text/plain' });
    res.end(
      `the Paved backend on ${values.target} is not answering (${
        err.code ?? err.message
      })`,
    );
  });
  req.pipe(upstream);
});

// WebSockets (e.g. signals): replay the upgrade request to the backend and splice the two sockets together.
server.on('upgrade', (req, socket, head) => {
  const up = connect(targetPort, target.hostname, () => {
    const lines = [`${req.method} ${req.url} HTTP/${req.httpVersion}`];
    for (let i = 0; i < req.rawHeaders.length; i += 2)
      lines.push(`${req.rawHeaders[i]}: ${req.rawHeaders[i + 1]}`);
    up.write(`${lines.join('\r\n')}\r\n\r\n`);
    if (head?.length) up.write(head);
    up.pipe(socket).pipe(up);
  });
  const close = () => {
    socket.destroy();
    up.destroy();
  };
  up.on('error', close);
  socket.on('error', close);
});

server.listen(Number(values.port), () => {
  console.log(`ready: http://localhost:${values.port} -> ${values.target}`);
});
for (const signal of ['SIGINT', 'SIGTERM'])
  process.on(signal, () => process.exit(0));

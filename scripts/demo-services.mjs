#!/usr/bin/env node
// Paved demo health services: tiny local HTTP processes that the Brightcart demo
// catalog points at with `paved.dev/health-url`, so that the service status pages
// show live, meaningful data right after `./portal start`.
//
// One node process, no dependencies. Each service listens on 127.0.0.1 and answers
//   GET /healthz  -> 200 {"status":"ok",...}   (or 503 {"status":"unavailable",...} when flaky)
//   GET /readyz   -> same behaviour as /healthz
//   GET /         -> a short description
// Ports can be moved with PAVED_DEMO_SERVICES_BASE_PORT (default 7101: services use base+0..base+4).
// A port that is already taken is logged and skipped; SIGTERM/SIGINT close every server and exit 0.

import http from 'node:http';

const basePort = Number(process.env.PAVED_DEMO_SERVICES_BASE_PORT ?? 7101);
const host = process.env.PAVED_DEMO_SERVICES_HOST ?? '127.0.0.1';
const quiet = process.env.PAVED_DEMO_SERVICES_QUIET === '1';

/**
 * The demo services. `failureRate` is the share of probes answered with 503,
 * `slowRate` the share answered after `slowMs` instead of 5-20 ms.
 */
const services = [
  { name: 'orders-api', port: basePort, failureRate: 0, slowRate: 0 },
  { name: 'payments-api', port: basePort + 1, failureRate: 0, slowRate: 0 },
  {
    name: 'fraud-check',
    port: basePort + 2,
    failureRate: 0.25,
    slowRate: 0.15,
    slowMs: 1500,
  },
  { name: 'storefront-web', port: basePort + 3, failureRate: 0, slowRate: 0 },
  // The orders database's health exporter: up, but at its connection limit (the product story's "degraded").
  {
    name: 'orders-db',
    port: basePort + 4,
    failureRate: 0,
    slowRate: 0,
    degraded: { message: 'connection limit nearly reached: 97 of 100 connections in use' },
  },
];

const startedAt = Date.now();

function log(message) {
  if (!quiet) {
    process.stdout.write(`demo-services: ${message}\n`);
  }
}

function randomBetween(min, max) {
  return min + Math.floor(Math.random() * (max - min + 1));
}

function send(res, statusCode, body) {
  const payload = JSON.stringify(body);
  res.writeHead(statusCode, {
    'content-type': 'application/json; charset=utf-8',
    'content-length': Buffer.byteLength(payload),
    'cache-control': 'no-store',
  });
  res.end(payload);
}

function handler(service) {
  return (req, res) => {
    const path = (req.url ?? '/').split('?')[0];
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      send(res, 405, { error: 'method not allowed' });
      return;
    }
    if (path === '/') {
      send(res, 200, {
        service: service.name,
        description: 'Paved demo service',
        endpoints: ['/healthz', '/readyz'],
      });
      return;
    }
    if (path !== '/healthz' && path !== '/readyz') {
      send(res, 404, { error: 'not found' });
      return;
    }
    const slow = Math.random() < service.slowRate;
    const failing = Math.random() < service.failureRate;
    const delayMs = slow ? service.slowMs ?? 1500 : randomBetween(5, 20);
    const timer = setTimeout(() => {
      inflight.delete(timer);
      if (failing) {
        send(res, 503, {
          status: 'unavailable',
          service: service.name,
          message: 'upstream scoring model timed out',
        });
        return;
      }
      send(res, 200, {
        status: service.degraded ? 'degraded' : 'ok',
        ...(service.degraded ?? {}),
        service: service.name,
        uptimeSeconds: Math.round((Date.now() - startedAt) / 1000),
      });
    }, delayMs);
    inflight.add(timer);
  };
}

const inflight = new Set();
const servers = [];

function listen(service) {
  return new Promise(resolve => {
    const server = http.createServer(handler(service));
    server.keepAliveTimeout = 1000;
    server.once('error', error => {
      if (error.code === 'EADDRINUSE') {
        log(`port ${service.port} is taken; skipping ${service.name}`);
      } else {
        log(`could not start ${service.name} on port ${service.port}: ${error.message}`);
      }
      resolve(undefined);
    });
    server.listen(service.port, host, () => {
      log(`${service.name} on http://${host}:${service.port}/healthz`);
      servers.push(server);
      resolve(server);
    });
  });
}

let stopping = false;
function stop(signal) {
  if (stopping) {
    return;
  }
  stopping = true;
  log(`${signal} received; stopping`);
  for (const timer of inflight) {
    clearTimeout(timer);
  }
  inflight.clear();
  let open = servers.length;
  if (open === 0) {
    process.exit(0);
  }
  for (const server of servers) {
    server.close(() => {
      open -= 1;
      if (open === 0) {
        process.exit(0);
      }
    });
    server.closeAllConnections?.();
  }
  // Never hang on shutdown.
  setTimeout(() => process.exit(0), 2000).unref();
}

process.on('SIGTERM', () => stop('SIGTERM'));
process.on('SIGINT', () => stop('SIGINT'));

const started = (await Promise.all(services.map(listen))).filter(Boolean);
if (started.length === 0) {
  log('no demo service could start; exiting');
  process.exit(0);
}

import { tcpCheck, type ReadinessCheck } from './checks.ts';
import { readConfig } from './config.ts';
import { createLogger } from './logger.ts';
import { createServer } from './server.ts';
import { createShutdown } from './shutdown.ts';

const config = readConfig();
const logger = createLogger({ service: '${{ values.name }}', level: config.logLevel });

const checks: ReadinessCheck[] = [];
if (config.databaseUrl) {
  checks.push(tcpCheck('database', config.databaseUrl, 5432));
}
if (config.redisUrl) {
  checks.push(tcpCheck('redis', config.redisUrl, 6379));
}

let isDraining = () => false;
const server = createServer({ logger, checks, isDraining: () => isDraining() });
const shutdown = createShutdown({
  server,
  logger,
  drainMs: config.shutdownDrainMs,
  timeoutMs: config.shutdownTimeoutMs,
});
isDraining = () => shutdown.draining;
server.listen(config.port, () => {
  const address = server.address();
  logger.info('listening', {
    port: typeof address === 'object' && address ? address.port : config.port,
    checks: checks.map(c => c.name),
  });
});

for (const signal of ['SIGTERM', 'SIGINT'] as const) {
  process.once(signal, () => {
    shutdown.begin(signal).then(() => process.exit(0));
    // A last resort if connections never close.
    setTimeout(() => process.exit(1), config.shutdownDrainMs + config.shutdownTimeoutMs + 1_000).unref();
  });
}

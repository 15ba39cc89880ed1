import { tcpCheck, type ReadinessCheck } from './checks.ts';
import { readConfig } from './config.ts';
import { createLogger } from './logger.ts';
import { createServer } from './server.ts';

const config = readConfig();
const logger = createLogger({ service: '${{ values.name }}', level: config.logLevel });

const checks: ReadinessCheck[] = [];
if (config.databaseUrl) {
  checks.push(tcpCheck('database', config.databaseUrl, 5432));
}
if (config.redisUrl) {
  checks.push(tcpCheck('redis', config.redisUrl, 6379));
}

const server = createServer({ logger, checks });
server.listen(config.port, () => {
  const address = server.address();
  logger.info('listening', {
    port: typeof address === 'object' && address ? address.port : config.port,
    checks: checks.map(c => c.name),
  });
});

for (const signal of ['SIGTERM', 'SIGINT'] as const) {
  process.once(signal, () => {
    logger.info('shutting down', { signal });
    server.close(() => process.exit(0));
    setTimeout(() => process.exit(1), 10_000).unref();
  });
}

/**
 * The Paved service status backend plugin: health probes, uptime/latency history, deployments,
 * incidents and status roll-up over dependsOn relations.
 *
 * @packageDocumentation
 */
export { serviceStatusPlugin as default } from './plugin';

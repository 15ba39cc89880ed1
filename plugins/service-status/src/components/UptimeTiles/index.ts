export { UptimeTiles } from './UptimeTiles';
export type { UptimeTilesProps } from './UptimeTiles';

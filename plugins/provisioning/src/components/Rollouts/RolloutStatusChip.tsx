import Chip from '@material-ui/core/Chip';

const COLORS: Record<string, string> = {
  running: '#1565c0',
  applying: '#1565c0',
  soaking: '#6a1b9a',
  paused: '#ef6c00',
  succeeded: '#2e7d32',
  passed: '#2e7d32',
  applied: '#2e7d32',
  failed: '#c62828',
  'rolled-back': '#c62828',
  aborted: '#616161',
  skipped: '#616161',
  pending: '#9e9e9e',
};

/** A small coloured chip for a rollout, wave or item status. @internal */
export function RolloutStatusChip(props: { status: string }) {
  return (
    <Chip
      size="small"
      label={props.status}
      data-testid={`status-${props.status}`}
      style={{ backgroundColor: COLORS[props.status] ?? '#9e9e9e', color: '#fff' }}
    />
  );
}

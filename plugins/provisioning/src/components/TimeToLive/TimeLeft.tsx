import Chip from '@material-ui/core/Chip';
import Tooltip from '@material-ui/core/Tooltip';
import { formatTimeLeft } from '../../ttl';
import { useNow } from './clock';

/**
 * The time left of a resource with a time to live (`1 h 59 min left`), updating every second; highlighted in its
 * last 2 hours. Nothing for resources that do not expire.
 * @internal
 */
export function TimeLeft(props: { expiresAt?: string; size?: 'small' | 'medium' }) {
  // no clock (no timer) for resources that do not expire
  return props.expiresAt ? <Ticking expiresAt={props.expiresAt} size={props.size} /> : null;
}

function Ticking(props: { expiresAt: string; size?: 'small' | 'medium' }) {
  const now = useNow();
  const left = Date.parse(props.expiresAt) - now;
  return (
    <Tooltip title={`Expires at ${new Date(props.expiresAt).toLocaleString()}; then it is deleted`}>
      <Chip
        size={props.size ?? 'small'}
        variant={left < 2 * 3_600_000 ? 'default' : 'outlined'}
        color={left < 2 * 3_600_000 ? 'secondary' : 'default'}
        label={formatTimeLeft(props.expiresAt, now)}
        data-testid="time-left"
      />
    </Tooltip>
  );
}

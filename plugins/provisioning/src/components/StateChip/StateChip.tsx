import Chip from '@material-ui/core/Chip';
import { makeStyles } from '@material-ui/core/styles';
import { ResourceState } from '@paved/backstage-plugin-provisioning-common';

const useStyles = makeStyles(theme => ({
  ready: {
    backgroundColor: theme.palette.success?.main ?? '#2e7d32',
    color: theme.palette.success?.contrastText ?? '#fff',
  },
  failed: {
    backgroundColor: theme.palette.error.main,
    color: theme.palette.error.contrastText,
  },
  busy: {
    backgroundColor: theme.palette.info?.main ?? '#0288d1',
    color: theme.palette.info?.contrastText ?? '#fff',
  },
  waiting: {
    backgroundColor: theme.palette.warning?.main ?? '#ed6c02',
    color: theme.palette.warning?.contrastText ?? '#000',
  },
  deleted: {},
  drifted: { marginLeft: theme.spacing(1) },
}));

/**
 * The lifecycle state of a resource as a coloured chip (plus a "drifted" chip when drift was found).
 * @public
 */
export function StateChip(props: { state: ResourceState; drifted?: boolean }) {
  const classes = useStyles();
  const { state, drifted } = props;
  let className: string;
  switch (state) {
    case 'ready':
      className = classes.ready;
      break;
    case 'failed':
      className = classes.failed;
      break;
    case 'awaiting-approval':
      className = classes.waiting;
      break;
    case 'deleted':
      className = classes.deleted;
      break;
    default:
      className = classes.busy;
  }
  return (
    <span>
      <Chip
        size="small"
        label={state}
        className={className}
        data-testid="resource-state"
      />
      {drifted && (
        <Chip
          size="small"
          variant="outlined"
          color="secondary"
          label="drifted"
          className={classes.drifted}
        />
      )}
    </span>
  );
}

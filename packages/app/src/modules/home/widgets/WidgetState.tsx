import { ReactNode } from 'react';
import { Progress, ResponseErrorPanel } from '@backstage/core-components';
import Typography from '@material-ui/core/Typography';

/**
 * Loading, error and empty states shared by the home widgets; renders `children` once there is data.
 * `loading` is true while anything is pending or no data has arrived yet (a request that waits for the identity has
 * not even started during the first renders).
 */
export function WidgetState(props: {
  loading: boolean;
  error?: Error;
  empty?: boolean;
  emptyText: ReactNode;
  children?: ReactNode;
}) {
  if (props.loading) return <Progress />;
  if (props.error) return <ResponseErrorPanel error={props.error} />;
  if (props.empty) {
    return (
      <Typography variant="body2" color="textSecondary">
        {props.emptyText}
      </Typography>
    );
  }
  return <>{props.children}</>;
}

import Box from '@material-ui/core/Box';
import LinearProgress from '@material-ui/core/LinearProgress';
import Step from '@material-ui/core/Step';
import StepLabel from '@material-ui/core/StepLabel';
import Stepper from '@material-ui/core/Stepper';
import Typography from '@material-ui/core/Typography';
import { Resource } from '@paved/backstage-plugin-provisioning-common';
import { TERMINAL_STATES } from '../../format';

function stepsFor(resource: Resource): { steps: string[]; active: number } {
  switch (resource.state) {
    case 'awaiting-approval':
      return {
        steps: ['awaiting-approval', 'requested', 'provisioning', 'ready'],
        active: 0,
      };
    case 'requested':
      return { steps: ['requested', 'provisioning', 'ready'], active: 0 };
    case 'provisioning':
      return { steps: ['requested', 'provisioning', 'ready'], active: 1 };
    case 'updating':
      return { steps: ['updating', 'ready'], active: 0 };
    case 'deleting':
      return { steps: ['deleting', 'deleted'], active: 0 };
    case 'deleted':
      return { steps: ['deleting', 'deleted'], active: 2 };
    case 'failed':
      return { steps: ['failed'], active: 0 };
    default:
      return { steps: ['requested', 'provisioning', 'ready'], active: 3 };
  }
}

/**
 * Live progress of a resource: a stepper of its lifecycle and a progress bar while the driver works.
 * @internal
 */
export function ProgressView(props: { resource: Resource }) {
  const { resource } = props;
  const { steps, active } = stepsFor(resource);
  const busy =
    !TERMINAL_STATES.has(resource.state) &&
    resource.state !== 'awaiting-approval';
  return (
    <Box>
      <Stepper activeStep={active} alternativeLabel>
        {steps.map(s => (
          <Step key={s} completed={steps.indexOf(s) < active}>
            <StepLabel error={s === 'failed'}>{s}</StepLabel>
          </Step>
        ))}
      </Stepper>
      {busy && <LinearProgress aria-label="In progress" />}
      {resource.reason && (
        <Typography
          variant="body2"
          color={resource.state === 'failed' ? 'error' : 'textSecondary'}
          data-testid="resource-reason"
        >
          {resource.reason}
        </Typography>
      )}
    </Box>
  );
}

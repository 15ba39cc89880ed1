import Button from '@material-ui/core/Button';
import Dialog from '@material-ui/core/Dialog';
import DialogActions from '@material-ui/core/DialogActions';
import DialogContent from '@material-ui/core/DialogContent';
import DialogTitle from '@material-ui/core/DialogTitle';
import MenuItem from '@material-ui/core/MenuItem';
import TextField from '@material-ui/core/TextField';
import Typography from '@material-ui/core/Typography';
import Alert from '@material-ui/lab/Alert';
import type { ResourceType, Rollout } from '@paved/backstage-plugin-provisioning-common';
import { useApi } from '@backstage/core-plugin-api';
import { useState } from 'react';
import { provisioningApiRef } from '../../api';
import { serverMessage } from '../../api/errors';

/** Parses "5, 25" into [5, 25]; undefined when invalid. @internal */
export function parseWaves(text: string): number[] | undefined {
  const parts = text
    .split(/[,\s]+/)
    .map(s => s.replace(/%$/, ''))
    .filter(Boolean);
  const values = parts.map(Number);
  if (values.some(v => !Number.isInteger(v) || v < 1 || v > 99)) return undefined;
  if (values.reduce((a, b) => a + b, 0) >= 100) return undefined;
  return values;
}

/**
 * The "Start rollout" dialog of a type: target version, waves (percent of the resources per wave, the last wave
 * takes the rest, or one wave per owner) and the soak time between waves.
 * @internal
 */
export function StartRolloutDialog(props: {
  type: ResourceType;
  open: boolean;
  onClose: () => void;
  onStarted: (rollout: Rollout) => void;
}) {
  const { type } = props;
  const api = useApi(provisioningApiRef);
  const versions = type.versions?.map(v => v.version) ?? [type.version ?? '1.0.0'];
  const [targetVersion, setTargetVersion] = useState(type.version ?? versions[versions.length - 1]);
  const [strategy, setStrategy] = useState<'percent' | 'owner'>('percent');
  const [waves, setWaves] = useState('5, 25');
  const [soak, setSoak] = useState('60');
  const [error, setError] = useState<string | undefined>();
  const [busy, setBusy] = useState(false);
  const parsedWaves = parseWaves(waves);
  const soakSeconds = Number(soak);
  const soakValid = soak.trim() !== '' && Number.isInteger(soakSeconds) && soakSeconds >= 0 && soakSeconds <= 86400;
  const valid = (strategy === 'owner' || parsedWaves !== undefined) && soakValid;
  const description = type.versions?.find(v => v.version === targetVersion)?.description;

  const start = async () => {
    setBusy(true);
    setError(undefined);
    try {
      const rollout = await api.createRollout({
        type: type.id,
        targetVersion,
        strategy,
        ...(strategy === 'percent' ? { waves: parsedWaves } : {}),
        soakSeconds,
      });
      props.onStarted(rollout);
    } catch (e) {
      setError(serverMessage(e));
    } finally {
      setBusy(false);
    }
  };

  return (
    <Dialog open={props.open} onClose={props.onClose} fullWidth maxWidth="sm" aria-labelledby="start-rollout-title">
      <DialogTitle id="start-rollout-title">Start rollout of {type.title}</DialogTitle>
      <DialogContent>
        <Typography variant="body2" paragraph>
          {type.resourcesBehind ?? 0} resource(s) are behind version {type.version}. Each wave is applied, must
          stay ready, not drifted and healthy for the soak time, then the next wave starts. A resource that fails is
          rolled back to its previous version and the rollout stops.
        </Typography>
        <TextField
          select
          fullWidth
          margin="dense"
          label="Target version"
          value={targetVersion}
          onChange={e => setTargetVersion(e.target.value)}
          helperText={description}
          inputProps={{ 'data-testid': 'rollout-version' }}
        >
          {versions.map(v => (
            <MenuItem key={v} value={v}>
              {v}
            </MenuItem>
          ))}
        </TextField>
        <TextField
          select
          fullWidth
          margin="dense"
          label="Waves"
          value={strategy}
          onChange={e => setStrategy(e.target.value as 'percent' | 'owner')}
        >
          <MenuItem value="percent">By share of the resources</MenuItem>
          <MenuItem value="owner">One wave per owner</MenuItem>
        </TextField>
        {strategy === 'percent' && (
          <TextField
            fullWidth
            margin="dense"
            label="Wave sizes (%)"
            value={waves}
            onChange={e => setWaves(e.target.value)}
            error={parsedWaves === undefined}
            helperText={
              parsedWaves === undefined
                ? 'Whole percentages between 1 and 99 that add up to less than 100'
                : `Canary ${parsedWaves[0] ?? 100} %${parsedWaves
                    .slice(1)
                    .map(p => `, ${p} %`)
                    .join('')}, then the rest`
            }
            inputProps={{ 'aria-label': 'Wave sizes (%)' }}
          />
        )}
        <TextField
          fullWidth
          margin="dense"
          label="Soak time (seconds)"
          value={soak}
          onChange={e => setSoak(e.target.value)}
          error={!soakValid}
          helperText="How long each wave must stay healthy before the next one starts (0 to 86400)"
          inputProps={{ 'aria-label': 'Soak time (seconds)', inputMode: 'numeric' }}
        />
        {error && (
          <Alert severity="error" style={{ marginTop: 8 }}>
            {error}
          </Alert>
        )}
      </DialogContent>
      <DialogActions>
        <Button onClick={props.onClose}>Cancel</Button>
        <Button color="primary" variant="contained" disabled={!valid || busy} onClick={start}>
          Start rollout
        </Button>
      </DialogActions>
    </Dialog>
  );
}

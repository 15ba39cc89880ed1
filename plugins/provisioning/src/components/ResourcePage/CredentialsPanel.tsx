import { InfoCard } from '@backstage/core-components';
import { useApi } from '@backstage/core-plugin-api';
import Box from '@material-ui/core/Box';
import Button from '@material-ui/core/Button';
import Table from '@material-ui/core/Table';
import TableBody from '@material-ui/core/TableBody';
import TableCell from '@material-ui/core/TableCell';
import TableRow from '@material-ui/core/TableRow';
import Typography from '@material-ui/core/Typography';
import Alert from '@material-ui/lab/Alert';
import {
  Resource,
  ResourceCredentials,
} from '@paved/backstage-plugin-provisioning-common';
import { useEffect, useState } from 'react';
import { provisioningApiRef } from '../../api';
import { describeError, ownerName } from '../../api/errors';
import { useTranslationRef } from '@backstage/frontend-plugin-api';
import { provisioningTranslationRef } from '../../translation';

const MASK = '••••••••••••';

function CopyButton(props: { value: string; label: string }) {
  const { t } = useTranslationRef(provisioningTranslationRef);
  const [copied, setCopied] = useState(false);
  return (
    <Button
      size="small"
      aria-label={props.label}
      onClick={async () => {
        try {
          await window.navigator.clipboard.writeText(props.value);
          setCopied(true);
        } catch {
          setCopied(false);
        }
      }}
    >
      {copied ? t('credentials.copied') : t('credentials.copy')}
    </Button>
  );
}

/**
 * The secret connection details of a resource, for members of the owning group only. Masked until "Reveal";
 * the values live only in this component's state (never in storage) and are dropped on "Hide" and on unmount.
 * @internal
 */
export function CredentialsPanel(props: {
  resource: Resource;
  isOwner: boolean;
}) {
  const { resource, isOwner } = props;
  const { t } = useTranslationRef(provisioningTranslationRef);
  const api = useApi(provisioningApiRef);
  const [credentials, setCredentials] = useState<
    ResourceCredentials | undefined
  >();
  const [error, setError] = useState<string | undefined>();
  const [loading, setLoading] = useState(false);

  // Clear the secrets when the component unmounts or the resource changes.
  useEffect(() => {
    return () => {
      setCredentials(undefined);
    };
  }, [resource.id]);

  const owner = ownerName(resource.owner);

  if (!isOwner) {
    return (
      <InfoCard title={t('credentials.title')}>
        <Typography variant="body2" color="textSecondary">
          {t('credentials.ownersOnly', { owner: owner ?? resource.owner })}
        </Typography>
      </InfoCard>
    );
  }

  if (resource.state !== 'ready' && resource.state !== 'updating') {
    return (
      <InfoCard title={t('credentials.title')}>
        <Typography variant="body2" color="textSecondary">
          {t('credentials.notReady')}
        </Typography>
      </InfoCard>
    );
  }

  const reveal = async () => {
    setLoading(true);
    setError(undefined);
    try {
      setCredentials(await api.getCredentials(resource.id));
    } catch (e) {
      setError(
        describeError(e, {
          owner: resource.owner,
          action: 'see these credentials',
        }).message,
      );
    } finally {
      setLoading(false);
    }
  };

  return (
    <InfoCard title={t('credentials.title')}>
      {error && (
        <Box mb={1}>
          <Alert severity="error">{error}</Alert>
        </Box>
      )}
      <Table size="small" aria-label="Credentials">
        <TableBody>
          <TableRow>
            <TableCell style={{ whiteSpace: 'nowrap' }}>
              {t('credentials.connectionUrl')}
            </TableCell>
            <TableCell style={{ wordBreak: 'break-all' }}>
              {credentials ? (
                <code data-testid="credentials-url">
                  {credentials.url ?? '–'}
                </code>
              ) : (
                <span aria-label="hidden">{MASK}</span>
              )}
            </TableCell>
            <TableCell>
              {credentials?.url && (
                <CopyButton
                  value={credentials.url}
                  label="Copy connection URL"
                />
              )}
            </TableCell>
          </TableRow>
          {credentials &&
            Object.entries(credentials.values).map(([k, v]) => (
              <TableRow key={k}>
                <TableCell style={{ whiteSpace: 'nowrap' }}>{k}</TableCell>
                <TableCell style={{ wordBreak: 'break-all' }}>
                  <code>{v}</code>
                </TableCell>
                <TableCell>
                  <CopyButton value={v} label={`Copy ${k}`} />
                </TableCell>
              </TableRow>
            ))}
        </TableBody>
      </Table>
      <Box mt={1}>
        {credentials ? (
          <Button onClick={() => setCredentials(undefined)}>
            {t('credentials.hide')}
          </Button>
        ) : (
          <Button
            variant="outlined"
            color="primary"
            onClick={reveal}
            disabled={loading}
          >
            {t('credentials.reveal')}
          </Button>
        )}
      </Box>
    </InfoCard>
  );
}

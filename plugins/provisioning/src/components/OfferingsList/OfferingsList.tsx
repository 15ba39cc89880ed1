import {
  EmptyState,
  Progress,
  ResponseErrorPanel,
} from '@backstage/core-components';
import { useRouteRef } from '@backstage/core-plugin-api';
import Button from '@material-ui/core/Button';
import Card from '@material-ui/core/Card';
import CardActions from '@material-ui/core/CardActions';
import CardContent from '@material-ui/core/CardContent';
import CardHeader from '@material-ui/core/CardHeader';
import Grid from '@material-ui/core/Grid';
import Table from '@material-ui/core/Table';
import TableBody from '@material-ui/core/TableBody';
import TableCell from '@material-ui/core/TableCell';
import TableHead from '@material-ui/core/TableHead';
import TableRow from '@material-ui/core/TableRow';
import Typography from '@material-ui/core/Typography';
import { Link as RouterLink } from 'react-router-dom';
import { ResourceType } from '@paved/backstage-plugin-provisioning-common';
import { useResourceTypes } from '../../hooks/useResourceTypes';
import { requestRouteRef } from '../../routes';
import { formatMonthlyCost, schemaProperties } from '../../format';
import { useTranslationRef } from '@backstage/frontend-plugin-api';
import { provisioningTranslationRef } from '../../translation';

function describeParameter(schema: Record<string, unknown>): string {
  const parts: string[] = [];
  if (Array.isArray(schema.enum)) {
    parts.push(`one of ${schema.enum.join(', ')}`);
  } else if (typeof schema.type === 'string') {
    parts.push(schema.type);
  }
  if (schema.default !== undefined) {
    parts.push(`default ${JSON.stringify(schema.default)}`);
  }
  return parts.join('; ');
}

function OfferingCard(props: { type: ResourceType; requestLink: string }) {
  const { type, requestLink } = props;
  const { t } = useTranslationRef(provisioningTranslationRef);
  const params = schemaProperties(type.parameters);
  const sizes = Object.entries(type.pricing ?? {});
  const approvalSizes = type.policy?.approvalRequiredForSizes ?? [];
  return (
    <Card
      variant="outlined"
      role="article"
      aria-label={type.title}
      data-testid={`offering-${type.id}`}
    >
      <CardHeader title={type.title} subheader={`${type.driver} driver`} />
      <CardContent>
        <Typography variant="body2" paragraph>
          {type.description}
        </Typography>
        {params.length > 0 && (
          <>
            <Typography variant="subtitle2">
              {t('offerings.parameters')}
            </Typography>
            <ul>
              {params.map(([key, schema]) => (
                <li key={key}>
                  <Typography variant="body2">
                    <strong>{(schema.title as string) ?? key}</strong>
                    {schema.description ? `: ${schema.description}` : ''}{' '}
                    <Typography variant="caption" color="textSecondary">
                      ({describeParameter(schema)})
                    </Typography>
                  </Typography>
                </li>
              ))}
            </ul>
          </>
        )}
        {sizes.length > 0 && (
          <Table size="small" aria-label={`${type.title} prices`}>
            <TableHead>
              <TableRow>
                <TableCell>{t('offerings.size')}</TableCell>
                <TableCell align="right">{t('offerings.price')}</TableCell>
              </TableRow>
            </TableHead>
            <TableBody>
              {sizes.map(([size, price]) => (
                <TableRow key={size}>
                  <TableCell>
                    {size}
                    {approvalSizes.includes(size) && (
                      <Typography variant="caption" color="textSecondary">
                        {' '}
                        {t('offerings.needsApproval')}
                      </Typography>
                    )}
                  </TableCell>
                  <TableCell align="right">
                    {formatMonthlyCost(price)}
                  </TableCell>
                </TableRow>
              ))}
            </TableBody>
          </Table>
        )}
        {type.policy?.quotaPerOwner !== undefined && (
          <Typography variant="caption" color="textSecondary">
            {t('offerings.quota', {
              quota: String(type.policy.quotaPerOwner),
            })}
          </Typography>
        )}
      </CardContent>
      <CardActions>
        <Button
          variant="contained"
          color="primary"
          component={RouterLink}
          to={requestLink}
        >
          {t('offerings.request')}
        </Button>
      </CardActions>
    </Card>
  );
}

/**
 * The platform's offerings: every resource type with its description, parameters and price per size, and a
 * "Request" button that opens the request form.
 * @internal
 */
export function OfferingsList(props: { query?: string }) {
  const { t } = useTranslationRef(provisioningTranslationRef);
  const { value: types, loading, error, retry } = useResourceTypes();
  const requestLink = useRouteRef(requestRouteRef);
  if (loading) return <Progress />;
  if (error) {
    return (
      <>
        <ResponseErrorPanel error={error} title={t('offerings.loadError')} />
        <Button onClick={retry}>Try again</Button>
      </>
    );
  }
  if (!types || types.length === 0) {
    return (
      <EmptyState
        missing="data"
        title={t('offerings.emptyTitle')}
        description={t('offerings.emptyDescription')}
      />
    );
  }
  return (
    <Grid container spacing={2}>
      {types.map(type => (
        <Grid item xs={12} md={6} lg={4} key={type.id}>
          <OfferingCard
            type={type}
            requestLink={`${requestLink({ typeId: type.id })}${
              props.query ?? ''
            }`}
          />
        </Grid>
      ))}
    </Grid>
  );
}

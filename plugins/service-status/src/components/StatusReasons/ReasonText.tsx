import { Fragment } from 'react';
import { EntityRefLink } from '@backstage/plugin-catalog-react';
import type { StatusReason } from '@paved/backstage-plugin-service-status-common';

/**
 * Props of {@link ReasonText}.
 * @internal
 */
export interface ReasonTextProps {
  reason: StatusReason;
  /** The entity whose reason this is; a reason about another entity links that entity's title. */
  entityRef: string;
}

/**
 * A reason's message with the entity it is about shown by title and linked to its page, e.g.
 * "degraded: [Orders database] is degraded since 10:42 UTC: connection limit nearly reached".
 * Messages without a title (entity not in the catalog) are shown as they are.
 * @internal
 */
export function ReasonText(props: ReasonTextProps) {
  const { reason, entityRef } = props;
  const title = reason.entityTitle;
  const at =
    title && reason.entityRef !== entityRef
      ? reason.message.indexOf(title)
      : -1;
  if (!title || at < 0) {
    return <>{reason.message}</>;
  }
  return (
    <Fragment>
      {reason.message.slice(0, at)}
      <EntityRefLink entityRef={reason.entityRef} hideIcon>
        {title}
      </EntityRefLink>
      {reason.message.slice(at + title.length)}
    </Fragment>
  );
}

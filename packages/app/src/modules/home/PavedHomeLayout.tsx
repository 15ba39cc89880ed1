import { Fragment } from 'react';
import { Content, Header, Page } from '@backstage/core-components';
import Grid from '@material-ui/core/Grid';
import type { HomePageLayoutProps } from '@backstage/plugin-home-react/alpha';

/** Widget names in the order they appear (left to right, top to bottom); other widgets follow. */
export const WIDGET_ORDER = [
  'PavedMyServices',
  'PavedMyResources',
  'PavedApprovals',
  'PavedDelivery',
  'PavedGoldenPaths',
  'PavedHandbook',
];

/**
 * The Paved home page: a fixed grid of the installed widgets (three columns on wide screens, one on narrow ones),
 * with no per-user editing, so everyone sees the same page and nothing is stored in the browser.
 */
export function PavedHomeLayout(props: HomePageLayoutProps) {
  const rank = (name?: string) => {
    const i = WIDGET_ORDER.indexOf(name ?? '');
    return i < 0 ? WIDGET_ORDER.length : i;
  };
  const widgets = [...props.widgets].sort(
    (a, b) => rank(a.name) - rank(b.name),
  );
  return (
    <Page themeId="home">
      <Header
        title="Home"
        subtitle="Your services, resources and requests on Paved"
      />
      <Content>
        <Grid container spacing={3} alignItems="stretch">
          {widgets.map((w, i) => (
            <Grid item xs={12} md={6} lg={4} key={w.name ?? i}>
              <Fragment>{w.component}</Fragment>
            </Grid>
          ))}
        </Grid>
      </Content>
    </Page>
  );
}

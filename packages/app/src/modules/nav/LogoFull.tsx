import { makeStyles } from '@material-ui/core';

const useStyles = makeStyles({
  svg: {
    width: 'auto',
    height: 30,
  },
  road: {
    fill: '#7df3e1',
  },
  text: {
    fill: '#7df3e1',
    font: '700 34px system-ui, sans-serif',
    letterSpacing: 1,
  },
});

/** The Paved word mark: a paved road and the product name. */
export const LogoFull = () => {
  const classes = useStyles();
  return (
    <svg
      className={classes.svg}
      xmlns="http://www.w3.org/2000/svg"
      viewBox="0 0 175 40"
      role="img"
      aria-label="Paved"
    >
      <path
        className={classes.road}
        d="M10 38 L18 2 H24 L32 38 Z M19.5 8 h3 v5 h-3 z M19 18 h4 v6 h-4 z M18.5 29 h5 v7 h-5 z"
        fillRule="evenodd"
      />
      <text className={classes.text} x="40" y="32">
        Paved
      </text>
    </svg>
  );
};

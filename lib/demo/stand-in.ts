/**
 * The in-memory stand-in server (`npm run test-server`, or what `npm run demo` starts on a machine with neither
 * Docker nor an iggy-server binary) reports a server version with the build tag `+stand-in`, e.g.
 * `0.9.0+stand-in`. A build tag never changes what a version means, so the page can tell the stand-in from Iggy
 * without the stand-in pretending to be another release.
 */
export const STAND_IN_BUILD_TAG = 'stand-in';

/** True for a version string whose build metadata (after `+`) names the stand-in. */
export function isStandInVersion(version: string | undefined): boolean {
  if (!version) return false;
  const plus = version.indexOf('+');
  if (plus < 0) return false;
  return version
    .slice(plus + 1)
    .split('.')
    .includes(STAND_IN_BUILD_TAG);
}

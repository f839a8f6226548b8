import Link from 'next/link';
import { CopyButton } from '../ui/copy-button';

export const START_IGGY_COMMAND = 'docker compose -f server/docker-compose.yml up -d';

export type UnreachableKind = 'down' | 'version' | 'login';

/** Why the app has no working connection, from the error code the runtime reported. */
export function unreachableKind(errorCode: string | undefined): UnreachableKind {
  if (!errorCode) return 'down';
  if (errorCode.includes('PROTOCOL')) return 'version';
  if (/CREDENTIALS|UNAUTHENTICATED|UNAUTHORIZED|INVALID_USERNAME|INVALID_PASSWORD/.test(errorCode))
    return 'login';
  return 'down';
}

/** Shown when the app cannot reach Iggy: says where it looked and the exact command that fixes it. */
export function IggyUnreachable({
  address,
  reason,
  errorCode,
  reconnecting,
}: {
  address: string;
  reason?: string;
  errorCode?: string;
  reconnecting: boolean;
}) {
  const kind = unreachableKind(errorCode);
  return (
    <section
      aria-labelledby="iggy-unreachable-title"
      className="rounded-xl border border-danger/30 bg-danger-soft p-4 text-sm sm:p-5"
    >
      <div className="flex flex-col gap-3 lg:flex-row lg:items-center lg:gap-6">
        <div className="min-w-0 flex-1">
          <h2 id="iggy-unreachable-title" className="font-semibold text-danger">
            {kind === 'version' ? (
              <>
                Iggy at <span className="font-mono">{address}</span> speaks another protocol version — this
                demo needs server 0.9.0; start the pinned one with:
              </>
            ) : kind === 'login' ? (
              <>
                Iggy at <span className="font-mono">{address}</span> refused the login — check the user and
                password in IGGY_URL, or start the demo server with:
              </>
            ) : (
              <>
                Iggy is not reachable at <span className="font-mono">{address}</span> — start it with:
              </>
            )}
          </h2>
          <p className="mt-1 text-muted">
            {reconnecting
              ? 'The app keeps retrying and resumes by itself once the server is up.'
              : 'The app retries on its own once the server is up.'}
            {reason ? (
              <>
                {' '}
                Last error: <span className="break-words text-fg">{reason}</span>
              </>
            ) : null}
          </p>
        </div>
        <div className="flex min-w-0 items-center gap-2 lg:max-w-[min(34rem,50%)]">
          <code className="min-w-0 flex-1 rounded-lg border border-border bg-surface px-3 py-2 font-mono text-[0.8125rem] [overflow-wrap:anywhere]">
            {START_IGGY_COMMAND}
          </code>
          <CopyButton text={START_IGGY_COMMAND} label="Copy the command that starts Iggy" />
        </div>
      </div>
      <p className="mt-3 text-[0.8125rem]">
        <Link
          href="/docs/troubleshooting"
          className="font-medium text-fg underline decoration-border-strong underline-offset-4 hover:decoration-fg"
        >
          Still stuck? Troubleshooting
        </Link>
      </p>
    </section>
  );
}

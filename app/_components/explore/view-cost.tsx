'use client';

import '../labs/labs.css';
import type { ExplorerCost } from '@/lib/explorer/contract';
import { CopyButton } from '../ui/copy-button';

/** What a view cost on the wire: the frames its last refresh sent and received, and the CLI line. */
export function ViewCost({ cost, what }: { cost: ExplorerCost | undefined; what: string }) {
  if (!cost) return null;
  const requests = cost.frames.filter((f) => f.kind === 'request').length;
  return (
    <details className="explore-cost">
      <summary>
        Frames for {what}: {requests} request{requests === 1 ? '' : 's'}, {cost.frames.length - requests} repl
        {cost.frames.length - requests === 1 ? 'y' : 'ies'}
        {cost.framesDropped > 0 ? ` (+${cost.framesDropped} not shown)` : ''}
      </summary>
      {cost.cli ? (
        <div className="mt-2 grid gap-1">
          <p className="lab-label">The same with the official CLI</p>
          <div className="lab-cli">
            <code aria-label="CLI command" tabIndex={0}>
              {cost.cli.command}
            </code>
            <CopyButton text={cost.cli.command} label="Copy the CLI command" />
          </div>
          {cost.cli.note ? <p className="lab-hint">{cost.cli.note}</p> : null}
        </div>
      ) : (
        <p className="lab-hint mt-2">The official CLI has no verified form of this request.</p>
      )}
      <div className="lab-frames-scroll mt-2" role="region" aria-label={`Frames for ${what}`} tabIndex={0}>
        <table className="lab-frames">
          <thead>
            <tr>
              <th scope="col">Frame</th>
              <th scope="col">Command</th>
              <th scope="col">Request #</th>
              <th scope="col" className="num">
                Bytes
              </th>
              <th scope="col">Status</th>
            </tr>
          </thead>
          <tbody>
            {cost.frames.map((frame) => (
              <tr key={frame.seq} data-kind={frame.kind}>
                <td>
                  {frame.kind === 'request' ? '→ sent' : frame.kind === 'eviction' ? '← eviction' : '← reply'}
                </td>
                <td>
                  {frame.command} <span className="text-faint">· {frame.connection}</span>
                </td>
                <td className="font-mono">{frame.request}</td>
                <td className="num">{frame.sizeBytes}</td>
                <td>
                  {frame.status === undefined ? (
                    <span className="text-faint">—</span>
                  ) : frame.status === 0 ? (
                    'OK'
                  ) : (
                    <span className="lab-status-bad">
                      {frame.status} {frame.statusName}
                    </span>
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </details>
  );
}

/** A failed view: what the server said, designed rather than default. */
export function ViewError({
  error,
  what,
}: {
  error: { code: string; message: string; status: number };
  what: string;
}) {
  const gone = error.status === 404;
  return (
    <p className="lab-note" data-tone={gone ? 'error' : 'down'} role="alert">
      <strong>{gone ? `Not found` : `Could not load ${what}`}</strong>{' '}
      <span className="font-mono text-xs">{error.code}</span>: {error.message}
    </p>
  );
}

'use client';

import './labs.css';
import type { LabFrame as WireFrame } from '@/lib/labs/contract';
import { CopyButton } from '../ui/copy-button';

/** The frames a lab action or an explorer view cost, and the same request with the official CLI. */

function capitalize(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}

export function CliLine({ command, note }: { command: string; note?: string }) {
  return (
    <div className="grid gap-1">
      <p className="lab-label">The same with the official CLI</p>
      <div className="lab-cli">
        {/* Focusable: a long command scrolls sideways, and a keyboard must be able to scroll it. */}
        <code aria-label="CLI command" tabIndex={0}>
          {command}
        </code>
        <CopyButton text={command} label="Copy the CLI command" />
      </div>
      {note ? <p className="lab-hint">{note}</p> : null}
    </div>
  );
}

export function FramesTable({
  frames,
  dropped,
  subject = 'this action',
  ownConnection = 'lab',
}: {
  frames: WireFrame[];
  dropped: number;
  /** What caused the frames, for the caption and the region's name: "this action", "the tree" … */
  subject?: string;
  /** The connection name not worth printing beside each command. */
  ownConnection?: string;
}) {
  if (frames.length === 0) return <p className="lab-hint">{capitalize(subject)} sent no frames to Iggy.</p>;
  const requests = frames.filter((frame) => frame.kind === 'request').length;
  return (
    <div className="lab-frames-scroll" role="region" aria-label={`Frames ${subject} caused`} tabIndex={0}>
      <table className="lab-frames">
        <caption>
          Frames {subject} caused: {requests} request{requests === 1 ? '' : 's'}, {frames.length - requests}{' '}
          repl{frames.length - requests === 1 ? 'y' : 'ies'}
          {dropped > 0 ? ` (and ${dropped} more not shown)` : ''}
        </caption>
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
          {frames.map((frame) => (
            <tr key={frame.seq} data-kind={frame.kind}>
              <td>
                {frame.kind === 'request' ? '→ sent' : frame.kind === 'eviction' ? '← eviction' : '← reply'}
              </td>
              <td>
                {frame.command}
                {frame.connection !== ownConnection ? (
                  <span className="text-faint"> · {frame.connection}</span>
                ) : null}
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
  );
}

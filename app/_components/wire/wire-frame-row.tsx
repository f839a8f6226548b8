import { memo } from 'react';
import { formatClock } from '../format-detail';
import { HEADER_FIELDS, headerFieldAt, hexBytes, type WireFrame } from './wire-frames';

const HEADER_DETAIL_START = 128;
const BYTES_PER_LINE = 16;

function statusText(frame: WireFrame): string {
  if (frame.kind === 'eviction') return `reason ${frame.evictionReason ?? '?'}`;
  if (frame.status === undefined) return '—';
  return frame.status === 0 ? 'OK' : String(frame.status);
}

/** One frame: a summary line, and on demand its header bytes 128..256 and the start of its body. */
export const WireFrameRow = memo(function WireFrameRow({
  frame,
  expanded,
  onToggle,
}: {
  frame: WireFrame;
  expanded: boolean;
  onToggle(seq: number): void;
}) {
  const detailsId = `wire-frame-${frame.seq}`;
  const sent = frame.direction === 'sent';
  const failed = (frame.status !== undefined && frame.status !== 0) || frame.kind === 'eviction';
  return (
    <tbody
      data-testid="wire-frame"
      data-command={frame.commandName}
      data-kind={frame.kind}
      data-connection={frame.connection}
      className="border-b border-border"
    >
      <tr className="hover:bg-surface-2">
        <td className="px-3 py-1 whitespace-nowrap text-muted">{formatClock(frame.atIso)}</td>
        <td className="px-2 py-1 whitespace-nowrap">{frame.connection}</td>
        <td
          className={`px-2 py-1 ${sent ? 'text-accent' : 'text-muted'}`}
          title={
            sent
              ? 'request, app → Iggy'
              : frame.kind === 'eviction'
                ? 'eviction, Iggy → app'
                : 'reply, Iggy → app'
          }
        >
          <span aria-hidden="true">{sent ? '→' : '←'}</span>
          <span className="sr-only">{sent ? 'request' : frame.kind}</span>
        </td>
        <td className="px-2 py-1 whitespace-nowrap text-fg">{frame.commandName}</td>
        <td className="px-2 py-1 text-right">{frame.request}</td>
        <td className="px-2 py-1 text-right whitespace-nowrap" title={`${frame.bodyBytes} body bytes`}>
          {frame.sizeBytes} B
        </td>
        <td className={`px-2 py-1 whitespace-nowrap ${failed ? 'text-danger' : 'text-muted'}`}>
          {statusText(frame)}
        </td>
        <td className="px-3 py-1 text-right">
          <button
            type="button"
            className="rounded px-1.5 text-[0.6875rem] text-accent hover:bg-accent-soft"
            aria-expanded={expanded}
            aria-controls={detailsId}
            aria-label={`${expanded ? 'Hide' : 'Show'} bytes of ${frame.commandName} ${frame.kind} #${frame.seq}`}
            onClick={() => onToggle(frame.seq)}
          >
            {expanded ? 'hide' : 'bytes'}
          </button>
        </td>
      </tr>
      <tr id={detailsId} hidden={!expanded}>
        {expanded ? (
          <td colSpan={8} className="bg-surface-2/60 px-3 py-2">
            <FrameBytes frame={frame} />
          </td>
        ) : null}
      </tr>
    </tbody>
  );
});

function FrameBytes({ frame }: { frame: WireFrame }) {
  const header = hexBytes(frame.headerHex);
  const body = hexBytes(frame.bodyPreviewHex);
  const keyFields = HEADER_FIELDS[frame.kind].filter((f) => f.key);
  return (
    <div className="flex flex-col gap-2 font-sans">
      <p className="text-xs text-muted">
        Every frame starts with a 256-byte header: total size (u32) at offset 48, command at 60 (5 request, 8
        reply, 13 eviction), operation at 176 in a request / 208 in a reply, status at 216 (0 = OK). Shown:
        bytes 128..256, little-endian; highlighted:{' '}
        {keyFields.map((f, i) => (
          <span key={f.name}>
            {i > 0 ? ', ' : ''}
            {f.name} @{f.from}
          </span>
        ))}
        .
      </p>
      <HexDump
        bytes={header}
        startOffset={HEADER_DETAIL_START}
        kind={frame.kind}
        label="Header bytes 128..256"
      />
      <div>
        <p className="text-xs text-muted">
          Body: {frame.bodyBytes} bytes
          {frame.note ? (
            <span className="ml-2 rounded bg-lag-soft px-1.5 py-0.5 text-lag" data-testid="wire-redacted">
              {frame.note}
            </span>
          ) : body.length < frame.bodyBytes ? (
            `, first ${body.length} shown`
          ) : null}
        </p>
        {body.length > 0 ? <HexDump bytes={body} startOffset={256} label="Body preview" /> : null}
      </div>
    </div>
  );
}

function HexDump({
  bytes,
  startOffset,
  kind,
  label,
}: {
  bytes: string[];
  startOffset: number;
  kind?: WireFrame['kind'];
  label: string;
}) {
  const lines: string[][] = [];
  for (let i = 0; i < bytes.length; i += BYTES_PER_LINE) lines.push(bytes.slice(i, i + BYTES_PER_LINE));
  return (
    <pre
      aria-label={label}
      data-testid={kind ? 'wire-header-hex' : 'wire-body-hex'}
      className="overflow-x-auto rounded-md border border-border bg-surface px-2 py-1.5 font-mono text-[0.6875rem] leading-relaxed"
    >
      {lines.map((line, row) => {
        const lineOffset = startOffset + row * BYTES_PER_LINE;
        return (
          <div key={lineOffset}>
            <span className="mr-3 text-faint select-none">{String(lineOffset).padStart(3, ' ')}</span>
            {line.map((byte, col) => {
              const offset = lineOffset + col;
              const field = kind ? headerFieldAt(kind, offset) : undefined;
              const tone =
                byte === 'xx'
                  ? 'text-lag'
                  : field?.key
                    ? 'text-accent font-semibold'
                    : byte === '00'
                      ? 'text-faint'
                      : 'text-fg';
              return (
                <span
                  key={offset}
                  className={tone}
                  title={field ? `@${offset}: ${field.name}` : `@${offset}`}
                >
                  {col > 0 ? ' ' : ''}
                  {byte}
                </span>
              );
            })}
          </div>
        );
      })}
    </pre>
  );
}

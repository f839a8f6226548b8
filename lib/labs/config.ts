import { DemoConfigError, loadDemoConfig } from '@/lib/demo/config';
import type { IggyUrl } from '@/lib/iggy';

/** Where the labs write: the demo's Iggy server, in a stream of their own. */
export interface LabsConfig {
  iggy: IggyUrl;
  address: string;
  streamName: string;
  /** The dashboard's stream, which the labs must never touch. */
  dashboardStreamName: string;
}

export const DEFAULT_LABS_STREAM = 'demo-labs';

type EnvInput = Record<string, string | undefined>;

/**
 * The demo's own parser supplies the URL (same server, same credentials); IGGY_LABS_STREAM picks the
 * labs' stream. It may not be the dashboard's stream: a lab's Reset deletes its topics.
 */
export function loadLabsConfig(env: EnvInput = process.env): LabsConfig {
  const demo = loadDemoConfig(env);
  const raw = env.IGGY_LABS_STREAM?.trim() ?? '';
  const streamName = raw === '' ? DEFAULT_LABS_STREAM : raw;
  const problems: string[] = [];
  const bytes = Buffer.byteLength(streamName, 'utf8');
  if (bytes < 1 || bytes > 255) problems.push('IGGY_LABS_STREAM must be 1 to 255 UTF-8 bytes');
  if (/[\u0000-\u001f\u007f]/.test(streamName))
    problems.push('IGGY_LABS_STREAM must not contain control characters');
  if (streamName === demo.streamName)
    problems.push(
      `IGGY_LABS_STREAM must differ from IGGY_STREAM (${JSON.stringify(demo.streamName)}): labs never write to the dashboard's stream`,
    );
  if (problems.length > 0) throw new DemoConfigError(problems);
  return { iggy: demo.iggy, address: demo.address, streamName, dashboardStreamName: demo.streamName };
}

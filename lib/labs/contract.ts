/**
 * What every lab's route answers, whatever the lab: an action's frames, its CLI line, the lab's view
 * of Iggy, and the envelope of an action's answer. Types only: a lab's own requests (zod) and answers
 * live in its folder's contract (lib/labs/<name>/contract.ts). The pages import these with `import type`.
 * Offsets and timestamps travel as decimal strings (u64).
 */

/** One frame an action caused, as the frame observer saw it on the lab's connection. */
export interface LabFrame {
  seq: number;
  /** Which of the lab's connections carried it (most labs have one, 'lab'). */
  connection: string;
  direction: 'sent' | 'received';
  kind: 'request' | 'reply' | 'eviction';
  command: string;
  /** u64 request number, decimal. */
  request: string;
  sizeBytes: number;
  bodyBytes: number;
  /** Replies: 0 = OK, else Iggy's error code. */
  status?: number;
  statusName?: string;
}

export interface LabCli {
  command: string;
  /** What the line does not show, e.g. "once per message". */
  note?: string;
}

/** Whether the lab could reach Iggy the last time it tried. */
export interface LabIggyStatus {
  reachable: boolean;
  address: string;
  /** Why not, safe to show (never a password). */
  message?: string;
}

/**
 * What every action answers. `lab` and `action` are literal types in a lab's own results (see
 * LabResult), so a page that checks `result.action === 'poll'` has the poll's outcome, typed.
 */
export interface LabActionResult<
  Outcome = unknown,
  Action extends string = string,
  Name extends string = string,
> {
  lab: Name;
  action: Action;
  /** One line, in Iggy's terms. */
  explanation: string;
  outcome: Outcome;
  frames: LabFrame[];
  /** Frames past FRAMES_PER_ACTION, counted but not kept. */
  framesDropped: number;
  /** The same request with the official `iggy` CLI, where one exists. */
  cli?: LabCli;
}

/** Polling and partitioning both answer Reset with this: whether the lab's one topic was there to delete. */
export interface ResetOutcome {
  topicDeleted: boolean;
}

/**
 * The types one lab's contract declares, bundled so the server (its `perform`) and the page (its
 * `useLab`) are checked against the same thing: the lab's name, its actions (the zod schema's
 * inferred union, discriminated by `action`), each action's outcome, and its state.
 */
export interface LabTypes {
  name: string;
  actions: { action: string };
  outcomes: object;
  state: { iggy: LabIggyStatus };
}

/** The name of each of a lab's actions: 'fill' | 'poll' | … */
export type LabActionName<T extends LabTypes> = T['actions']['action'];

/** One action's body, picked out of the lab's union by its name. */
export type LabActionOf<T extends LabTypes, K extends LabActionName<T>> = Extract<
  T['actions'],
  { action: K }
>;

/**
 * The lab's answers as a union discriminated by `action` (narrowed to `K` when given): checking
 * `result.action` is all it takes to read the right outcome.
 */
export type LabResult<T extends LabTypes, K extends LabActionName<T> = LabActionName<T>> = {
  [P in K]: LabActionResult<P extends keyof T['outcomes'] ? T['outcomes'][P] : never, P, T['name']>;
}[K];

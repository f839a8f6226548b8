import type { FrameRecording } from './frame-recorder';
import type { LabActionName, LabActionResult, LabCli, LabTypes } from './contract';

/** What an action says about itself; the frames come from its recording. */
export interface ActionAnswer<Outcome> {
  explanation: string;
  outcome: Outcome;
  /** Left out of the answer when undefined (not every request has a CLI line). */
  cli?: LabCli | undefined;
}

type OutcomeOf<T extends LabTypes, K extends LabActionName<T>> = K extends keyof T['outcomes']
  ? T['outcomes'][K]
  : never;

/**
 * The one way a lab builds an action's answer: bound to the lab's name, typed by its contract, so the
 * outcome must be the one the contract declares for that action.
 */
export function actionResults<T extends LabTypes>(lab: T['name']) {
  return <K extends LabActionName<T>>(
    action: K,
    recorded: FrameRecording,
    { explanation, outcome, cli }: ActionAnswer<OutcomeOf<T, K>>,
  ): LabActionResult<OutcomeOf<T, K>, K, T['name']> => ({
    lab,
    action,
    explanation,
    outcome,
    frames: recorded.frames,
    framesDropped: recorded.framesDropped,
    ...(cli ? { cli } : {}),
  });
}

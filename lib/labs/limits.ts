/** Plain numbers, no zod: shared by every lab, imported by the pages as well as the server. */

/** Frames kept per action; the rest are counted, not kept. */
export const FRAMES_PER_ACTION = 80;

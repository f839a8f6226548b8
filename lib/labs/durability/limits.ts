/** Plain numbers and names, no zod: the durability lab's page imports these without the schemas. */

export const DURABILITY_LIMITS = {
  /** Messages one Send action may carry. */
  sendCountMax: 50,
  /**
   * messages_required_to_save the lab sets on its topics: small, so a flush happens within a few sends
   * and a crash visibly keeps the flushed part and loses the rest (the server default is 1,024).
   */
  messagesRequiredToSave: 10,
} as const;

export const DURABILITY_TOPICS = {
  default: 'durability',
  persisted: 'durability-persisted',
} as const;

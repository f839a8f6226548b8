// Next calls register() once when the server boots. Starting the demo runtime here makes the consumer start
// with the app (as the design asks) and reports a bad IGGY_URL in the terminal at once, instead of on the
// first page load.
export async function register(): Promise<void> {
  if (process.env.NEXT_RUNTIME !== 'nodejs') return;
  const { getDemoRuntime } = await import('./lib/demo/runtime-singleton');
  // The labs runtime starts lazily on the first lab request; only its shutdown is hooked here.
  const { closeLabsRuntimeOnShutdown } = await import('./lib/labs/runtime-singleton');
  closeLabsRuntimeOnShutdown();
  try {
    getDemoRuntime();
  } catch (error) {
    // The API answers CONFIG_INVALID with the same message; the server must keep running to show it.
    console.error(`[iggy-demo] ${error instanceof Error ? error.message : String(error)}`);
  }
}

/**
 * Headless consumer (npm run consumer): polls every 500 ms with PollingStrategy.next() and
 * auto-commit as IGGY_CONSUMER, and prints each payload with its offset. The stored offset lives
 * on the server, so a restart continues where the last run stopped.
 */
import { runCli } from '@/lib/demo/cli';
import { ConsumerLoop } from '@/lib/demo/consumer-loop';

const decoder = new TextDecoder();

void runCli('consumer', ({ config, logger, client, connection, failIfTerminal }) => {
  const consumer = new ConsumerLoop({
    client,
    streamName: config.streamName,
    topicName: config.topicName,
    consumerName: config.consumerName,
    logger,
    ready: () => connection.ready(),
    onError: failIfTerminal,
    onMessages(messages) {
      for (const message of messages) {
        process.stdout.write(
          `partition ${message.partitionId} offset ${message.offset}: ${decoder.decode(message.payload)}\n`,
        );
      }
    },
  });
  consumer.start();
  return {
    async stop() {
      await consumer.stop();
      await consumer.whenIdle();
      logger.info(`received ${consumer.status().received} messages`);
    },
  };
});

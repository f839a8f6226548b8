/**
 * Headless producer (npm run producer): the original design's terminal program on the same loop
 * the web app uses. Sends {"id": N, "text": "hello from producer", "ts": …} at PRODUCER_RATE msgs/s.
 * Ids continue after the newest one in the topic at start, then count on from what this process sent (after
 * a server crash the topic's newest message is older than ours).
 */
import { runCli } from '@/lib/demo/cli';
import { ProducerLoop } from '@/lib/demo/producer-loop';

void runCli('producer', ({ config, logger, client, connection, failIfTerminal }) => {
  const producer = new ProducerLoop({
    client,
    streamName: config.streamName,
    topicName: config.topicName,
    partitionsCount: config.partitionsCount,
    // IGGY_TOPIC_DURABILITY: a server that refuses it (4041) ends the program with the reason, no topic created.
    ...(config.topicDurability ? { durability: config.topicDurability } : {}),
    ratePerSec: config.producerRatePerSec,
    logger,
    ready: () => connection.ready(),
    onError: failIfTerminal,
  });
  void producer.start();
  return {
    async stop() {
      await producer.stop();
      await producer.whenIdle();
      logger.info(`sent ${producer.status().sent} messages`);
    },
  };
});

package pm.monitor.cluster;

import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.function.BiFunction;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import pm.monitor.finding.Json;

/**
 * {@code POST /api/clock} for a whole cluster: the instance asked moves its own communities, then
 * writes the move to {@value #NAME} (one partition), and every other instance, reading that
 * topic from its end, moves its own. The answer comes when this instance has moved and Kafka
 * has the move; the others follow as they read it, within a poll.
 */
public final class ClockFeed implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(ClockFeed.class);
    public static final String NAME = "monitor.clock";

    private final String instance;
    private final BiFunction<Instant, Boolean, CompletableFuture<Void>> local;
    private final KafkaProducer<String, String> producer;
    private final KafkaConsumer<String, String> consumer;
    private final Thread thread;
    private volatile boolean closing;

    /** @param local moves this instance's clock (the single node's {@code POST /api/clock}) */
    public ClockFeed(String bootstrap, String instance, BiFunction<Instant, Boolean, CompletableFuture<Void>> local) {
        this.instance = instance;
        this.local = local;
        producer = new KafkaProducer<>(Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
                ProducerConfig.ACKS_CONFIG, "all", ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true,
                ProducerConfig.CLIENT_ID_CONFIG, "monitor-clock-out-" + instance),
                new StringSerializer(), new StringSerializer());
        consumer = new KafkaConsumer<>(Map.of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false, ConsumerConfig.CLIENT_ID_CONFIG,
                "monitor-clock-in-" + instance), new StringDeserializer(), new StringDeserializer());
        List<TopicPartition> only = List.of(new TopicPartition(NAME, 0));
        consumer.assign(only);
        consumer.seekToEnd(only);
        only.forEach(consumer::position); // resolved now: a move written from here on is read
        thread = new Thread(this::run, "kafka-clock-" + instance);
        thread.setDaemon(true);
        thread.start();
    }

    /** Moves this instance's clock, then tells the others; completes when both are done. */
    public CompletableFuture<Void> advance(Instant to, boolean inclusive) {
        return local.apply(to, inclusive).thenCompose(v -> {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("until", to.toString());
            m.put("inclusive", inclusive);
            m.put("from", instance);
            CompletableFuture<Void> sent = new CompletableFuture<>();
            producer.send(new ProducerRecord<>(NAME, Json.write(m)), (meta, e) -> {
                if (e != null) {
                    sent.completeExceptionally(new IllegalStateException(
                            "时钟只在本实例拨动，未能通知集群其他实例 / the clock moved on this instance only: Kafka did not take the move: "
                                    + e.getMessage(), e));
                } else {
                    sent.complete(null);
                }
            });
            return sent;
        });
    }

    @SuppressWarnings("unchecked")
    private void run() {
        try {
            while (!closing) {
                for (ConsumerRecord<String, String> r : consumer.poll(Duration.ofMillis(200))) {
                    Map<String, Object> m = (Map<String, Object>) Json.parse(r.value());
                    if (instance.equals(m.get("from"))) {
                        continue;
                    }
                    Instant to = Instant.parse((String) m.get("until"));
                    local.apply(to, Boolean.TRUE.equals(m.get("inclusive"))).join();
                    LOG.info("clock moved to {} by instance {}", to, m.get("from"));
                }
            }
        } catch (WakeupException e) {
            // closing
        } catch (RuntimeException e) {
            LOG.error("the cluster's clock feed stopped: {}", e.toString(), e);
        } finally {
            consumer.close(Duration.ofSeconds(5));
        }
    }

    @Override
    public void close() {
        closing = true;
        consumer.wakeup();
        try {
            thread.join(10_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        producer.close(Duration.ofSeconds(5));
    }
}

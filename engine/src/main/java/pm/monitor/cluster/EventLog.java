package pm.monitor.cluster;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import pm.monitor.engine.Ingest;
import pm.monitor.engine.Intake;
import pm.monitor.event.Rejection;

/**
 * {@code POST /api/events} of a cluster instance: the events that passed the request's checks
 * are produced to {@link EventTopic} keyed by community, and the request is answered when Kafka
 * has every one of them on all in-sync replicas (idempotent producer, {@code acks=all}). The
 * partition's owner stores them and runs the engines ({@link PartitionOwner}); the checks that
 * need a community's state (a ticket not received, an event too far ahead) are made there.
 */
public final class EventLog implements Intake, AutoCloseable {
    private final KafkaProducer<String, String> producer;

    public EventLog(String bootstrap) {
        producer = new KafkaProducer<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
                ProducerConfig.ACKS_CONFIG, "all",
                ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true,
                // a request waits at most this long for Kafka; then it is answered 503, nothing acknowledged
                ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, 30_000,
                ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, 10_000,
                ProducerConfig.MAX_BLOCK_MS_CONFIG, 10_000,
                ProducerConfig.LINGER_MS_CONFIG, 2,
                ProducerConfig.COMPRESSION_TYPE_CONFIG, "lz4"),
                new StringSerializer(), new StringSerializer());
    }

    @Override
    public CompletableFuture<Ingest.Outcome> submit(List<Ingest.Item> items, List<Rejection> rejected) {
        CompletableFuture<Ingest.Outcome> done = new CompletableFuture<>();
        List<Rejection> refused = new ArrayList<>(rejected);
        refused.sort(java.util.Comparator.comparingInt(Rejection::index));
        if (items.isEmpty()) {
            done.complete(new Ingest.Outcome(0, 0, refused, List.of()));
            return done;
        }
        AtomicInteger left = new AtomicInteger(items.size());
        try {
            for (Ingest.Item i : items) {
                producer.send(new ProducerRecord<>(EventTopic.NAME, i.event().community(), i.text()), (meta, e) -> {
                    if (e != null) {
                        done.completeExceptionally(new Ingest.Unavailable("Kafka did not take the events: "
                                + e.getMessage(), e));
                    } else if (left.decrementAndGet() == 0) {
                        done.complete(new Ingest.Outcome(items.size(), 0, refused, List.of()));
                    }
                });
            }
        } catch (RuntimeException e) { // no metadata within max.block.ms: Kafka is away
            done.completeExceptionally(new Ingest.Unavailable("Kafka is unavailable: " + e.getMessage(), e));
        }
        return done;
    }

    @Override
    public Runnable arriving() {
        return () -> { }; // the owner, not this instance, waits for a receipt in flight
    }

    @Override
    public void close() {
        producer.close(java.time.Duration.ofSeconds(10));
    }
}

package pm.monitor.cluster;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import pm.monitor.finding.Finding;
import pm.monitor.finding.Json;
import pm.monitor.kpi.KpiRecovered;

/**
 * The live findings of the whole cluster on every instance ({@code GET /api/stream}, the
 * dashboard's live list): the instance that stores a finding first produces it to {@value #NAME},
 * and every instance reads that topic from its end (no consumer group: each reads all of it) and
 * publishes what it reads to its own event bus. A finding is stored once, so it is fed once.
 */
public final class FindingFeed implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(FindingFeed.class);
    public static final String NAME = "monitor.findings";

    private final KafkaProducer<String, String> producer;
    private final KafkaConsumer<String, String> consumer;
    private final Consumer<String> publish;
    private final Consumer<List<String>> read;
    private final Consumer<List<KpiRecovered>> recovered;
    private final Consumer<String> alertStream;
    private final Thread thread;
    private volatile boolean closing;

    /**
     * @param publish   given each finding's JSON line, on the feed's thread
     * @param read      then the ids of the findings of each poll (the alerts' leader routes them)
     * @param recovered the KPI recoveries of each poll, from whichever instance counts the KPI
     *                  (the alerts' leader resolves with them; the others keep them for a takeover)
     * @param alertStream each message and acknowledgement for the alerts' live stream, from
     *                  whichever instance made it (the leader sends, any instance acknowledges)
     */
    public FindingFeed(String bootstrap, String instance, Consumer<String> publish, Consumer<List<String>> read,
                       Consumer<List<KpiRecovered>> recovered, Consumer<String> alertStream) {
        this.publish = publish;
        this.read = read;
        this.recovered = recovered;
        this.alertStream = alertStream;
        producer = new KafkaProducer<>(Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
                ProducerConfig.ACKS_CONFIG, "all", ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true,
                ProducerConfig.LINGER_MS_CONFIG, 5, ProducerConfig.CLIENT_ID_CONFIG, "monitor-feed-out-" + instance),
                new StringSerializer(), new StringSerializer());
        consumer = new KafkaConsumer<>(Map.of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false, ConsumerConfig.CLIENT_ID_CONFIG,
                "monitor-feed-in-" + instance), new StringDeserializer(), new StringDeserializer());
        List<TopicPartition> all = new ArrayList<>();
        // a topic just created may not be in this client's metadata yet: asked again until it is
        long end = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (all.isEmpty()) {
            for (PartitionInfo p : consumer.partitionsFor(NAME, Duration.ofSeconds(30))) {
                all.add(new TopicPartition(NAME, p.partition()));
            }
            if (all.isEmpty()) {
                if (System.nanoTime() > end) {
                    consumer.close();
                    producer.close();
                    throw new IllegalStateException("Kafka has no partitions of " + NAME);
                }
                try {
                    Thread.sleep(100);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new IllegalStateException("interrupted", e);
                }
            }
        }
        consumer.assign(all);
        consumer.seekToEnd(all);
        all.forEach(consumer::position); // resolved now: what is produced from here on is read
        thread = new Thread(this::run, "kafka-feed-" + instance);
        thread.setDaemon(true);
        thread.start();
    }

    /** Findings this instance stored first (fresh): to every instance's live stream. */
    public void send(List<Finding> fresh) {
        for (Finding f : fresh) {
            // stored all the same; its alert is routed when a leader next catches up (Leadership)
            produce(f.community(), Json.line(f), "a finding did not reach the live feed (it is stored)");
        }
    }

    /**
     * KPIs of this instance's communities back at target: to every instance, so that the alerts'
     * leader, wherever it runs, resolves their alerts (a recovery is no finding: not on the live
     * stream). Keyed by community, after the findings of the same community this instance sent.
     */
    public void sendRecovered(List<KpiRecovered> back) {
        for (KpiRecovered r : back) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put(RECOVERED, true);
            m.put("kpi", r.kpi());
            m.put("community", r.community());
            m.put("period", r.period());
            m.put("value", r.value());
            m.put("numerator", r.numerator());
            m.put("denominator", r.denominator());
            m.put("target", r.target());
            m.put("at", r.at().toString());
            // the next rebuild of the community raises it again; till then its alert stays firing
            produce(r.community(), Json.write(m), "a KPI recovery did not reach the alerts' leader");
        }
    }

    /**
     * A message or an acknowledgement for the alerts' live stream ({@code GET /api/alerts/stream}):
     * to every instance's, whichever instance a manager's page is connected to.
     */
    public void sendAlert(String json) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put(ALERT, json);
        // one key, one partition: every instance sees the messages in the order they were made
        produce(ALERT, Json.write(m), "an alert message did not reach the other instances' live streams");
    }

    /** Produces one record to {@value #NAME}; a record Kafka did not take is logged with {@code lost}. */
    private void produce(String key, String value, String lost) {
        producer.send(new ProducerRecord<>(NAME, key, value), (meta, e) -> {
            if (e != null) {
                LOG.warn("{}: {}", lost, e.getMessage());
            }
        });
    }

    /** Marks a record of {@value #NAME} that is for the alerts' live stream, not a finding. */
    static final String ALERT = "alertStream";

    /** Marks a record of {@value #NAME} that is a KPI recovery, not a finding. */
    static final String RECOVERED = "kpiRecovered";

    static KpiRecovered recovery(Map<?, ?> m) {
        return new KpiRecovered(String.valueOf(m.get("kpi")), String.valueOf(m.get("community")),
                String.valueOf(m.get("period")), ((Number) m.get("value")).doubleValue(),
                ((Number) m.get("numerator")).longValue(), ((Number) m.get("denominator")).longValue(),
                ((Number) m.get("target")).doubleValue(), java.time.Instant.parse(String.valueOf(m.get("at"))));
    }

    private void run() {
        try {
            while (!closing) {
                List<String> ids = new ArrayList<>();
                List<KpiRecovered> back = new ArrayList<>();
                for (ConsumerRecord<String, String> r : consumer.poll(Duration.ofMillis(500))) {
                    Map<?, ?> m = Json.parse(r.value()) instanceof Map<?, ?> x ? x : Map.of();
                    if (Boolean.TRUE.equals(m.get(RECOVERED))) {
                        back.add(recovery(m));
                    } else if (m.get(ALERT) instanceof String message) {
                        alertStream.accept(message);
                    } else {
                        publish.accept(r.value());
                        if (m.get("id") instanceof String id) {
                            ids.add(id);
                        }
                    }
                }
                if (!ids.isEmpty()) {
                    read.accept(ids);
                }
                if (!back.isEmpty()) {
                    recovered.accept(back);
                }
            }
        } catch (WakeupException e) {
            // closing
        } catch (RuntimeException e) {
            LOG.error("the live findings feed stopped: {}", e.toString(), e);
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

package pm.monitor.cluster;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.utils.Utils;

/**
 * The topic every instance of a cluster produces events to and consumes them from, keyed by
 * community: all of a community's events are in one partition, in the order they were produced,
 * and the partition's owner is the only instance that runs that community's engines.
 */
public final class EventTopic {
    public static final String NAME = "monitor.events";
    /**
     * Partitions when the topic is created here: the most instances that can share the work.
     * Fixed once created: more partitions would move communities to other partitions and so
     * mix two owners' histories (README "A cluster of instances on Kafka").
     */
    public static final int DEFAULT_PARTITIONS = 12;

    /** How long a start waits for a broker to answer before it gives up with {@link Unreachable}. */
    private static final int REACH_SECONDS = 15;

    private final int partitions;

    /** No broker at the bootstrap address answered: serve --kafka does not start. */
    public static final class Unreachable extends IllegalStateException {
        Unreachable(String bootstrap) {
            super("Kafka 不可达：" + bootstrap + " 在 " + REACH_SECONDS + " 秒内无应答；请先启动 Kafka 或改正 --kafka（单机运行请去掉 --kafka）"
                    + " / Kafka at " + bootstrap + " is unreachable: no broker answered within " + REACH_SECONDS
                    + " s; start Kafka or correct --kafka (drop --kafka to run as a single node)");
        }
    }

    private EventTopic(int partitions) {
        this.partitions = partitions;
    }

    /**
     * Creates the topic if it is missing (replicated up to 3 times, as many as there are brokers),
     * the live findings' topic ({@link FindingFeed#NAME}, kept a day) and the clock's
     * ({@link ClockFeed#NAME}, kept a day), and returns it with its
     * partition count as the brokers have it.
     */
    public static EventTopic ensure(String bootstrap) {
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
                AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 30_000))) {
            int brokers;
            try {
                brokers = admin.describeCluster().nodes().get(REACH_SECONDS, TimeUnit.SECONDS).size();
            } catch (TimeoutException e) {
                admin.close(java.time.Duration.ZERO); // not waiting for the call that never got an answer
                throw new Unreachable(bootstrap);
            }
            short replicas = (short) Math.max(1, Math.min(3, brokers));
            String isr = String.valueOf(Math.max(1, replicas - 1));
            create(admin, new NewTopic(NAME, DEFAULT_PARTITIONS, replicas).configs(Map.of("min.insync.replicas", isr)));
            create(admin, new NewTopic(FindingFeed.NAME, DEFAULT_PARTITIONS, replicas).configs(Map.of(
                    "min.insync.replicas", isr, "retention.ms", String.valueOf(24 * 3600_000L))));
            // POST /api/clock's moves (ClockFeed): one partition keeps them in order
            create(admin, new NewTopic(ClockFeed.NAME, 1, replicas).configs(Map.of(
                    "min.insync.replicas", isr, "retention.ms", String.valueOf(24 * 3600_000L))));
            int n = admin.describeTopics(List.of(NAME)).allTopicNames().get().get(NAME).partitions().size();
            return new EventTopic(n);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while setting up the topic " + NAME, e);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof org.apache.kafka.common.errors.TimeoutException) {
                throw new Unreachable(bootstrap);
            }
            throw new IllegalStateException("Kafka at " + bootstrap + ": cannot set up the topic " + NAME + ": "
                    + e.getCause().getMessage(), e.getCause());
        }
    }

    private static void create(Admin admin, NewTopic topic) throws InterruptedException, ExecutionException {
        try {
            admin.createTopics(List.of(topic)).all().get();
        } catch (ExecutionException e) {
            if (!(e.getCause() instanceof TopicExistsException)) {
                throw e;
            }
        }
    }

    public int partitions() {
        return partitions;
    }

    /**
     * The partition a community's events go to: the producer's default partitioner for a key
     * (murmur2 of its UTF-8 bytes), so that an owner knows which stored communities are its own.
     */
    public int partitionOf(String community) {
        return Utils.toPositive(Utils.murmur2(community.getBytes(StandardCharsets.UTF_8))) % partitions;
    }
}

package pm.monitor.support;

import java.nio.file.Files;
import java.nio.file.Path;
import org.apache.kafka.common.test.KafkaClusterTestKit;
import org.apache.kafka.common.test.TestKitNodes;

/**
 * A real Kafka broker in this JVM for the cluster tests: one KRaft node that is broker and
 * controller at once, on free ports, its logs in a temporary folder deleted on close. Kafka's own
 * test kit formats the storage and starts it (kafka-test-common-runtime, test scope only).
 */
public final class KafkaBroker implements AutoCloseable {
    private final KafkaClusterTestKit kit;
    private final Path dir;

    private KafkaBroker(KafkaClusterTestKit kit, Path dir) {
        this.kit = kit;
        this.dir = dir;
    }

    public static KafkaBroker start() {
        try {
            Path dir = Files.createTempDirectory("kafka-test");
            KafkaClusterTestKit kit = new KafkaClusterTestKit.Builder(new TestKitNodes.Builder()
                    .setCombined(true).setNumBrokerNodes(1).setNumControllerNodes(1).setBaseDirectory(dir).build())
                    .setConfigProp("offsets.topic.replication.factor", "1")
                    .setConfigProp("offsets.topic.num.partitions", "1")
                    .setConfigProp("transaction.state.log.replication.factor", "1")
                    .setConfigProp("transaction.state.log.min.isr", "1")
                    .setConfigProp("group.initial.rebalance.delay.ms", "0")
                    .setConfigProp("group.min.session.timeout.ms", "1000")
                    .setConfigProp("auto.create.topics.enable", "false")
                    .setDeleteOnClose(true)
                    .build();
            kit.format();
            kit.startup();
            kit.waitForReadyBrokers();
            return new KafkaBroker(kit, dir);
        } catch (Exception e) {
            throw new IllegalStateException("cannot start the in-process Kafka broker", e);
        }
    }

    public String bootstrap() {
        return kit.bootstrapServers();
    }

    @Override
    public void close() {
        try {
            kit.close();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        } finally {
            try (var files = Files.walk(dir)) {
                files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            } catch (java.io.IOException ignored) {
                // a temporary folder
            }
        }
    }
}

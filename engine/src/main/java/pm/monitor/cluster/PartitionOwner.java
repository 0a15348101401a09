package pm.monitor.cluster;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.CooperativeStickyAssignor;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import pm.monitor.engine.Admission;
import pm.monitor.engine.Ingest;
import pm.monitor.engine.Monitor;
import pm.monitor.event.Event;
import pm.monitor.event.EventReader;
import pm.monitor.event.Rejection;
import pm.monitor.store.EventStore;
import pm.monitor.store.FindingWriter;

/**
 * This instance's share of a cluster: a member of the consumer group {@value #GROUP} on
 * {@link EventTopic}. The communities of the partitions Kafka assigns it are rebuilt from the
 * stored events before any new event of theirs is taken; then each polled batch goes through
 * the local {@link Ingest} (stored once, idempotent by event id; handed to the engines), its
 * findings are stored, and only then are the offsets committed. A crash between the store and
 * the commit gives the next owner events it finds stored already: duplicates, skipped, their
 * effect already in the state it rebuilt. Communities of revoked partitions are stopped.
 */
public final class PartitionOwner implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(PartitionOwner.class);
    public static final String GROUP = "monitor";

    private final KafkaConsumer<String, String> consumer;
    private final EventTopic topic;
    private final EventStore events;
    private final Admission admission;
    private final Monitor monitor;
    private final Ingest ingest;
    private final FindingWriter findings;
    /** The KPI values counted here: a revoked community's leave it (the new owner stores them). */
    private final pm.monitor.kpi.KpiBoard board;
    private final Thread thread;
    private final Set<Integer> owned = java.util.concurrent.ConcurrentHashMap.newKeySet();
    private volatile boolean closing;
    /** Tests: the next stored batch is not committed, and the member stops as if killed. */
    private volatile boolean crashAfterStore;
    /** Stopped as if killed: nothing more is committed, not even on the way out. */
    private volatile boolean crashed;
    private volatile long stored;
    private volatile long rebuilt;

    public PartitionOwner(String bootstrap, String instance, EventTopic topic, EventStore events, Admission admission,
                          Monitor monitor, Ingest ingest, FindingWriter findings, pm.monitor.kpi.KpiBoard board) {
        this.board = board;
        this.topic = topic;
        this.events = events;
        this.admission = admission;
        this.monitor = monitor;
        this.ingest = ingest;
        this.findings = findings;
        Map<String, Object> c = new HashMap<>();
        c.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        c.put(ConsumerConfig.GROUP_ID_CONFIG, GROUP);
        c.put(ConsumerConfig.CLIENT_ID_CONFIG, "monitor-" + instance);
        // A static member: when the process dies without a word (kill -9, a lost machine) the group
        // waits for its session to time out, then moves its partitions; a stop leaves at once (close).
        c.put(ConsumerConfig.GROUP_INSTANCE_ID_CONFIG, "monitor-" + instance);
        c.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        c.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        // only the partitions that move are revoked and rebuilt, not every one at each rebalance
        c.put(ConsumerConfig.PARTITION_ASSIGNMENT_STRATEGY_CONFIG, CooperativeStickyAssignor.class.getName());
        // a dead instance's partitions move after this long without its heartbeat
        c.put(ConsumerConfig.SESSION_TIMEOUT_MS_CONFIG, 10_000);
        c.put(ConsumerConfig.HEARTBEAT_INTERVAL_MS_CONFIG, 1_000);
        // a rebuild of many communities runs inside poll(): give it time before the group gives up on us
        c.put(ConsumerConfig.MAX_POLL_INTERVAL_MS_CONFIG, 600_000);
        c.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 5_000);
        // Fewer, larger batches under load (one transaction, one commit each), at most 100 ms later when quiet
        c.put(ConsumerConfig.FETCH_MIN_BYTES_CONFIG, 256 << 10);
        c.put(ConsumerConfig.FETCH_MAX_WAIT_MS_CONFIG, 100);
        consumer = new KafkaConsumer<>(c, new StringDeserializer(), new StringDeserializer());
        ingest.owning(community -> owned.contains(topic.partitionOf(community)));
        thread = new Thread(this::run, "kafka-owner-" + instance);
        thread.setDaemon(true);
    }

    public PartitionOwner start() {
        consumer.subscribe(List.of(EventTopic.NAME), new Rebalance());
        thread.start();
        return this;
    }

    /** The partitions this instance owns now. */
    public Set<Integer> owned() {
        return Set.copyOf(owned);
    }

    /** Events this instance took from the topic and stored (duplicates not counted). */
    public long stored() {
        return stored;
    }

    /** Stored events it gave its engines when partitions were assigned to it. */
    public long rebuilt() {
        return rebuilt;
    }

    /**
     * Tests: stops after storing the next batch, without committing it and without leaving the
     * group, as a killed instance would: its partitions move when its session times out.
     */
    public void crashAfterNextStore() {
        crashAfterStore = true;
    }

    /** Whether the member has stopped (closed, or crashed on request). */
    public boolean stopped() {
        return !thread.isAlive();
    }

    private void run() {
        try {
            while (!closing) {
                ConsumerRecords<String, String> records = consumer.poll(Duration.ofMillis(200));
                if (records.isEmpty()) {
                    continue;
                }
                take(records);
                if (crashAfterStore) {
                    LOG.warn("stopping without committing {} stored events (as if killed)", records.count());
                    crashed = true;
                    return;
                }
                commit();
            }
        } catch (WakeupException e) {
            // closing
        } catch (RuntimeException e) {
            LOG.error("the cluster member stopped: {}", e.toString(), e);
        } finally {
            try {
                consumer.close(org.apache.kafka.clients.consumer.CloseOptions.groupMembershipOperation(crashed
                        ? org.apache.kafka.clients.consumer.CloseOptions.GroupMembershipOperation.REMAIN_IN_GROUP
                        : org.apache.kafka.clients.consumer.CloseOptions.GroupMembershipOperation.LEAVE_GROUP)
                        .withTimeout(Duration.ofSeconds(5)));
            } catch (RuntimeException e) {
                LOG.warn("closing the Kafka consumer: {}", e.toString());
            }
        }
    }

    /**
     * Commits the positions of what was polled, which is stored (each batch is taken whole before
     * the next poll). During a rebalance Kafka refuses it: the next poll finishes the rebalance,
     * the partitions that stay are committed with the next batch, those that leave in
     * {@link Rebalance#onPartitionsRevoked}. A commit that is lost only means the next owner
     * reads those events again and finds them stored.
     */
    private void commit() {
        if (crashed) {
            return;
        }
        try {
            consumer.commitSync();
        } catch (org.apache.kafka.common.errors.RebalanceInProgressException
                 | org.apache.kafka.clients.consumer.CommitFailedException e) {
            LOG.info("offsets not committed now ({}): committed after the rebalance", e.getClass().getSimpleName());
        }
    }

    /**
     * Stores a polled batch and hands it to the engines (the local Ingest, in partition order),
     * then waits until its findings are stored. A store that fails is tried again: the batch is
     * not committed until it is stored.
     */
    private void take(ConsumerRecords<String, String> records) {
        List<Ingest.Item> items = new ArrayList<>(records.count());
        List<Rejection> broken = new ArrayList<>();
        EventReader reader = EventReader.stored();
        int[] index = {0};
        for (ConsumerRecord<String, String> r : records) {
            String v = r.value();
            reader.read(v.indexOf('\n') >= 0 ? "[" + v + "]" : v, new EventReader.Sink() {
                @Override
                public void accept(Event event, int line, String text) {
                    items.add(new Ingest.Item(event, ++index[0], index[0], text));
                }

                @Override
                public void reject(Rejection x) {
                    broken.add(x);
                }
            });
        }
        broken.forEach(b -> LOG.warn("an event in {} cannot be read: {}", EventTopic.NAME, b));
        while (!closing) {
            try {
                Ingest.Outcome o = ingest.submit(items, List.of()).join();
                stored += o.accepted();
                // checks that need the community's state are made here, by its owner; the sender had its 200
                o.rejected().forEach(x -> LOG.warn("event {} refused by its community's owner: {} {}", x.id(),
                        x.field(), x.reason()));
                findings.flushHanded(60_000);
                return;
            } catch (java.util.concurrent.CompletionException e) {
                LOG.warn("storing {} events from {} failed, trying again: {}", items.size(), EventTopic.NAME,
                        e.getCause() == null ? e.toString() : e.getCause().getMessage());
                sleep(1000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** The stored communities whose events go to these partitions. */
    private Set<String> communitiesOf(Collection<TopicPartition> partitions) {
        Set<Integer> ps = new HashSet<>();
        partitions.forEach(p -> ps.add(p.partition()));
        Set<String> out = new java.util.TreeSet<>();
        for (String c : events.communities()) {
            if (ps.contains(topic.partitionOf(c))) {
                out.add(c);
            }
        }
        return out;
    }

    /** The communities of these partitions whose engines run here (no store needed: it may be away). */
    private Set<String> running(Collection<TopicPartition> partitions) {
        Set<Integer> ps = new HashSet<>();
        partitions.forEach(p -> ps.add(p.partition()));
        Set<String> out = new java.util.TreeSet<>();
        for (String c : monitor.communities().join()) {
            if (ps.contains(topic.partitionOf(c))) {
                out.add(c);
            }
        }
        return out;
    }

    /**
     * Rebuilds the communities of newly assigned partitions from the stored events, as a start
     * does (Application's rebuild), and waits until the findings owed by them are stored: what
     * the previous owner emitted is stored already and not emitted again (idempotent by id).
     */
    private void rebuild(Collection<TopicPartition> partitions) {
        long t0 = System.nanoTime();
        Set<String> communities = communitiesOf(partitions);
        long n = 0;
        for (String c : communities) {
            List<Event> batch = new ArrayList<>();
            List<Long> seqs = new ArrayList<>();
            events.forEach(c, Long.MAX_VALUE, (e, seq) -> {
                admission.record(e);
                batch.add(e);
                seqs.add(seq);
            });
            n += batch.size();
            List<CompletableFuture<?>> inFlight = new ArrayList<>();
            inFlight.add(monitor.submit(batch, seqs.stream().mapToLong(Long::longValue).toArray()));
            if (!batch.isEmpty()) {
                monitor.present(batch.get(batch.size() - 1).at());
            }
            inFlight.forEach(CompletableFuture::join);
        }
        monitor.barrier().join();
        try {
            findings.flushHanded(600_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        rebuilt += n;
        LOG.info("partitions {} assigned: {} communities rebuilt from {} stored events in {} ms", partitions,
                communities.size(), n, (System.nanoTime() - t0) / 1_000_000);
    }

    private final class Rebalance implements ConsumerRebalanceListener {
        @Override
        public void onPartitionsAssigned(Collection<TopicPartition> partitions) {
            if (partitions.isEmpty()) {
                return;
            }
            // Nothing of these partitions is taken before their communities are rebuilt: while
            // PostgreSQL is away this waits (inside poll, within max.poll.interval.ms) and retries.
            while (!closing) {
                try {
                    rebuild(partitions);
                    break;
                } catch (RuntimeException e) {
                    LOG.warn("rebuilding the communities of {} failed, trying again: {}", partitions, e.toString());
                    monitor.stop(running(partitions)).join();
                    sleep(1000);
                }
            }
            partitions.forEach(p -> owned.add(p.partition()));
        }

        @Override
        public void onPartitionsRevoked(Collection<TopicPartition> partitions) {
            if (partitions.isEmpty()) {
                return;
            }
            // what this instance stored of them is committed; their engines stop
            commit();
            partitions.forEach(p -> owned.remove(p.partition()));
            Set<String> communities = running(partitions);
            monitor.stop(communities).join();
            board.forget(communities);
            LOG.info("partitions {} revoked: {} communities stopped here", partitions, communities.size());
        }

        @Override
        public void onPartitionsLost(Collection<TopicPartition> partitions) {
            // another instance owns them already: nothing can be committed, only stopped here
            partitions.forEach(p -> owned.remove(p.partition()));
            Set<String> communities = running(partitions);
            monitor.stop(communities).join();
            board.forget(communities);
        }
    }

    @Override
    public void close() {
        closing = true;
        consumer.wakeup();
        try {
            thread.join(15_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}

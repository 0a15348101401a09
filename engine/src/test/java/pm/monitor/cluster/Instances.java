package pm.monitor.cluster;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import pm.monitor.support.Rules;
import pm.monitor.support.TestServer;

/** Instances of {@code serve --kafka} on one database for the cluster tests (event clock). */
final class Instances {
    private Instances() {
    }

    /**
     * Starts {@code n} instances into {@code into} (so that a failed start still closes those
     * started): the first applies the migrations, the others start side by side. Returns when
     * every one owns some of the 12 partitions and they own all of them.
     */
    static void start(int n, String db, String bootstrap, List<TestServer> into) {
        into.add(TestServer.start(db, Rules.dir(), "events", c -> c.withKafka(bootstrap)));
        List<CompletableFuture<TestServer>> more = new ArrayList<>();
        for (int i = 1; i < n; i++) {
            more.add(CompletableFuture.supplyAsync(() -> TestServer.start(db, Rules.dir(), "events",
                    c -> c.withKafka(bootstrap))));
        }
        for (CompletableFuture<TestServer> m : more) {
            into.add(m.join());
        }
        TestServer.await("the partitions shared by the " + n, Duration.ofSeconds(120), () -> {
            int owned = 0;
            for (TestServer s : into) {
                if (s.app().owner().owned().isEmpty()) {
                    return false;
                }
                owned += s.app().owner().owned().size();
            }
            return owned == EventTopic.DEFAULT_PARTITIONS;
        });
    }
}

package pm.monitor.alert;

import java.time.Clock;
import java.time.Instant;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import pm.monitor.store.AlertStore;

/** Community names for the messages, read again at most once a minute (a registration is rare). */
final class CommunityNames {
    // logged under AlertService, as before the split, so filters on the log keep working
    private static final Logger LOG = LoggerFactory.getLogger(AlertService.class);

    private final AlertStore store;
    private final Clock wall;
    private volatile Map<String, String> names = Map.of();
    private volatile Instant namesRead = Instant.EPOCH;

    CommunityNames(AlertStore store, Clock wall) {
        this.store = store;
        this.wall = wall;
    }

    /** The community's name, or null (the message then names it by code). */
    String name(String community) {
        Instant now = wall.instant();
        if (namesRead.plusSeconds(60).isBefore(now) || (!names.containsKey(community) && namesRead.plusSeconds(5).isBefore(now))) {
            try {
                names = store.communityNames();
            } catch (RuntimeException e) {
                LOG.warn("community names not read ({}); messages name communities by code", e.getMessage());
            }
            namesRead = now;
        }
        return names.get(community);
    }
}

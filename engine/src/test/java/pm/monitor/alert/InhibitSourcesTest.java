package pm.monitor.alert;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import pm.monitor.rules.LiveRuleMetadata;
import pm.monitor.rules.RuleBook;
import pm.monitor.support.Rules;

/** The rules that fold an incident's per-ticket findings say so in their DRL ({@code @inhibits(true)}; issue 18). */
class InhibitSourcesTest {

    @Test
    @DisplayName("Inhibition sources are the rules marked @inhibits(true), plus what inhibit.sources adds; a new one needs no Java")
    void sourcesFromTheRules(@TempDir Path dir) throws IOException {
        try {
            Rules.real();
            assertEquals(Set.of("complaint.collective", "complaint.major"), AlertParameters.defaults().inhibitSources());
            assertEquals(Set.of("complaint.collective", "complaint.major", "x.y"),
                    AlertParameters.of(Map.of("inhibit.sources", "x.y")).inhibitSources());

            Rules.copyWith(dir, Map.of());
            Path drl = dir.resolve("complaints/across-tickets.drl");
            String text = Files.readString(drl);
            // the repeat complaint rule, marked as a source too
            String marked = text.replace("@id(\"complaint.repeat\") @clause(\"CODE 4.11\")",
                    "@id(\"complaint.repeat\") @clause(\"CODE 4.11\") @inhibits(true)");
            Files.writeString(drl, marked);
            LiveRuleMetadata.use(RuleBook.load(dir, Clock.systemUTC()));
            assertEquals(Set.of("complaint.collective", "complaint.major", "complaint.repeat"),
                    AlertParameters.defaults().inhibitSources());
        } finally {
            LiveRuleMetadata.use(Rules.real());
        }
    }
}

package pm.monitor.rules;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import pm.monitor.engine.RulesCheck;
import pm.monitor.support.Rules;

/** A version stored before parameters were declared with types still loads (restart fallback, rollback). */
class LegacyParametersTest {

    @Test
    @DisplayName("A stored version with untyped parameters loads with the types its rules read; the folder itself must declare them")
    void storedVersionWithoutTypes(@TempDir Path dir) throws Exception {
        SortedMap<String, String> files = new java.util.TreeMap<>(Rules.real().files());
        String untyped = files.get("parameters.conf").replaceAll("(?m)^([a-z][A-Za-z0-9_.\\-]*) : [a-z]+ =", "$1 =")
                + "\n[community C0002]\ncomplaint.contact-2h.limit = 90min\n";
        assertTrue(untyped.contains("\ncomplaint.contact-2h.limit = 2h\n"), "the old syntax");
        files.put("parameters.conf", untyped);
        RulesCheck.Result stored = RulesCheck.checkStored("0123456789ab", files, dir, Clock.systemUTC());
        assertTrue(stored.ok(), stored.problems().toString());
        assertEquals("0123456789ab", stored.rules().version());
        assertEquals(untyped, stored.rules().files().get("parameters.conf"), "the files as they were recorded");
        assertEquals(90, stored.rules().parameters().forCommunity("C0002").limit("complaint.contact-2h.limit")
                .duration().toMinutes());
        assertEquals(ParameterCatalog.Type.LIMIT, stored.rules().parameters().type("repair.arrival.normal"),
                "a name the rules complete at run time (\"repair.arrival.\" + urgency)");

        Rules.copyWith(dir.resolve("folder"), Map.of());
        Files.writeString(dir.resolve("folder/parameters.conf"), untyped);
        List<Problem> problems = new ArrayList<>();
        RuleBook.compile(dir.resolve("folder"), problems, new ArrayList<>(), null, Clock.systemUTC());
        assertTrue(problems.stream().anyMatch(p -> p.message().startsWith("complaint.contact-2h.limit: declare its type")),
                problems.toString());
    }
}

package pm.monitor.store;

import static pm.monitor.store.schema.Tables.MESSAGE_TEMPLATES;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.LinkedHashMap;
import java.util.Map;
import org.jooq.DSLContext;

/** The message templates an administrator saved (table {@code message_templates}); a part without a row uses its default. */
public final class TemplateStore {
    private final DSLContext dsl;

    public TemplateStore(DSLContext dsl) {
        this.dsl = dsl;
    }

    /** One saved template: its text, who saved it and when. */
    public record Saved(String template, String updatedBy, Instant updatedAt) {
    }

    /** Every saved template by key ({@code email.subject}, ...). */
    public Map<String, Saved> all() {
        Map<String, Saved> out = new LinkedHashMap<>();
        dsl.selectFrom(MESSAGE_TEMPLATES).orderBy(MESSAGE_TEMPLATES.KEY).forEach(r -> out.put(r.getKey(),
                new Saved(r.getTemplate(), r.getUpdatedBy(), r.getUpdatedAt() == null ? null : r.getUpdatedAt().toInstant())));
        return out;
    }

    /** Saves the given parts and removes those mapped to null (back to the default), in one transaction. */
    public void save(Map<String, String> parts, String by) {
        dsl.transaction(c -> {
            DSLContext tx = c.dsl();
            for (Map.Entry<String, String> e : parts.entrySet()) {
                if (e.getValue() == null) {
                    tx.deleteFrom(MESSAGE_TEMPLATES).where(MESSAGE_TEMPLATES.KEY.eq(e.getKey())).execute();
                } else {
                    tx.insertInto(MESSAGE_TEMPLATES, MESSAGE_TEMPLATES.KEY, MESSAGE_TEMPLATES.TEMPLATE, MESSAGE_TEMPLATES.UPDATED_BY)
                            .values(e.getKey(), e.getValue(), by)
                            .onConflict(MESSAGE_TEMPLATES.KEY).doUpdate()
                            .set(MESSAGE_TEMPLATES.TEMPLATE, e.getValue()).set(MESSAGE_TEMPLATES.UPDATED_BY, by)
                            .set(MESSAGE_TEMPLATES.UPDATED_AT, OffsetDateTime.now(ZoneOffset.UTC)).execute();
                }
            }
        });
    }
}

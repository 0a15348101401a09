package pm.monitor.report;

import java.io.IOException;
import java.io.OutputStream;
import java.io.Writer;
import java.time.Instant;
import java.time.YearMonth;
import java.time.ZoneId;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.dhatim.fastexcel.Workbook;
import org.dhatim.fastexcel.Worksheet;
import pm.monitor.event.Vocabulary;
import pm.monitor.finding.Kpi;
import pm.monitor.kpi.KpiBoard;
import pm.monitor.kpi.KpiIds;
import pm.monitor.rules.Params;
import pm.monitor.rules.RuleInfo;
import pm.monitor.rules.RuleSet;
import pm.monitor.store.ReportStore;

/**
 * The monthly statistics to the quality department (CODE 4.12.1): per community and for the
 * whole company, the month's KPIs, complaints per category, the collective, major and repeat
 * complaints, and the violations per rule; as JSON for the page, CSV and XLSX for download.
 * A community's month is its own time zone's month.
 */
public final class MonthlyReport {
    public enum Type { TEXT, INT, PERCENT }

    public record Column(String key, String zh, String en, Type type) {
        public String header(String lang) {
            return Labels.EN.equals(lang) ? en : zh;
        }
    }

    private static final List<String> EXTRA = List.of("collective", "major", "repeat");

    private final String month;
    /** Made for a caller limited to some communities: the "*" row is their total, not the company's. */
    private final boolean scoped;
    private final List<Column> columns;
    private final List<Map<String, Object>> rows;
    private final Map<String, Double> targets;
    private final String rulesVersion;
    private final Instant generatedAt;

    private MonthlyReport(String month, List<Column> columns, List<Map<String, Object>> rows,
                          Map<String, Double> targets, String rulesVersion, Instant generatedAt, boolean scoped) {
        this.scoped = scoped;
        this.month = month;
        this.columns = columns;
        this.rows = rows;
        this.targets = targets;
        this.rulesVersion = rulesVersion;
        this.generatedAt = generatedAt;
    }

    public static String checkMonth(String month) {
        try {
            return YearMonth.parse(month).toString();
        } catch (DateTimeParseException e) {
            throw new IllegalArgumentException("month must be YYYY-MM, not \"" + month + "\"");
        }
    }

    /** A month (YYYY-MM) or, for the weekly report, an ISO week (YYYY-Www). */
    static String checkPeriod(String period) {
        if (period != null && period.matches("\\d{4}-W\\d{2}")) {
            PeriodRange.of(period); // throws for a week that does not exist
            return period;
        }
        return checkMonth(period);
    }

    /** Whether the report is a week's (the weekly report) rather than a month's. */
    public boolean weekly() {
        return month.contains("-W");
    }

    /** Builds the report of {@code month}; asks the store once per time zone (blocking). */
    public static MonthlyReport build(String month, Directory dir, KpiBoard board, Params companyParams,
                                      RuleSet rules, ReportStore store) {
        return build(month, dir, board, companyParams, rules, store, null);
    }

    /**
     * The rule ids that get a violations column: all but the KPIs' own alert rules (the KPIs have
     * their columns) and the ids that only raise alerts, which the rules say themselves: every rule
     * of the id that names whom it tells ({@code @notify}) is {@code @kind("alert")} (or
     * {@code "check"}). Ids seen in stored violations are added by the caller.
     */
    static Set<String> violationColumns(List<RuleInfo> rules) {
        Map<String, Boolean> alertOnly = new LinkedHashMap<>();
        for (RuleInfo r : rules) {
            if (r.id() == null || KpiIds.ALL.contains(r.id())) {
                continue;
            }
            alertOnly.putIfAbsent(r.id(), null);
            if (r.role() != null) {
                boolean alert = !"violation".equals(r.kind());
                Boolean was = alertOnly.get(r.id());
                alertOnly.put(r.id(), was == null ? alert : was && alert);
            }
        }
        Set<String> ids = new LinkedHashSet<>();
        alertOnly.forEach((id, alert) -> {
            if (!Boolean.TRUE.equals(alert)) {
                ids.add(id);
            }
        });
        return ids;
    }

    /**
     * The report of the communities in {@code scope} (null: all), whose total row is then theirs;
     * {@code dir} should hold those communities only.
     */
    public static MonthlyReport build(String month, Directory dir, KpiBoard board, Params companyParams,
                                      RuleSet rules, ReportStore store, Set<String> scope) {
        checkPeriod(month);
        PeriodRange range = PeriodRange.of(month);
        Map<String, Map<String, Kpi>> kpis = new HashMap<>();
        for (Kpi k : board.query(scope, null, null, month, companyParams)) {
            kpis.computeIfAbsent(k.community(), c -> new HashMap<>()).put(k.kpi(), k);
        }
        Map<ZoneId, List<String>> byZone = new LinkedHashMap<>();
        for (Directory.Community c : dir.communities()) {
            byZone.computeIfAbsent(c.zone(), z -> new ArrayList<>()).add(c.code());
        }
        Map<String, Map<String, Long>> violations = new HashMap<>();
        for (Map.Entry<ZoneId, List<String>> z : byZone.entrySet()) {
            violations.putAll(store.violations(z.getValue(), range.from(z.getKey()), range.to(z.getKey())));
        }

        Set<String> ruleIds = violationColumns(rules.rules());
        Set<String> seen = new TreeSet<>();
        violations.values().forEach(m -> seen.addAll(m.keySet()));
        ruleIds.addAll(seen);
        List<String> ruleColumns = new ArrayList<>(new TreeSet<>(ruleIds));

        List<Column> columns = new ArrayList<>();
        columns.add(new Column("community", "小区编码", "Community", Type.TEXT));
        columns.add(new Column("name", "小区名称", "Name", Type.TEXT));
        for (String kpi : Overview.KPIS) {
            String zh = Labels.kpi(kpi, Labels.ZH);
            String en = Labels.kpi(kpi, Labels.EN);
            columns.add(new Column(kpi, zh, en, Type.PERCENT));
            columns.add(new Column(kpi + ":n", zh + "·分子", en + " numerator", Type.INT));
            columns.add(new Column(kpi + ":d", zh + "·分母", en + " denominator", Type.INT));
        }
        columns.add(new Column("under", "未达标指标", "KPIs under target", Type.TEXT));
        for (String cat : Vocabulary.CATEGORY.all()) {
            columns.add(new Column("cat:" + cat, "投诉·" + Labels.category(cat, Labels.ZH),
                    "Complaints: " + Labels.category(cat, Labels.EN), Type.INT));
        }
        columns.add(new Column("complaints", "投诉合计", "Complaints total", Type.INT));
        for (String x : EXTRA) {
            columns.add(new Column(x, Labels.category(x, Labels.ZH), Labels.category(x, Labels.EN) + " complaints",
                    Type.INT));
        }
        for (String rule : ruleColumns) {
            columns.add(new Column("v:" + rule, "违规·" + Labels.rule(rule, Labels.ZH) + " (" + rule + ")",
                    "Violations: " + Labels.rule(rule, Labels.EN) + " (" + rule + ")", Type.INT));
        }
        columns.add(new Column("violations", "违规合计", "Violations total", Type.INT));

        List<Map<String, Object>> rows = new ArrayList<>();
        Map<String, Long> companyViolations = new HashMap<>();
        for (Directory.Community c : dir.communities()) {
            Map<String, Long> v = violations.getOrDefault(c.code(), Map.of());
            v.forEach((rule, n) -> companyViolations.merge(rule, n, Long::sum));
            rows.add(row(c.code(), c.name(), kpis.getOrDefault(c.code(), Map.of()), v, ruleColumns));
        }
        rows.add(row("*", null, kpis.getOrDefault("*", Map.of()), companyViolations, ruleColumns));

        Map<String, Double> targets = new LinkedHashMap<>();
        for (String kpi : Overview.KPIS) {
            String tp = KpiIds.targetParameter(kpi);
            targets.put(kpi, tp == null ? null : companyParams.percent(tp));
        }
        return new MonthlyReport(month, columns, rows, targets, rules.version(), Instant.now(), scope != null);
    }

    private static Map<String, Object> row(String code, String name, Map<String, Kpi> kpis,
                                           Map<String, Long> violations, List<String> ruleColumns) {
        Map<String, Object> r = new LinkedHashMap<>();
        r.put("community", code);
        r.put("name", name);
        List<String> under = new ArrayList<>();
        for (String kpi : Overview.KPIS) {
            Kpi k = kpis.get(kpi);
            r.put(kpi, k == null ? null : k.value());
            r.put(kpi + ":n", k == null ? null : k.numerator());
            r.put(kpi + ":d", k == null ? null : k.denominator());
            if (k != null && Boolean.FALSE.equals(k.met())) {
                under.add(kpi);
            }
        }
        r.put("under", under);
        Kpi cats = kpis.get(KpiIds.COMPLAINTS_BY_CATEGORY);
        Map<String, Long> b = cats == null || cats.breakdown() == null ? Map.of() : cats.breakdown();
        long complaints = 0;
        for (String cat : Vocabulary.CATEGORY.all()) {
            long n = b.getOrDefault(cat, 0L);
            r.put("cat:" + cat, n);
            complaints += n;
        }
        r.put("complaints", complaints);
        for (String x : EXTRA) {
            r.put(x, b.getOrDefault(x, 0L));
        }
        long total = 0;
        for (String rule : ruleColumns) {
            long n = violations.getOrDefault(rule, 0L);
            r.put("v:" + rule, n);
            total += n;
        }
        r.put("violations", total);
        return r;
    }

    public String month() {
        return month;
    }

    public List<Column> columns() {
        return columns;
    }

    /** The communities' rows, then the company's ({@code community = "*"}). */
    public List<Map<String, Object>> rows() {
        return rows;
    }

    /** A cell as text in {@code lang}: names for the company row and the KPIs under target. */
    private Object display(Map<String, Object> row, Column c, String lang) {
        Object v = row.get(c.key());
        if (c.key().equals("name") && "*".equals(row.get("community"))) {
            if (scoped) {
                return Labels.EN.equals(lang) ? "Total of your communities" : "所辖小区合计";
            }
            return Labels.EN.equals(lang) ? "Company total" : "全公司";
        }
        if (c.key().equals("under")) {
            List<String> names = new ArrayList<>();
            for (Object kpi : (List<?>) v) {
                names.add(Labels.kpi((String) kpi, lang));
            }
            return String.join(Labels.EN.equals(lang) ? ", " : "、", names);
        }
        return v;
    }

    /** One page of rows for the page, with headers in {@code lang}. */
    public Map<String, Object> toJson(String lang, int limit, int offset) {
        List<Map<String, Object>> cols = new ArrayList<>();
        for (Column c : columns) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("key", c.key());
            m.put("header", c.header(lang));
            m.put("type", c.type().name().toLowerCase(Locale.ROOT));
            cols.add(m);
        }
        List<Map<String, Object>> communities = rows.subList(0, rows.size() - 1);
        List<Map<String, Object>> page = new ArrayList<>();
        for (Map<String, Object> r : communities.subList(Math.min(offset, communities.size()),
                Math.min(communities.size(), offset + limit))) {
            page.add(displayRow(r, lang));
        }
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("month", month);
        out.put("rulesVersion", rulesVersion);
        out.put("targets", targets);
        out.put("columns", cols);
        out.put("company", displayRow(rows.get(rows.size() - 1), lang));
        out.put("total", communities.size());
        out.put("limit", limit);
        out.put("offset", offset);
        out.put("items", page);
        return out;
    }

    private Map<String, Object> displayRow(Map<String, Object> r, String lang) {
        Map<String, Object> m = new LinkedHashMap<>();
        for (Column c : columns) {
            m.put(c.key(), display(r, c, lang));
        }
        m.put("underKpis", r.get("under"));
        return m;
    }

    /**
     * CSV (RFC 4180), UTF-8 with a byte-order mark so that Excel reads the Chinese headers.
     * Percentages are written as {@code 88.24%}, which spreadsheets read as numbers.
     */
    public void writeCsv(Writer w, String lang) throws IOException {
        w.write('\uFEFF');
        List<String> headers = new ArrayList<>();
        columns.forEach(c -> headers.add(c.header(lang)));
        line(w, headers);
        for (Map<String, Object> r : rows) {
            List<String> cells = new ArrayList<>();
            for (Column c : columns) {
                Object v = display(r, c, lang);
                if (v == null) {
                    cells.add("");
                } else if (c.type() == Type.PERCENT) {
                    cells.add(String.format(Locale.ROOT, "%.2f%%", ((Number) v).doubleValue() * 100));
                } else {
                    cells.add(String.valueOf(v));
                }
            }
            line(w, cells);
        }
        w.flush();
    }

    private static void line(Writer w, List<String> cells) throws IOException {
        for (int i = 0; i < cells.size(); i++) {
            if (i > 0) {
                w.write(',');
            }
            w.write(csv(cells.get(i)));
        }
        w.write("\r\n");
    }

    /**
     * A cell quoted when it must be. Community names are free text from events: a leading
     * {@code = + - @} would make a spreadsheet run it as a formula, so such a cell is prefixed
     * with an apostrophe (OWASP "CSV injection"). Numbers never start with those except negative
     * ones, and no count here is negative.
     */
    static String csv(String s) {
        String v = s;
        if (!v.isEmpty() && "=+-@\t\r".indexOf(v.charAt(0)) >= 0) {
            v = "'" + v;
        }
        if (v.contains(",") || v.contains("\"") || v.contains("\n") || v.contains("\r")) {
            v = "\"" + v.replace("\"", "\"\"") + "\"";
        }
        return v;
    }

    /**
     * XLSX: the report on the first sheet (numbers as numbers, rates as fractions formatted as
     * percentages, those under target in red), and the month, targets and rules version on a
     * second. Text cells are written as strings, never as formulas.
     */
    public void writeXlsx(OutputStream os, String lang) throws IOException {
        writeXlsx(os, lang, List.of());
    }

    /**
     * The same, with notes written first on the second sheet (the schedule's "partial period"),
     * in the report's language.
     */
    public void writeXlsx(OutputStream os, String lang, List<String> notesFirst) throws IOException {
        boolean en = Labels.EN.equals(lang);
        Workbook wb = new Workbook(os, "pm-monitor", "1.0");
        Worksheet ws = wb.newWorksheet((weekly() ? (en ? "Weekly " : "周报 ") : (en ? "Report " : "月报 ")) + month);
        for (int c = 0; c < columns.size(); c++) {
            ws.value(0, c, columns.get(c).header(lang));
            ws.style(0, c).bold().wrapText(true).set();
            ws.width(c, c < 2 ? 14 : 12);
        }
        ws.freezePane(2, 1);
        for (int i = 0; i < rows.size(); i++) {
            Map<String, Object> r = rows.get(i);
            int row = i + 1;
            List<?> under = (List<?>) r.get("under");
            for (int c = 0; c < columns.size(); c++) {
                Column col = columns.get(c);
                Object v = display(r, col, lang);
                if (v == null) {
                    continue;
                }
                if (v instanceof Number n) {
                    ws.value(row, c, n);
                    if (col.type() == Type.PERCENT) {
                        var style = ws.style(row, c).format("0.0%");
                        if (under.contains(col.key())) {
                            style = style.fontColor("C00000").bold();
                        }
                        style.set();
                    }
                } else {
                    ws.value(row, c, String.valueOf(v));
                }
            }
            if ("*".equals(r.get("community"))) {
                ws.style(row, 0).bold().set();
                ws.style(row, 1).bold().set();
            }
        }
        Worksheet notes = wb.newWorksheet(en ? "Notes" : "说明");
        int n = 0;
        for (String note : notesFirst) {
            notes.value(n, 0, note);
            notes.style(n, 0).bold().fontColor("C00000").set();
            n++;
        }
        notes.value(n, 0, en ? "Month" : "月份");
        notes.value(n++, 1, month);
        notes.value(n, 0, en ? "Rules version" : "规则版本");
        notes.value(n++, 1, rulesVersion);
        notes.value(n, 0, en ? "Generated at (UTC)" : "生成时间 (UTC)");
        notes.value(n++, 1, generatedAt.toString());
        notes.value(n, 0, en ? "Each community's month is counted in its own time zone."
                : "各小区按其所在时区的自然月统计。");
        n += 2;
        notes.value(n, 0, en ? "KPI" : "指标");
        notes.value(n++, 1, en ? "Target" : "目标");
        for (Map.Entry<String, Double> t : targets.entrySet()) {
            notes.value(n, 0, Labels.kpi(t.getKey(), lang));
            if (t.getValue() != null) {
                notes.value(n, 1, t.getValue());
                notes.style(n, 1).format("0%").set();
            } else {
                notes.value(n, 1, en ? "reported only" : "仅统计");
            }
            n++;
        }
        notes.width(0, 36);
        notes.width(1, 24);
        wb.finish();
    }
}

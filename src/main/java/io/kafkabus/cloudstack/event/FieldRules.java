package io.kafkabus.cloudstack.event;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Which description fields are redacted and which are expanded. Thread-safe: publishers on any
 * CloudStack thread share one.
 */
final class FieldRules {
    /** What the bus redacts when told nothing more (redact.enabled's documentation lists them). */
    static final List<String> DENY_WORDS = List.of("sessionkey", "password", "passwd", "signature", "apikey",
            "secretkey", "secret", "token", "privatekey", "accesskey", "credential", "userdata");

    /**
     * Names kept in {@link #decisions}. Descriptions mostly repeat a few dozen names, but map
     * parameters ({@code details[0].cpuNumber}) can make any number of them: past this many, a
     * name is matched afresh each time rather than growing the cache without end.
     */
    private static final int MOST_CACHED = 4096;

    private final boolean redact;
    private final List<String> denyWords;
    private final Set<String> expanded;
    /**
     * Redaction decision by field name. Jackson hands out the same String instance for a name it
     * has seen (its symbol table), so a look-up is an identity hit on the hash the String caches.
     */
    private final Map<String, Boolean> decisions = new ConcurrentHashMap<>();

    FieldRules(boolean redact, List<String> extraRedactedNames, List<String> expandFields) {
        this.redact = redact;
        List<String> words = new ArrayList<>(DENY_WORDS);
        for (String extra : extraRedactedNames) {
            String word = normalize(extra);
            if (!word.isEmpty()) {
                words.add(word);
            }
        }
        this.denyWords = List.copyOf(words);
        this.expanded = Set.copyOf(expandFields);
    }

    /** Whether the value of a field so named is replaced, wherever the field is. */
    boolean redacts(String name) {
        if (!redact) {
            return false;
        }
        Boolean known = decisions.get(name);
        if (known != null) {
            return known;
        }
        boolean decision = matches(name);
        if (decisions.size() < MOST_CACHED) {
            decisions.put(name, decision);
        }
        return decision;
    }

    /** Whether a field so named, holding JSON text, is written as that JSON; {@code name} may be null (array items). */
    boolean expands(String name) {
        return name != null && expanded.contains(name);
    }

    /**
     * Whether JSON text inside string values can need rewriting: only then are such strings read.
     * Without rules, a description is only checked and copied.
     */
    boolean inspectsStrings() {
        return redact || !expanded.isEmpty();
    }

    private boolean matches(String name) {
        String normalized = normalize(name);
        for (String word : denyWords) {
            if (normalized.contains(word)) {
                return true;
            }
        }
        return false;
    }

    /** Lower case without '_', '-' and '.', so that api_key, API-Key and api.key all read apikey. */
    static String normalize(String name) {
        StringBuilder out = new StringBuilder(name.length());
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            if (c != '_' && c != '-' && c != '.') {
                out.append(c);
            }
        }
        return out.toString().toLowerCase(Locale.ROOT);
    }
}

package io.kafkabus.cloudstack.config;

import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

import org.apache.kafka.clients.CommonClientConfigs;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.config.AbstractConfig;

/**
 * Keys of the file that neither the bus nor the producer declares, each with the declared key
 * nearest to it by edit distance (no library on the class path offers one, hence the few lines below).
 */
final class UnknownKeys {
    /** Prefixes under which Kafka reads keys it does not declare one by one. */
    private static final List<String> OPEN_PREFIXES = List.of(
            AbstractConfig.CONFIG_PROVIDERS_CONFIG + ".", CommonClientConfigs.METRICS_CONTEXT_PREFIX);
    private static final List<String> KNOWN = known();

    private UnknownKeys() {
    }

    /** Unknown key to the nearest known key, in the order of {@code keys} sorted. */
    static Map<String, String> nearest(Collection<String> keys) {
        Map<String, String> unknown = new LinkedHashMap<>();
        for (String key : new TreeSet<>(keys)) {
            if (!KNOWN.contains(key) && OPEN_PREFIXES.stream().noneMatch(key::startsWith)) {
                unknown.put(key, nearestKnown(key));
            }
        }
        return unknown;
    }

    private static String nearestKnown(String key) {
        String best = KNOWN.get(0);
        int bestDistance = Integer.MAX_VALUE;
        for (String candidate : KNOWN) {
            int distance = editDistance(key, candidate);
            if (distance < bestDistance) {
                best = candidate;
                bestDistance = distance;
            }
        }
        return best;
    }

    /** Levenshtein distance: insertions, deletions and substitutions of one character. */
    static int editDistance(String a, String b) {
        int[] previous = new int[b.length() + 1];
        int[] current = new int[b.length() + 1];
        for (int j = 0; j <= b.length(); j++) {
            previous[j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            current[0] = i;
            for (int j = 1; j <= b.length(); j++) {
                int substitution = previous[j - 1] + (a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1);
                current[j] = Math.min(substitution, Math.min(previous[j], current[j - 1]) + 1);
            }
            int[] swap = previous;
            previous = current;
            current = swap;
        }
        return previous[b.length()];
    }

    private static List<String> known() {
        List<String> known = new ArrayList<>(EventBusConfig.PLUGIN_KEYS.names());
        known.addAll(new TreeSet<>(ProducerConfig.configNames()));
        return List.copyOf(known);
    }
}

package io.kafkabus.cloudstack.routing;

import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import io.kafkabus.cloudstack.config.EventBusConfig;
import io.kafkabus.cloudstack.config.EventField;
import io.kafkabus.cloudstack.config.FilterRule;
import io.kafkabus.cloudstack.event.EventEnvelope;

/**
 * {@code filter.include} and {@code filter.exclude}: an event is published when it matches an
 * include rule (or there is none) and no exclude rule. Runs on CloudStack's threads, before the spool.
 */
public final class EventFilter {
    private final List<Rule> include;
    private final List<Rule> exclude;

    public EventFilter(EventBusConfig config) {
        this(config.filterInclude(), config.filterExclude());
    }

    EventFilter(List<FilterRule> include, List<FilterRule> exclude) {
        this.include = compile(include);
        this.exclude = compile(exclude);
    }

    public boolean accepts(EventEnvelope envelope) {
        return (include.isEmpty() || anyMatches(include, envelope)) && !anyMatches(exclude, envelope);
    }

    private static boolean anyMatches(List<Rule> rules, EventEnvelope envelope) {
        for (Rule rule : rules) {
            if (rule.matches(envelope)) {
                return true;
            }
        }
        return false;
    }

    private static List<Rule> compile(List<FilterRule> rules) {
        return rules.stream().map(Rule::new).collect(Collectors.toUnmodifiableList());
    }

    /** One rule: every condition must match. */
    private static final class Rule {
        private final EventField[] fields;
        private final Glob[] patterns;

        Rule(FilterRule rule) {
            Map<EventField, String> conditions = rule.patterns();
            fields = conditions.keySet().toArray(new EventField[0]);
            patterns = conditions.values().stream().map(Glob::new).toArray(Glob[]::new);
        }

        boolean matches(EventEnvelope envelope) {
            for (int i = 0; i < fields.length; i++) {
                if (!patterns[i].matches(EventFields.value(fields[i], envelope))) {
                    return false;
                }
            }
            return true;
        }
    }
}

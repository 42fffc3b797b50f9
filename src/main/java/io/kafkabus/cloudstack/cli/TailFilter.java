package io.kafkabus.cloudstack.cli;

import io.kafkabus.cloudstack.routing.Glob;

/**
 * {@code tail --category/--type/--resource}: an exact value or a glob ({@code *}, {@code ?}), ignoring
 * case, as the bus's own filters; the resource matches its type or its UUID. Immutable.
 */
final class TailFilter {
    private final Glob category;
    private final Glob type;
    private final Glob resource;

    /** Each pattern null when not given: then anything passes. */
    TailFilter(String category, String type, String resource) {
        this.category = category == null ? null : new Glob(category);
        this.type = type == null ? null : new Glob(type);
        this.resource = resource == null ? null : new Glob(resource);
    }

    boolean accepts(TailedEvent event) {
        return (category == null || category.matches(event.category))
                && (type == null || type.matches(event.type))
                && (resource == null || resource.matches(event.resourceType) || resource.matches(event.resourceUuid));
    }
}

package io.kafkabus.cloudstack.event;

import java.lang.reflect.Method;
import java.time.Clock;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.UUID;
import java.util.function.Supplier;

import org.apache.cloudstack.framework.events.Event;

/**
 * Turns CloudStack's {@link Event} into an {@link EventEnvelope}. The getters CloudStack added in
 * 4.20 are looked up once per class and skipped where absent, so the same jar runs on 4.19 and
 * earlier. A getter that throws leaves its field empty: the event is still published. The
 * description is redacted here, on CloudStack's publishing thread, before anything is spooled.
 */
public final class CloudStackEvents {
    private static final ClassValue<Since420Getters> SINCE_4_20 = new ClassValue<>() {
        @Override
        protected Since420Getters computeValue(Class<?> type) {
            return new Since420Getters(type);
        }
    };

    private final Clock clock;
    private final DescriptionProcessor descriptions;
    private final ManagementServer server;

    /** Redacting the default names, expanding nothing, as this server. */
    public CloudStackEvents(Clock clock) {
        this(clock, new DescriptionProcessor(true, List.of(), List.of()), ManagementServer.local());
    }

    public CloudStackEvents(Clock clock, DescriptionProcessor descriptions, ManagementServer server) {
        this.clock = clock;
        this.descriptions = descriptions;
        this.server = server;
    }

    public EventEnvelope toEnvelope(Event event) {
        Since420Getters since420 = SINCE_4_20.get(event.getClass());
        String eventUuid = since420.string(since420.eventUuid, event);
        String id = eventUuid == null || eventUuid.isBlank() ? UUID.randomUUID().toString() : eventUuid;
        return EventEnvelope.builder(id, clock.instant().truncatedTo(ChronoUnit.MILLIS))
                .source(read(event::getEventSource))
                .category(read(event::getEventCategory))
                .type(read(event::getEventType))
                .resourceType(read(event::getResourceType))
                .resourceUuid(read(event::getResourceUUID))
                .description(descriptions.process(read(event::getDescription)))
                .eventId(since420.number(since420.eventId, event))
                .accountId(since420.number(since420.accountId, event))
                .accountUuid(since420.string(since420.accountUuid, event))
                .domainId(since420.number(since420.domainId, event))
                .managementServer(server.host(), server.id())
                .build();
    }

    private static String read(Supplier<String> getter) {
        try {
            return getter.get();
        } catch (RuntimeException e) {
            return null;
        }
    }

    /** The 4.20+ getters of one Event class; null where the class has none. */
    private static final class Since420Getters {
        final Method eventId;
        final Method eventUuid;
        final Method accountId;
        final Method accountUuid;
        final Method domainId;

        Since420Getters(Class<?> type) {
            eventId = find(type, "getEventId", Long.class);
            eventUuid = find(type, "getEventUuid", String.class);
            accountId = find(type, "getResourceAccountId", Long.class);
            accountUuid = find(type, "getResourceAccountUuid", String.class);
            domainId = find(type, "getResourceDomainId", Long.class);
        }

        private static Method find(Class<?> type, String name, Class<?> returnType) {
            try {
                Method method = type.getMethod(name);
                return method.getReturnType() == returnType ? method : null;
            } catch (NoSuchMethodException e) {
                return null;
            }
        }

        String string(Method getter, Event event) {
            Object value = invoke(getter, event);
            return value instanceof String ? (String) value : null;
        }

        Long number(Method getter, Event event) {
            Object value = invoke(getter, event);
            return value instanceof Long ? (Long) value : null;
        }

        private static Object invoke(Method getter, Event event) {
            if (getter == null) {
                return null;
            }
            try {
                return getter.invoke(event);
            } catch (ReflectiveOperationException | RuntimeException e) {
                return null;
            }
        }
    }
}

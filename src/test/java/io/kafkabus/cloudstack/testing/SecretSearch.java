package io.kafkabus.cloudstack.testing;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import javax.management.JMException;
import javax.management.MBeanAttributeInfo;
import javax.management.MBeanServer;
import javax.management.ObjectName;

import org.apache.logging.log4j.core.LogEvent;

import io.kafkabus.cloudstack.KafkaEventBus;

/** Everything a person or a monitoring tool can read of a bus, as text, and the secrets found in it. */
public final class SecretSearch {
    private static final MBeanServer JMX = ManagementFactory.getPlatformMBeanServer();

    private SecretSearch() {
    }

    /** A bus's toString, statistics, and every attribute of its MBean and of its producer's. */
    public static List<String> visibleState(KafkaEventBus bus, String busName) throws JMException {
        List<String> state = new ArrayList<>(List.of(bus.toString(), String.valueOf(bus.statistics()), String.valueOf(bus.subscriberStatistics())));
        List<ObjectName> names = new ArrayList<>(JMX.queryNames(new ObjectName("com.cloud:type=KafkaEventBus,name=" + busName), null));
        names.addAll(JMX.queryNames(new ObjectName("kafka.producer:*"), null).stream()
                .filter(name -> String.valueOf(name.getKeyProperty("client-id")).endsWith("-" + busName)).collect(Collectors.toList()));
        for (ObjectName name : names) {
            for (MBeanAttributeInfo attribute : JMX.getMBeanInfo(name).getAttributes()) {
                state.add(name + " " + attribute.getName() + "=" + JMX.getAttribute(name, attribute.getName()));
            }
        }
        return state;
    }

    /** Each captured line: logger, level, message and the stack trace logged with it. */
    public static List<String> logged(LogCapture logs) {
        List<String> lines = new ArrayList<>();
        for (LogEvent event : logs.events) {
            lines.add(event.getLoggerName() + " " + event.getLevel() + " " + event.getMessage().getFormattedMessage()
                    + (event.getThrown() == null ? "" : "\n" + stackTrace(event.getThrown())));
        }
        return lines;
    }

    public static String stackTrace(Throwable thrown) {
        StringWriter text = new StringWriter();
        thrown.printStackTrace(new PrintWriter(text));
        return text.toString();
    }

    /** Each secret found, named, with the text that holds it. */
    public static List<String> leaks(List<String> texts, Map<String, String> secrets) {
        List<String> leaks = new ArrayList<>();
        for (String text : texts) {
            secrets.forEach((what, secret) -> {
                if (text.contains(secret)) {
                    leaks.add(what + " in: " + text);
                }
            });
        }
        return leaks;
    }
}

package io.kafkabus.cloudstack.docs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.lang.reflect.Method;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import javax.management.ObjectName;

import org.junit.jupiter.api.Test;

import io.kafkabus.cloudstack.metrics.BusMetrics;
import io.kafkabus.cloudstack.metrics.KafkaEventBusMXBean;

/** README.md's Monitoring section names the MBean the bus registers and lists exactly its attributes, with their types. */
class MonitoringDocsTest {
    private static final Pattern ROW = Pattern.compile("^\\| `(\\w+)` \\| (\\w+) \\| ", Pattern.MULTILINE);
    private static final Pattern GETTER = Pattern.compile("(?:get|is)(\\w+)");

    @Test
    void theAttributeTableListsEachAttributeOfTheMXBeanWithItsType() throws IOException {
        List<String> documented = new ArrayList<>();
        Matcher row = ROW.matcher(attributeTable(monitoringSection()));
        while (row.find()) {
            documented.add(row.group(1) + " " + row.group(2));
        }
        List<String> declared = new ArrayList<>();
        for (Method getter : KafkaEventBusMXBean.class.getMethods()) {
            Matcher name = GETTER.matcher(getter.getName());
            assertTrue(name.matches(), getter.getName());
            declared.add(name.group(1) + " " + getter.getReturnType().getSimpleName().toLowerCase());
        }
        documented.sort(null);
        declared.sort(null);
        assertEquals(declared, documented, "README.md's Monitoring table against KafkaEventBusMXBean");
    }

    @Test
    void theSectionGivesTheNameTheBusRegistersUnder() throws Exception {
        ObjectName name = BusMetrics.objectName("kafkaEventBus");
        assertTrue(monitoringSection().contains("`" + name + "`"), name.toString());
        assertTrue(monitoringSection().contains("com.cloud:type=KafkaEventBus,name=<bus name>"));
    }

    private static String monitoringSection() throws IOException {
        Path project = Paths.get(System.getProperty("basedir", System.getProperty("user.dir")));
        String readme = Files.readString(project.resolve("README.md"), StandardCharsets.UTF_8);
        int start = readme.indexOf("\n## Monitoring\n");
        assertTrue(start >= 0, "README.md has a Monitoring section");
        return readme.substring(start, readme.indexOf("\n## ", start + 1));
    }

    private static String attributeTable(String section) {
        int header = section.indexOf("| attribute | type | meaning |");
        assertTrue(header >= 0, "the attribute table's header");
        int end = section.indexOf("\n\n", header);
        return section.substring(header, end);
    }
}

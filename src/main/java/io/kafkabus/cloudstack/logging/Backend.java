package io.kafkabus.cloudstack.logging;

/**
 * The logging systems loggers can forward to. Each back end's classes are loaded only once it is
 * chosen, so the others may be absent.
 */
enum Backend {
    LOG4J2("log4j2") {
        @Override
        ForwardingLogger logger(String name) {
            return new Log4j2Logger(name);
        }
    },
    LOG4J("log4j 1.2") {
        @Override
        ForwardingLogger logger(String name) {
            return new Log4j1Logger(name);
        }
    },
    JUL("java.util.logging") {
        @Override
        ForwardingLogger logger(String name) {
            return new JulLogger(name);
        }
    };

    static final String LOG4J2_API = "org.apache.logging.log4j.LogManager";
    static final String LOG4J1_API = "org.apache.log4j.Logger";

    private final String description;

    Backend(String description) {
        this.description = description;
    }

    abstract ForwardingLogger logger(String name);

    String description() {
        return description;
    }

    /**
     * log4j2 when its API and an implementation of it are visible to {@code loader} (CloudStack
     * 4.20+), else log4j 1.2 (4.19 and earlier), else java.util.logging.
     */
    static Backend detect(ClassLoader loader) {
        if (visible(LOG4J2_API, loader) && Log4j2Logger.hasImplementation()) {
            return LOG4J2;
        }
        if (visible(LOG4J1_API, loader)) {
            return LOG4J;
        }
        return JUL;
    }

    private static boolean visible(String className, ClassLoader loader) {
        try {
            Class.forName(className, false, loader);
            return true;
        } catch (ClassNotFoundException | LinkageError e) {
            return false;
        }
    }
}

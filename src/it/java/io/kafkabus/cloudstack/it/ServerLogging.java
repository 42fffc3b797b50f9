package io.kafkabus.cloudstack.it;

/** The management server's own logging system, as the era has it. */
interface ServerLogging {
    /** Logs one INFO line as the server's code would. */
    void info(String logger, String message);

    /**
     * The server's logging set-up (configuration object, root level, appenders, configured
     * loggers) as one line, to show it is the same after the plugin ran.
     */
    String describe();
}

package dev.zoomscheduler.observability;

import java.io.PrintStream;
import java.time.Clock;

import jakarta.enterprise.context.ApplicationScoped;

import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.MDC;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * Metrics as CloudWatch Embedded Metric Format lines on standard output: Lambda sends them to CloudWatch Logs, which
 * turns them into metrics, so no SDK call and no extra latency. One line a measurement, in namespace
 * {@code METRICS_NAMESPACE} (docs/operations.md lists the metrics and the alarms to set).
 */
@ApplicationScoped
public class Metrics {

    private final ObjectMapper json;
    private final Clock clock;
    private final String namespace;
    private final boolean enabled;
    private final PrintStream out = System.out;

    public Metrics(ObjectMapper json, Clock clock, @ConfigProperty(name = "metrics.namespace") String namespace,
            @ConfigProperty(name = "metrics.enabled") boolean enabled) {
        this.json = json;
        this.clock = clock;
        this.namespace = namespace;
        this.enabled = enabled;
    }

    /** One occurrence of {@code metric}. */
    public void count(String metric, String dimension, String value) {
        emit(metric, 1, "Count", dimension, value);
    }

    public void millis(String metric, long millis, String dimension, String value) {
        emit(metric, millis, "Milliseconds", dimension, value);
    }

    private void emit(String metric, double value, String unit, String dimension, String dimensionValue) {
        if (!enabled) {
            return;
        }
        ObjectNode line = json.createObjectNode();
        ObjectNode directive = line.putObject("_aws").put("Timestamp", clock.millis()).putArray("CloudWatchMetrics").addObject()
                .put("Namespace", namespace);
        directive.putArray("Dimensions").addArray().add(dimension);
        directive.putArray("Metrics").addObject().put("Name", metric).put("Unit", unit);
        line.put(dimension, dimensionValue);
        line.put(metric, value);
        Object requestId = MDC.get(LogContext.REQUEST_ID);
        if (requestId != null) {
            line.put(LogContext.REQUEST_ID, requestId.toString()); // a property, not a dimension: links the metric to the logs
        }
        out.println(line.toString());
    }
}

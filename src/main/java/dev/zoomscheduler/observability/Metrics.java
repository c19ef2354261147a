package dev.zoomscheduler.observability;

import java.io.PrintStream;
import java.time.Clock;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

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
    private final PrintStream out;

    @Inject
    public Metrics(ObjectMapper json, Clock clock, @ConfigProperty(name = "metrics.namespace") String namespace,
            @ConfigProperty(name = "metrics.enabled") boolean enabled) {
        this(json, clock, namespace, enabled, System.out);
    }

    /** @param out where the lines go: standard output in Lambda (CloudWatch Logs reads them from there) */
    public Metrics(ObjectMapper json, Clock clock, String namespace, boolean enabled, PrintStream out) {
        this.json = json;
        this.clock = clock;
        this.namespace = namespace;
        this.enabled = enabled;
        this.out = out;
    }

    /** One occurrence of {@code metric}. */
    public void count(String metric, String dimension, String value) {
        emit(metric, 1, "Count", dimension, value);
    }

    /** {@code count} occurrences of {@code metric} at once (0 included, so that a dashboard shows a run that had none). */
    public void count(String metric, long count, String dimension, String value) {
        emit(metric, count, "Count", dimension, value);
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

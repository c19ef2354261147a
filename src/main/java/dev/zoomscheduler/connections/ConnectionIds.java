package dev.zoomscheduler.connections;

import java.util.List;
import java.util.regex.Pattern;

import dev.zoomscheduler.problems.HeaderValues;
import dev.zoomscheduler.problems.ProblemException;

/** Connection ids: the partition key of the token table, chosen by callers with {@code X-Zoom-Connection}. */
public final class ConnectionIds {

    public static final String HEADER = "X-Zoom-Connection";
    public static final String DEFAULT = "default";
    private static final Pattern VALID = Pattern.compile("[A-Za-z0-9._:@+-]{1,128}");

    private ConnectionIds() {
    }

    /** The one connection a header names, {@code default} if none, or a problem naming the header. */
    public static String fromHeader(List<String> values) {
        return orDefault(HeaderValues.single(values, HEADER), HEADER);
    }

    public static boolean isValid(String connectionId) {
        return connectionId != null && VALID.matcher(connectionId).matches();
    }

    /** The connection named, {@code default} if none, or a problem naming {@code field}. */
    public static String orDefault(String connectionId, String field) {
        if (connectionId == null) {
            return DEFAULT;
        }
        if (!isValid(connectionId)) {
            throw ProblemException.invalidRequest(field,
                    "Must be 1 to 128 characters of letters, digits and . _ : @ + -");
        }
        return connectionId;
    }
}

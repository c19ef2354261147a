package dev.zoomscheduler.idempotency;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * What a request record says of its request besides the outcome.
 *
 * @param fingerprint equal for equal requests, whatever entry point they came by
 * @param operation {@code create}, {@code update} or {@code delete}
 * @param meetingId the meeting it acts on, null for a create
 * @param occurrenceId the one occurrence of a recurring meeting it acts on, null for the whole meeting
 */
public record RequestDescription(String fingerprint, String operation, String connectionId, String meetingId, String occurrenceId) {

    /** The fingerprint of a request written out canonically: SHA-256 of its UTF-8, in hex. */
    public static String fingerprintOf(String canonical) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(canonical.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("A request fingerprint could not be computed", e);
        }
    }
}

package dev.zoomscheduler.testing.zoom;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.HexFormat;
import java.util.Map;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/** The webhooks Zoom sends to the fake app, signed with its secret token {@link ZoomFake#WEBHOOK_SECRET_TOKEN}. */
public final class ZoomWebhooks {

    private ZoomWebhooks() {
    }

    /**
     * The headers with which Zoom would send {@code body} to a webhook endpoint at {@code epochSeconds}: the timestamp
     * and {@code v0=hex(HMAC-SHA256(secret token, "v0:" + timestamp + ":" + body))}.
     */
    public static Map<String, String> signedHeaders(String body, long epochSeconds) {
        String signature = "v0=" + hmacHex(ZoomFake.WEBHOOK_SECRET_TOKEN, "v0:" + epochSeconds + ":" + body);
        return Map.of("x-zm-request-timestamp", Long.toString(epochSeconds), "x-zm-signature", signature);
    }

    /** Zoom's expected answer to a URL validation challenge. */
    public static String encryptedToken(String plainToken) {
        return hmacHex(ZoomFake.WEBHOOK_SECRET_TOKEN, plainToken);
    }

    private static String hmacHex(String key, String message) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
            return HexFormat.of().formatHex(mac.doFinal(message.getBytes(StandardCharsets.UTF_8)));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }
}

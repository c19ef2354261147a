package dev.zoomscheduler.secrets;

/** A secret that could not be read, or holds no usable value. Its message names the secret and why, never its value. */
public class UnreadableSecretException extends RuntimeException {

    public UnreadableSecretException(String secretId, String why) {
        super("secret " + secretId + ": " + why, null, false, false);
    }
}

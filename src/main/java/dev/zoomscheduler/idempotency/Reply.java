package dev.zoomscheduler.idempotency;

/**
 * The answer a request got, as a record keeps it and a repeat gets it: a status and a body. The body of a created
 * meeting holds its start_url, which carries the host's ZAK (a credential): never printed.
 */
public record Reply(int status, String body) {

    @Override
    public String toString() {
        return "Reply[status=" + status + "]";
    }
}

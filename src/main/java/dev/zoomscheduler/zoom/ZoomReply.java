package dev.zoomscheduler.zoom;

/** A successful answer of Zoom's REST API: its status and its body, passed on unchanged. */
public record ZoomReply(int status, String body) {

    /** A meeting's body holds its start_url, which carries the host's ZAK (a credential). */
    @Override
    public String toString() {
        return "ZoomReply[status=" + status + "]";
    }
}

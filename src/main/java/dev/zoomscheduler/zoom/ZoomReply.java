package dev.zoomscheduler.zoom;

/** A successful answer of Zoom's REST API: its status and its body, passed on unchanged. */
public record ZoomReply(int status, String body) {
}

package dev.zoomscheduler.management;

import java.util.List;

import org.eclipse.microprofile.openapi.annotations.media.Schema;

import com.fasterxml.jackson.annotation.JsonProperty;

import io.quarkus.runtime.annotations.RegisterForReflection;

/** A page of {@code GET /connections}. */
@RegisterForReflection
public record ConnectionPage(
        @Schema(required = true) List<ConnectionView> connections,
        @JsonProperty("next_page_token") @Schema(required = true, description = "for the next page; empty on the last page")
        String nextPageToken) {
}

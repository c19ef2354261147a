package dev.zoomscheduler.problems;

import java.util.List;

import org.eclipse.microprofile.openapi.annotations.media.Schema;

import com.fasterxml.jackson.annotation.JsonInclude;

import io.quarkus.runtime.annotations.RegisterForReflection;

/**
 * An RFC 9457 problem document, the body of every error this function answers. Its class-level {@code @Schema} puts it in the
 * OpenAPI document's components, where every operation's error response refers to it.
 *
 * @param code Zoom's error code, where Zoom answered
 * @param errors the fields of the request that were refused, for validation problems
 */
@RegisterForReflection
@JsonInclude(JsonInclude.Include.NON_NULL)
@Schema(description = "RFC 9457 problem document; `type` is one of the `/problems/...` types listed in docs/http-api.md.")
public record Problem(
        @Schema(required = true, example = "/problems/invalid-request") String type,
        @Schema(required = true) String title,
        @Schema(required = true) int status,
        @Schema(required = true) String detail,
        @Schema(description = "Zoom's error code, where Zoom answered") Integer code,
        @Schema(description = "the fields of the request that were refused, for validation problems") List<FieldError> errors) {

    public static final String MEDIA_TYPE = "application/problem+json";

    /** One refused field: its JSON pointer-like name (or header/parameter name) and why. */
    @RegisterForReflection
    public record FieldError(@Schema(required = true) String field, @Schema(required = true) String detail) {
    }
}

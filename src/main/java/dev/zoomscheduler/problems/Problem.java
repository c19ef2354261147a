package dev.zoomscheduler.problems;

import java.util.List;

import com.fasterxml.jackson.annotation.JsonInclude;

import io.quarkus.runtime.annotations.RegisterForReflection;

/**
 * An RFC 9457 problem document, the body of every error this function answers.
 *
 * @param code Zoom's error code, where Zoom answered
 * @param errors the fields of the request that were refused, for validation problems
 */
@RegisterForReflection
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Problem(String type, String title, int status, String detail, Integer code, List<FieldError> errors) {

    public static final String MEDIA_TYPE = "application/problem+json";

    /** One refused field: its JSON pointer-like name (or header/parameter name) and why. */
    @RegisterForReflection
    public record FieldError(String field, String detail) {
    }
}

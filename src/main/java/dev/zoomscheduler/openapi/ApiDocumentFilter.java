package dev.zoomscheduler.openapi;

import java.util.List;
import java.util.Set;

import org.eclipse.microprofile.openapi.OASFactory;
import org.eclipse.microprofile.openapi.OASFilter;
import org.eclipse.microprofile.openapi.models.OpenAPI;
import org.eclipse.microprofile.openapi.models.Operation;

import dev.zoomscheduler.problems.Problem;

/**
 * Finishes the OpenAPI document as {@code ./mvnw -Popenapi} makes it ({@code mp.openapi.filter}): every operation answers
 * problem documents for its errors, a response given by reference keeps the description it is defined with, and the three
 * routes that a browser or Zoom calls carry no SigV4 requirement. Only that build has an OpenAPI implementation; the
 * function never runs this class.
 */
public class ApiDocumentFilter implements OASFilter {

    private static final Set<String> PUBLIC_PATHS = Set.of("/oauth/install", "/oauth/callback", "/zoom/webhook");

    @Override
    public void filterOpenAPI(OpenAPI document) {
        document.getPaths().getPathItems().forEach((path, item) -> item.getOperations().forEach((method, operation) -> {
            if (PUBLIC_PATHS.contains(path)) {
                operation.setSecurity(List.of());
            }
            addProblemResponse(operation);
            keepSharedDescriptions(operation);
        }));
    }

    /**
     * A response given by reference ({@code @APIResponse(ref = ...)}, Zoom's answers of the meeting routes) has its
     * description where it is defined; the one SmallRye adds beside the reference ("OK") would replace it.
     */
    private static void keepSharedDescriptions(Operation operation) {
        operation.getResponses().getAPIResponses().values().stream()
                .filter(response -> response.getRef() != null)
                .forEach(response -> response.setDescription(null));
    }

    private static void addProblemResponse(Operation operation) {
        if (operation.getResponses().getAPIResponse("default") != null) {
            return;
        }
        operation.getResponses().addAPIResponse("default", OASFactory.createAPIResponse()
                .description("An error, as an RFC 9457 problem document (docs/http-api.md lists the types)")
                .content(OASFactory.createContent().addMediaType(Problem.MEDIA_TYPE, OASFactory.createMediaType()
                        .schema(OASFactory.createSchema().ref("Problem")))));
    }
}

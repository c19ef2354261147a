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
 * problem documents for its errors, and the three routes that a browser or Zoom calls carry no SigV4 requirement. Only that
 * build has an OpenAPI implementation; the function never runs this class.
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
        }));
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

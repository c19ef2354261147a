package dev.zoomscheduler.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;

/**
 * The HTTP API routes of template.yaml and how each is authorised, read as SAM reads them: the API's
 * {@code DefaultAuthorizer}, unless the route's event says {@code Auth: Authorizer: NONE}.
 */
public record TemplateRoutes(String defaultAuthorizer, Map<String, String> authorizerByRoute) {

    public static TemplateRoutes read() {
        JsonNode template;
        try {
            template = new ObjectMapper(new YAMLFactory()).readTree(Path.of("template.yaml").toFile());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        String defaultAuthorizer = null;
        Map<String, String> routes = new LinkedHashMap<>();
        for (JsonNode resource : template.path("Resources")) {
            if (resource.path("Type").asText().equals("AWS::Serverless::HttpApi")) {
                defaultAuthorizer = resource.path("Properties").path("Auth").path("DefaultAuthorizer").asText(null);
            }
            for (JsonNode event : resource.path("Properties").path("Events")) {
                if (event.path("Type").asText().equals("HttpApi")) {
                    JsonNode properties = event.path("Properties");
                    routes.put(properties.path("Method").asText() + " " + properties.path("Path").asText(),
                            properties.path("Auth").path("Authorizer").asText("default"));
                }
            }
        }
        return new TemplateRoutes(defaultAuthorizer, routes);
    }

    /** The routes that take requests without any authorisation. */
    public Set<String> publicRoutes() {
        Set<String> open = new TreeSet<>();
        authorizerByRoute.forEach((route, authorizer) -> {
            if (authorizer.equals("NONE")) {
                open.add(route);
            }
        });
        return open;
    }
}

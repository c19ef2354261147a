package dev.zoomscheduler.exploration;

import java.lang.annotation.Annotation;
import java.net.URI;
import java.util.Date;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

import jakarta.ws.rs.core.EntityTag;
import jakarta.ws.rs.core.GenericType;
import jakarta.ws.rs.core.Link;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.MultivaluedHashMap;
import jakarta.ws.rs.core.MultivaluedMap;
import jakarta.ws.rs.core.NewCookie;
import jakarta.ws.rs.core.Response;

/** An HTTP answer of the simulated Zoom as the REST client hands it over: a status, a text body, headers. */
final class SimulatedResponse extends Response {

    private final int status;
    private final String body;
    private final Map<String, String> headers;

    SimulatedResponse(int status, String body, Map<String, String> headers) {
        this.status = status;
        this.body = body;
        this.headers = headers;
    }

    @Override
    public int getStatus() {
        return status;
    }

    @Override
    public boolean hasEntity() {
        return body != null && !body.isEmpty();
    }

    @Override
    public <T> T readEntity(Class<T> type) {
        return type.cast(body);
    }

    @Override
    public String getHeaderString(String name) {
        return headers.entrySet().stream().filter(h -> h.getKey().equalsIgnoreCase(name)).map(Map.Entry::getValue).findFirst().orElse(null);
    }

    @Override
    public void close() {
    }

    @Override
    public StatusType getStatusInfo() {
        return Status.fromStatusCode(status);
    }

    @Override
    public Object getEntity() {
        return body;
    }

    @Override
    public <T> T readEntity(GenericType<T> type) {
        throw new UnsupportedOperationException();
    }

    @Override
    public <T> T readEntity(Class<T> type, Annotation[] annotations) {
        return readEntity(type);
    }

    @Override
    public <T> T readEntity(GenericType<T> type, Annotation[] annotations) {
        throw new UnsupportedOperationException();
    }

    @Override
    public boolean bufferEntity() {
        return true;
    }

    @Override
    public MediaType getMediaType() {
        return MediaType.APPLICATION_JSON_TYPE;
    }

    @Override
    public Locale getLanguage() {
        return null;
    }

    @Override
    public int getLength() {
        return body == null ? 0 : body.length();
    }

    @Override
    public Set<String> getAllowedMethods() {
        return Set.of();
    }

    @Override
    public Map<String, NewCookie> getCookies() {
        return Map.of();
    }

    @Override
    public EntityTag getEntityTag() {
        return null;
    }

    @Override
    public Date getDate() {
        return null;
    }

    @Override
    public Date getLastModified() {
        return null;
    }

    @Override
    public URI getLocation() {
        return null;
    }

    @Override
    public Set<Link> getLinks() {
        return Set.of();
    }

    @Override
    public boolean hasLink(String relation) {
        return false;
    }

    @Override
    public Link getLink(String relation) {
        return null;
    }

    @Override
    public Link.Builder getLinkBuilder(String relation) {
        return null;
    }

    @Override
    public MultivaluedMap<String, Object> getMetadata() {
        MultivaluedMap<String, Object> metadata = new MultivaluedHashMap<>();
        headers.forEach(metadata::add);
        return metadata;
    }

    @Override
    public MultivaluedMap<String, String> getStringHeaders() {
        MultivaluedMap<String, String> strings = new MultivaluedHashMap<>();
        headers.forEach(strings::add);
        return strings;
    }
}

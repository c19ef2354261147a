package dev.zoomscheduler.install;

import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.Response;

/** The short HTML page a browser sees at the end of an install; everything shown is escaped, and nothing is cached. */
final class ResultPage {

    private ResultPage() {
    }

    static Response of(int status, String title, String message) {
        String html = "<!doctype html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>" + escape(title) + "</title></head>\n"
                + "<body><h1>" + escape(title) + "</h1>\n<p>" + escape(message) + "</p></body></html>\n";
        return Response.status(status)
                .type("text/html; charset=utf-8")
                .entity(html)
                .header(HttpHeaders.CACHE_CONTROL, "no-store")
                .header("Content-Security-Policy", "default-src 'none'")
                .header("Referrer-Policy", "no-referrer")
                .build();
    }

    private static String escape(String text) {
        StringBuilder escaped = new StringBuilder(text.length());
        for (char c : text.toCharArray()) {
            switch (c) {
                case '<' -> escaped.append("&lt;");
                case '>' -> escaped.append("&gt;");
                case '&' -> escaped.append("&amp;");
                case '"' -> escaped.append("&quot;");
                case '\'' -> escaped.append("&#39;");
                default -> escaped.append(c);
            }
        }
        return escaped.toString();
    }
}

package dev.flotilla.api;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.ByteBuffer;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.handler.ErrorHandler;
import org.eclipse.jetty.util.Callback;

/**
 * The errors Jetty answers itself, before or around any route (a request line it cannot parse, a
 * URI or headers too large, a missing {@code Host}, an HTTP version it does not speak, an ambiguous
 * path), in the same {@link ApiError} JSON as every other error instead of Jetty's HTML page. Its
 * reason is Jetty's short message ("URI Too Long", "No Host"); a server error never shows its
 * cause.
 */
final class JsonErrorHandler extends ErrorHandler {
  private final ObjectMapper json;

  JsonErrorHandler(ObjectMapper json) {
    this.json = json;
  }

  @Override
  protected void generateResponse(Request request, Response response, int code, String message, Throwable cause, Callback callback)
      throws IOException {
    String reason = code >= 500 && code != 505 && code != 503
        ? "internal server error; the server log has the details"
        : message == null || message.isBlank() ? ApiErrors.word(code) : message;
    byte[] body = json.writeValueAsBytes(new ApiError(ApiErrors.word(code), reason));
    response.getHeaders().put(HttpHeader.CONTENT_TYPE, "application/json");
    response.getHeaders().put(HttpHeader.CONTENT_LENGTH, body.length);
    response.write(true, ByteBuffer.wrap(body), callback);
  }
}

package lookout.dashboards;

/** A request the API refuses: its HTTP status and a one-line reason that never echoes the request's values. */
final class ApiError extends RuntimeException {
    final int status;

    ApiError(int status, String message) {
        super(message, null, false, false);
        this.status = status;
    }
}

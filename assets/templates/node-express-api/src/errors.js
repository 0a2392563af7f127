/**
 * An error that maps directly to an HTTP response.
 * Throw (or pass to `next`) one of these from any route.
 */
export class HttpError extends Error {
  /**
   * @param {number} status  HTTP status code
   * @param {string} code    machine-readable error code, e.g. "not_found"
   * @param {string} message human-readable message
   * @param {unknown} [details] optional extra information (e.g. validation issues)
   */
  constructor(status, code, message, details) {
    super(message);
    this.name = "HttpError";
    this.status = status;
    this.code = code;
    this.details = details;
  }
}

export const notFound = (message = "Resource not found") =>
  new HttpError(404, "not_found", message);

export const validationFailed = (details) =>
  new HttpError(400, "validation_error", "Request body is invalid", details);

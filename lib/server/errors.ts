import "server-only";

export type ServiceErrorCode =
  | "bad_request"
  | "unauthenticated"
  | "forbidden"
  | "not_found"
  | "conflict"
  | "invalid"
  | "too_large"
  | "unsupported"
  | "rate_limited"
  | "unavailable";

export interface FieldError {
  path: string;
  message: string;
  line?: number;
  column?: number;
}

/** The one error use cases throw. Only lib/api knows how it maps to HTTP. */
export class ServiceError extends Error {
  constructor(
    readonly code: ServiceErrorCode,
    message: string,
    readonly details: { errors?: FieldError[]; [key: string]: unknown } = {},
  ) {
    super(message);
    this.name = "ServiceError";
  }
}

export const notFound = (what: string) => new ServiceError("not_found", `${what} does not exist`);
export const invalid = (message: string, errors?: FieldError[]) =>
  new ServiceError("invalid", message, errors ? { errors } : {});
